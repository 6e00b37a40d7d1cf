"""The hot responses built without marshmallow say exactly what the documented schemas say."""

import json
from dataclasses import asdict
from datetime import UTC, datetime

import pytest

from roleplay_api.json_codec import OrjsonProvider
from roleplay_api.schemas.common import plain_dumper
from roleplay_api.schemas.roleplay import (
    MessageResultSchema,
    SessionDetailSchema,
    SessionSummarySchema,
    StartedSessionSchema,
    dump_message_result,
)
from roleplay_api.services.roleplay import StartedSession
from roleplay_api.services.roleplay_message import MessageResult

CREATED = [
    datetime(2026, 11, 21, 8, 30, 5, 123456, tzinfo=UTC),
    datetime(2026, 11, 21, 8, 30, 5, tzinfo=UTC),  # no microseconds: both omit them
]


def as_served(app, value):
    """What a client reads: the app's orjson provider writes the body."""
    return json.loads(app.json.dumps(value))


def marshmallow(schema, value):
    return json.loads(json.dumps(schema.dump(value)))


@pytest.mark.parametrize("created", CREATED)
@pytest.mark.parametrize("completed", [None, datetime(2026, 11, 21, 9, 0, 0, 5, tzinfo=UTC)])
def test_session_summary(app, created, completed):
    summary = {
        "id": 7,
        "session_id": "session_abcdefghijklmnop",
        "scenario_id": "homeowner_objection",
        "scenario_title": "Handling Price Objections",
        "difficulty": "PRO",
        "score": 61,
        "message_count": 10,
        "xp_earned": 90,
        "duration": 42,
        "created_at": created,
        "completed_at": completed,
        "is_active": completed is None,
    }
    fast = plain_dumper(SessionSummarySchema())(summary)
    assert as_served(app, fast) == marshmallow(SessionSummarySchema(), summary)
    assert set(fast) == {
        field.data_key or name for name, field in SessionSummarySchema().fields.items()
    }


@pytest.mark.parametrize("created", CREATED)
def test_started_session(app, created):
    started = StartedSession(
        session_id="session_abcdefghijklmnop",
        scenario_id="homeowner_objection",
        scenario_title="Handling Price Objections",
        difficulty="NIGHTMARE",
        opening_line="Look, I already told the last guy...",
        persona_name="Pat",
        score=0,
        max_exchanges=5,
        is_active=True,
        created_at=created,
    )
    fast = plain_dumper(StartedSessionSchema())(asdict(started))
    assert as_served(app, fast) == marshmallow(StartedSessionSchema(), started)


@pytest.mark.parametrize(
    ("xp", "final"),
    [
        (None, None),
        (90, {"strengths": ["Asked"], "improvements": [], "tips": ["Ask more", "Listen"]}),
        (0, {"strengths": (), "improvements": ("Slow down",), "tips": ()}),
    ],
)
def test_message_result(app, xp, final):
    result = MessageResult(
        response="Hmm, go on.",
        feedback="+6: you asked what worries them.",
        score_awarded=6,
        total_score=30,
        session_ended=final is not None,
        exchange=5 if final else 2,
        xp_earned=xp,
        final_feedback=final,
    )
    fast = dump_message_result(result)
    assert as_served(app, fast) == marshmallow(MessageResultSchema(), result)
    assert ("xpEarned" in fast, "finalFeedback" in fast) == (xp is not None, final is not None)


def test_plain_dumper_refuses_what_it_cannot_do():
    with pytest.raises(TypeError, match="dump hooks"):
        plain_dumper(MessageResultSchema())  # drops unset keys after dumping
    with pytest.raises(TypeError, match="not a plain field"):
        plain_dumper(SessionDetailSchema())  # nested messages and feedback


def test_the_app_serves_with_orjson(app):
    assert isinstance(app.json, OrjsonProvider)


def test_plain_dumper_refuses_fields_marshmallow_would_change():
    from marshmallow import Schema, fields

    class Formatted(Schema):
        at = fields.DateTime(format="%Y-%m-%d")

    class Defaulted(Schema):
        n = fields.Integer(dump_default=0)

    with pytest.raises(TypeError, match="datetime format"):
        plain_dumper(Formatted())
    with pytest.raises(TypeError, match="dump_default"):
        plain_dumper(Defaulted())


@pytest.mark.parametrize("created", CREATED)
def test_chat_state_record(app, created):
    import uuid

    from roleplay_api.schemas.chat_state import ChatStateRecordSchema, ChatStateSchema, dump_record

    record = {
        "session_id": uuid.uuid4(),
        "user_session_id": "widget-1",
        "chat_state": '{"step": 1}',
        "last_activity": created,
        "created_at": created,
        "updated_at": created,
        "version": 3,
    }
    assert as_served(app, dump_record(record)) == marshmallow(ChatStateRecordSchema(), record)
    read = {k: record[k] for k in ("chat_state", "last_activity", "version", "updated_at")}
    assert as_served(app, dump_record(read)) == marshmallow(ChatStateSchema(), read)
