"""Pure pieces of the roleplay service and schemas: ids, briefs, turns, scores, validation."""

import pytest
from marshmallow import ValidationError

from roleplay_api.schemas.roleplay import (
    MessageInSchema,
    SessionQuerySchema,
    StartSessionSchema,
)
from roleplay_api.services.roleplay import brief_from_scenario, is_session_id, new_session_id
from roleplay_api.services.roleplay_message import clamp_score, turns_from_messages


def test_session_ids_are_prefixed_random_and_recognized():
    ids = {new_session_id() for _ in range(200)}
    assert len(ids) == 200
    for session_id in ids:
        assert session_id.startswith("session_")
        assert len(session_id) - len("session_") >= 16
        assert is_session_id(session_id)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "session_",
        "session_short",
        "session_1705123456_123",
        "x" * 30,
        "session_" + "a" * 57,
        "session_aaaaaaaaaaaaaaaa\x00",
        "session_aaaaaaaaaaaaaaa/a",
    ],
)
def test_malformed_session_ids_are_refused(value):
    assert not is_session_id(value)


@pytest.mark.parametrize(("given", "kept"), [(-3, 0), (0, 0), (7, 7), (20, 20), (21, 20), (7.9, 7)])
def test_clamp_score(given, kept):
    assert clamp_score(given) == kept


def test_turns_from_stored_messages():
    turns = turns_from_messages(
        [
            {"role": "user", "content": "Hi", "timestamp": "t", "score": 6, "skills": ["discover"]},
            {"role": "assistant", "content": "Yes?", "timestamp": "t"},
        ]
    )
    assert [(t.role, t.content, t.score, t.skills) for t in turns] == [
        ("user", "Hi", 6, ("discover",)),
        ("assistant", "Yes?", None, ()),
    ]


def test_brief_from_a_scenario_row():
    row = {
        "id": "s",
        "title": "T",
        "description": "D",
        "persona": {"name": "N", "openingLine": "O"},
        "skills": ["a"],
        "tips": ["t"],
    }
    brief = brief_from_scenario(row)
    assert (brief.id, brief.title, brief.persona["openingLine"], brief.skills, brief.tips) == (
        "s",
        "T",
        "O",
        ("a",),
        ("t",),
    )


def test_start_schema_normalizes_difficulty():
    body = StartSessionSchema().load(
        {"scenarioId": "a", "scenarioTitle": "b", "difficulty": "eLiTe"}
    )
    assert body == {"scenario_id": "a", "scenario_title": "b", "difficulty": "ELITE"}


@pytest.mark.parametrize("message", ["", " ", "x" * 2001, "a\x00b", 5])
def test_message_schema_refuses(message):
    with pytest.raises(ValidationError) as info:
        MessageInSchema().load({"message": message})
    assert "message" in info.value.messages


def test_query_schema_defaults_and_bounds():
    assert SessionQuerySchema().load({}) == {"limit": 10, "offset": 0}
    assert SessionQuerySchema().load({"limit": "100", "offset": "7", "difficulty": "pro"}) == {
        "limit": 100,
        "offset": 7,
        "difficulty": "PRO",
    }
    for bad in ({"limit": "0"}, {"limit": "101"}, {"offset": "-1"}, {"status": "x"}):
        with pytest.raises(ValidationError):
            SessionQuerySchema().load(bad)


@pytest.mark.parametrize("given", ["EASY", "el\u0131te", "beginner ", "", "PRO\x00"])
def test_difficulty_outside_the_enum_in_any_case_is_refused(given):
    with pytest.raises(ValidationError):
        StartSessionSchema().load({"scenarioId": "a", "scenarioTitle": "b", "difficulty": given})


@pytest.mark.parametrize("given", ["beginner", "Rookie", "pRO", "elite", "NIGHTMARE"])
def test_difficulty_in_the_enum_in_any_case_is_accepted(given):
    body = StartSessionSchema().load({"scenarioId": "a", "scenarioTitle": "b", "difficulty": given})
    assert body["difficulty"] == given.upper()
