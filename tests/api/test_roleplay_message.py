"""Roleplay: trainee messages, the five-exchange lifecycle, XP, final feedback, bad input."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from roleplay_api.extensions import db
from roleplay_api.models import RoleplaySession
from roleplay_api.services.coach import MAX_SCORE, xp_for
from roleplay_api.services.scenarios import seed_scenarios
from tests.api.roleplay_support import (
    BASE,
    FakeCoach,
    data_of,
    error_of,
    finish,
    send,
    start,
    use_coach,
)

SESSION_KEYS = {"response", "feedback", "scoreAwarded", "totalScore", "sessionEnded"}


def stored(app, session_id):
    with app.app_context():
        return db.session.scalar(
            sa.select(RoleplaySession).where(RoleplaySession.session_id == session_id)
        )


def test_walkthrough_message_compat_shape(app, client, auth_headers):
    session_id = start(client, auth_headers)["sessionId"]
    data = data_of(send(client, auth_headers, session_id, "Hello"))
    assert set(data) >= SESSION_KEYS
    assert "xpEarned" not in data and "finalFeedback" not in data
    assert isinstance(data["response"], str) and data["response"]
    assert isinstance(data["feedback"], str) and data["feedback"]
    assert 0 <= data["scoreAwarded"] <= MAX_SCORE
    assert data["totalScore"] == data["scoreAwarded"]
    assert data["sessionEnded"] is False
    session = stored(app, session_id)
    assert [m["role"] for m in session.messages] == ["user", "assistant"]
    assert session.messages[0]["content"] == "Hello"
    assert session.messages[1]["content"] == data["response"]
    for message in session.messages:
        assert datetime.fromisoformat(message["timestamp"]).utcoffset() == timedelta(0)
    assert session.messages[0]["score"] == data["scoreAwarded"]
    assert session.messages[0]["feedback"] == data["feedback"]
    assert session.message_count == 2 and session.score == data["scoreAwarded"]
    assert session.completed_at is None


def test_real_coach_full_session_invariants(app, client, auth_headers):
    seed_app(app)
    session_id = start(client, auth_headers, scenarioId="homeowner_objection", difficulty="pro")[
        "sessionId"
    ]
    results = finish(client, auth_headers, session_id)
    awards = [r["scoreAwarded"] for r in results]
    assert all(isinstance(a, int) and 0 <= a <= MAX_SCORE for a in awards)
    assert [r["totalScore"] for r in results] == [sum(awards[: n + 1]) for n in range(5)]
    assert [r["sessionEnded"] for r in results] == [False] * 4 + [True]
    last = results[-1]
    assert last["xpEarned"] == xp_for(awards, "PRO")
    assert set(last["finalFeedback"]) == {"strengths", "improvements", "tips"}
    assert all(isinstance(v, list) for v in last["finalFeedback"].values())
    session = stored(app, session_id)
    assert session.score == sum(awards) and session.message_count == 10
    # What the coach read is stored with each message (the next one's state is folded from
    # it), and stays internal: the session detail shows the contract's fields only.
    assert all(m["meta"]["v"] == 2 for m in session.messages)
    assert session.messages[0]["meta"]["score"] == awards[0]
    detail = client.get(f"{BASE}/sessions/{session_id}", headers=auth_headers).get_json()
    assert all("meta" not in m for m in detail["data"]["messages"])


def seed_app(app):
    with app.app_context():
        seed_scenarios()


@pytest.mark.parametrize(
    ("difficulty", "xp"),
    # (3, 7, 11, 15, 20) is -5 - 1 + 3 + 7 + 12 = 16 points above par (8), times the multiplier
    [("BEGINNER", 16), ("ROOKIE", 20), ("PRO", 24), ("ELITE", 32), ("NIGHTMARE", 48)],
)
def test_five_exchange_lifecycle_with_xp(app, client, auth_headers, monkeypatch, difficulty, xp):
    coach = use_coach(client, monkeypatch, FakeCoach(scores=(3, 7, 11, 15, 20)))
    session_id = start(client, auth_headers, difficulty=difficulty.lower())["sessionId"]
    results = finish(client, auth_headers, session_id)
    assert [r["scoreAwarded"] for r in results] == [3, 7, 11, 15, 20]
    assert [r["totalScore"] for r in results] == [3, 10, 21, 36, 56]
    assert [r["response"] for r in results] == [f"reply {n}" for n in range(1, 6)]
    assert [r["feedback"] for r in results] == [f"note {n}" for n in range(1, 6)]
    assert results[-1]["sessionEnded"] is True
    assert results[-1]["xpEarned"] == xp == xp_for([3, 7, 11, 15, 20], difficulty)
    assert results[-1]["finalFeedback"] == {
        "strengths": ["listened"],
        "improvements": ["ask more"],
        "tips": ["tip for general_objection"],
    }
    # The engine saw the growing history and was asked to conclude on all ten messages.
    assert [j[2] for j in coach.judged] == [0, 2, 4, 6, 8]
    assert [len(h) for h in coach.concluded] == [10]
    assert [t.score for t in coach.concluded[0] if t.role == "user"] == [3, 7, 11, 15, 20]

    session = stored(app, session_id)
    assert session.completed_at is not None and session.score == 56 and session.xp_earned == xp
    assert session.feedback == results[-1]["finalFeedback"]
    assert session.coach_engine == "fake" and session.rubric_version == "fake-1"
    assert session.messages[0]["engine"] == "fake"
    assert session.duration >= 0


def test_xp_rounds_half_up(client, auth_headers, monkeypatch):
    use_coach(client, monkeypatch, FakeCoach(scores=(9, 8, 8, 8, 8)))
    session_id = start(client, auth_headers, difficulty="ROOKIE")["sessionId"]
    # 1 above par x 1.25 = 1.25 -> 1
    assert finish(client, auth_headers, session_id)[-1]["xpEarned"] == 1
    use_coach(client, monkeypatch, FakeCoach(scores=(10, 8, 8, 8, 8)))
    session_id = start(client, auth_headers, difficulty="ROOKIE")["sessionId"]
    # 2 above par x 1.25 = 2.5 -> 3
    assert finish(client, auth_headers, session_id)[-1]["xpEarned"] == 3


def test_after_the_fifth_exchange_session_ended_changes_nothing(app, client, auth_headers):
    session_id = start(client, auth_headers)["sessionId"]
    finish(client, auth_headers, session_id)
    before = stored(app, session_id)
    error_of(send(client, auth_headers, session_id, "One more"), 409, "session_ended")
    after = stored(app, session_id)
    assert after.messages == before.messages and after.message_count == 10
    assert (after.score, after.version, after.completed_at) == (
        before.score,
        before.version,
        before.completed_at,
    )


def test_engine_scores_are_clamped(app, client, auth_headers, monkeypatch):
    use_coach(client, monkeypatch, FakeCoach(scores=(99, -5, 20, 0, 0)))
    session_id = start(client, auth_headers)["sessionId"]
    results = finish(client, auth_headers, session_id)
    assert [r["scoreAwarded"] for r in results] == [20, 0, 20, 0, 0]
    assert results[-1]["totalScore"] == 40


def test_seeded_scenario_brief_reaches_the_engine(app, client, auth_headers, monkeypatch):
    seed_app(app)
    coach = use_coach(client, monkeypatch, FakeCoach())
    session_id = start(client, auth_headers, scenarioId="bad_timing", difficulty="elite")[
        "sessionId"
    ]
    send(client, auth_headers, session_id, "Hi there")
    assert coach.judged == [("bad_timing", "ELITE", 0, "Hi there")]


def test_duration_counts_seconds_since_start(app, client, auth_headers):
    session_id = start(client, auth_headers)["sessionId"]
    with app.app_context():
        session = db.session.scalar(
            sa.select(RoleplaySession).where(RoleplaySession.session_id == session_id)
        )
        session.created_at = datetime.now(UTC) - timedelta(seconds=90)
        db.session.commit()
    send(client, auth_headers, session_id)
    assert 90 <= stored(app, session_id).duration <= 100


@pytest.mark.parametrize(
    "body",
    [
        {"message": "x" * 2001},
        {"message": ""},
        {"message": "   \n\t "},
        {"message": "nul\x00inside"},
        {"message": 42},
        {"message": None},
        {"message": ["Hello"]},
        {},
        {"text": "Hello"},
    ],
)
def test_bad_messages_are_400_and_change_nothing(app, client, auth_headers, body):
    session_id = start(client, auth_headers)["sessionId"]
    response = client.post(f"{BASE}/{session_id}/message", json=body, headers=auth_headers)
    error = error_of(response, 400, "validation_error")
    assert "message" in error["details"]
    session = stored(app, session_id)
    assert session.messages == [] and session.score == 0 and session.version == 1


def test_message_of_2000_characters_is_accepted(app, client, auth_headers):
    session_id = start(client, auth_headers)["sessionId"]
    data_of(send(client, auth_headers, session_id, "é" * 2000))
    assert stored(app, session_id).messages[0]["content"] == "é" * 2000


@pytest.mark.parametrize(
    "session_id",
    [
        "session_doesnotexist0000000",
        "session_1705123456_123",
        "nope",
        "session_" + "a" * 200,
        "session_%00aaaaaaaaaaaaaaaaaaaa",
    ],
)
def test_unknown_or_malformed_session_is_404(client, auth_headers, session_id):
    error_of(send(client, auth_headers, session_id), 404, "not_found")
    error_of(client.get(f"{BASE}/sessions/{session_id}", headers=auth_headers), 404, "not_found")


def test_another_users_session_is_404_and_untouched(app, client, register):
    owner, intruder = register()["headers"], register()["headers"]
    session_id = start(client, owner)["sessionId"]
    error_of(send(client, intruder, session_id, "Hijack"), 404, "not_found")
    error_of(client.get(f"{BASE}/sessions/{session_id}", headers=intruder), 404, "not_found")
    listed = data_of(client.get(f"{BASE}/sessions", headers=intruder))
    assert listed == {"sessions": [], "total": 0}
    assert data_of(client.get(f"{BASE}/stats", headers=intruder))["totalSessions"] == 0
    session = stored(app, session_id)
    assert session.messages == [] and session.version == 1
    # The owner still has the whole session to play.
    assert len(finish(client, owner, session_id)) == 5


def _racing_coach(session_id, races):
    """A coach during whose judging another request commits to the same session row."""

    class RacingCoach(FakeCoach):
        def judge(self, scenario, difficulty, history, message):
            if races:
                races.pop()
                with db.engine.begin() as connection:
                    connection.execute(
                        sa.update(RoleplaySession)
                        .where(RoleplaySession.session_id == session_id)
                        .values(version=RoleplaySession.version + 1)
                    )
            return super().judge(scenario, difficulty, history, message)

    return RacingCoach()


def test_a_write_that_lost_a_race_is_judged_again(app, client, auth_headers, monkeypatch):
    """The coach judges with no lock held: a write over a moved version is judged again from a
    fresh read, not lost (on both databases)."""
    session_id = start(client, auth_headers)["sessionId"]
    use_coach(client, monkeypatch, _racing_coach(session_id, races=[1, 1]))
    data = data_of(send(client, auth_headers, session_id, "Hello"))
    assert data["totalScore"] == data["scoreAwarded"]
    session = stored(app, session_id)
    assert [m["content"] for m in session.messages] == ["Hello", session.messages[1]["content"]]
    assert session.score == data["scoreAwarded"]
    assert session.version == 1 + 2 + 1  # two racing bumps, then our write


def test_llm_failure_falls_back_to_the_coach_and_is_recorded(make_app, register):
    """COACH_ENGINE=llm with a server that refuses connections: the meaning coach answers."""
    app = make_app(
        COACH_ENGINE="llm",
        LLM_BASE_URL="http://127.0.0.1:9/v1",
        LLM_MODEL="stub",
        LLM_TIMEOUT_SECONDS=1,
        LLM_MAX_RETRIES=0,
    )
    client = app.test_client()
    headers = register()["headers"]
    session_id = start(client, headers)["sessionId"]
    data = data_of(send(client, headers, session_id, "I understand. What worries you most?"))
    assert 0 <= data["scoreAwarded"] <= MAX_SCORE
    session = stored(app, session_id)
    assert session.coach_engine == "llm"
    user_turn = session.messages[0]
    assert user_turn["engine"] == "coach-fallback"
    assert user_turn["fallbackReason"]


def test_the_coach_is_built_once_per_app_and_used_for_every_message(
    make_app, register, monkeypatch
):
    """create_app builds the configured coach; every message is judged by that one."""
    from roleplay_api.services.coach import LLMCoach, MeaningCoach

    app = make_app(COACH_ENGINE="llm", LLM_BASE_URL="http://127.0.0.1:9/v1", LLM_MODEL="stub")
    built = app.extensions["coach"]
    assert isinstance(built, LLMCoach)
    assert isinstance(make_app().extensions["coach"], MeaningCoach)  # the default
    client = app.test_client()
    headers = register()["headers"]
    session_id = start(client, headers)["sessionId"]
    fake = use_coach(client, monkeypatch, FakeCoach())
    finish(client, headers, session_id)
    assert len(fake.judged) == 5
