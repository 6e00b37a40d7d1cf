"""Roleplay training: start and message bodies, paging and filters, sessions and stats out."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, post_dump, validate

from roleplay_api.difficulty import DIFFICULTIES
from roleplay_api.schemas.common import BaseSchema, Text, envelope, plain_dumper

MAX_MESSAGE_CHARS = 2000


# Tells OpenAPI readers (and fuzzers) what not_blank enforces: some non-space character; and,
# since this replaces Text's own pattern, what Text enforces: no NUL anywhere.
NOT_BLANK = {"pattern": r"^[^\x00]*[^\s\x00][^\x00]*$"}


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must not be blank.")


class Difficulty(fields.String):
    """One of DIFFICULTIES, accepted in any case and loaded upper case.

    The OpenAPI document names the upper-case enum (one shared ``Difficulty`` schema, see
    roleplay_api.openapi) and says that input is case-insensitive: generated clients get a
    real enum, and hand-written ones may still send "beginner".
    """

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"enum": list(DIFFICULTIES), **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        result = super()._deserialize(value, attr, data, **kwargs)
        # ASCII only: str.upper() turns a dotless i (U+0131) into "I". NUL never matches.
        result = result.upper() if result.isascii() else result
        if result not in DIFFICULTIES:
            raise ValidationError(f"Must be one of: {', '.join(DIFFICULTIES)}.")
        return result


# ---- input ------------------------------------------------------------------------------


class StartSessionSchema(BaseSchema):
    scenario_id = Text(
        data_key="scenarioId",
        required=True,
        validate=[validate.Length(1, 64), not_blank],
        metadata=NOT_BLANK,
    )
    scenario_title = Text(
        data_key="scenarioTitle",
        required=True,
        validate=[validate.Length(1, 200), not_blank],
        metadata=NOT_BLANK,
    )
    difficulty = Difficulty(required=True)


class MessageInSchema(BaseSchema):
    message = Text(
        required=True,
        validate=[validate.Length(1, MAX_MESSAGE_CHARS), not_blank],
        metadata=NOT_BLANK,
    )


class SessionQuerySchema(BaseSchema):
    limit = fields.Integer(load_default=10, validate=validate.Range(1, 100))
    # Bounded: PostgreSQL's OFFSET is a bigint, and a larger value was a 500 (found by fuzzing).
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**31 - 1))
    status = Text(validate=validate.OneOf(("active", "completed")))
    scenario_id = Text(data_key="scenarioId", validate=validate.Length(1, 64))
    difficulty = Difficulty()


# ---- output -----------------------------------------------------------------------------


class PersonaSchema(BaseSchema):
    name = fields.String(required=True)
    opening_line = fields.String(data_key="openingLine", required=True, attribute="openingLine")


class ScenarioSchema(BaseSchema):
    id = fields.String(required=True)
    title = fields.String(required=True)
    description = fields.String(required=True)
    persona = fields.Nested(PersonaSchema, required=True)
    skills = fields.List(fields.String(), required=True)


class ScenarioListSchema(BaseSchema):
    scenarios = fields.List(fields.Nested(ScenarioSchema), required=True)


class StartedSessionSchema(BaseSchema):
    session_id = fields.String(data_key="sessionId", required=True)
    scenario_id = fields.String(data_key="scenarioId", required=True)
    scenario_title = fields.String(data_key="scenarioTitle", required=True)
    difficulty = fields.String(required=True, metadata={"enum": list(DIFFICULTIES)})
    opening_line = fields.String(data_key="openingLine", required=True)
    persona_name = fields.String(data_key="personaName", required=True)
    score = fields.Integer(required=True)
    max_exchanges = fields.Integer(data_key="maxExchanges", required=True)
    is_active = fields.Boolean(data_key="isActive", required=True)
    created_at = fields.DateTime(data_key="createdAt", required=True)


class FinalFeedbackSchema(BaseSchema):
    strengths = fields.List(fields.String(), required=True)
    improvements = fields.List(fields.String(), required=True)
    tips = fields.List(fields.String(), required=True)


_FINAL_FEEDBACK_KEYS = ("strengths", "improvements", "tips")


class MessageResultSchema(BaseSchema):
    response = fields.String(required=True)
    feedback = fields.String(required=True)
    score_awarded = fields.Integer(data_key="scoreAwarded", required=True)
    total_score = fields.Integer(data_key="totalScore", required=True)
    session_ended = fields.Boolean(data_key="sessionEnded", required=True)
    exchange = fields.Integer(required=True, metadata={"description": "1..maxExchanges"})
    xp_earned = fields.Integer(
        data_key="xpEarned", metadata={"description": "Only on the message that ends it"}
    )
    final_feedback = fields.Nested(
        FinalFeedbackSchema,
        data_key="finalFeedback",
        metadata={"description": "Only on the message that ends it"},
    )

    # The front end tells "ended" by these keys being present, so absent beats null.
    OMITTED_WHEN_UNSET = ("xpEarned", "finalFeedback")

    @post_dump
    def omit_unset(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        for key in self.OMITTED_WHEN_UNSET:
            if data.get(key) is None:
                data.pop(key, None)
        return data


def dump_message_result(result: Any) -> dict[str, Any]:
    """MessageResultSchema's dump of a MessageResult, without marshmallow (a test holds the
    two equal): xpEarned and finalFeedback only on the message that ends the session."""
    body: dict[str, Any] = {
        "response": result.response,
        "feedback": result.feedback,
        "scoreAwarded": result.score_awarded,
        "totalScore": result.total_score,
        "sessionEnded": result.session_ended,
        "exchange": result.exchange,
    }
    if result.xp_earned is not None:
        body["xpEarned"] = result.xp_earned
    final = result.final_feedback
    if final is not None:
        body["finalFeedback"] = {key: list(final[key]) for key in _FINAL_FEEDBACK_KEYS}
    return body


class SessionSummarySchema(BaseSchema):
    id = fields.Integer(required=True)
    session_id = fields.String(data_key="sessionId", required=True)
    scenario_id = fields.String(data_key="scenarioId", required=True)
    scenario_title = fields.String(data_key="scenarioTitle", required=True)
    difficulty = fields.String(required=True, metadata={"enum": list(DIFFICULTIES)})
    score = fields.Integer(required=True)
    message_count = fields.Integer(data_key="messageCount", required=True)
    xp_earned = fields.Integer(data_key="xpEarned", required=True)
    duration = fields.Integer(required=True)
    created_at = fields.DateTime(data_key="createdAt", required=True)
    completed_at = fields.DateTime(data_key="completedAt", required=True, allow_none=True)
    is_active = fields.Boolean(data_key="isActive", required=True)


class SessionListSchema(BaseSchema):
    sessions = fields.List(fields.Nested(SessionSummarySchema), required=True)
    total = fields.Integer(required=True)


class HistoryMessageSchema(BaseSchema):
    role = fields.String(required=True, metadata={"enum": ["user", "assistant"]})
    content = fields.String(required=True)
    timestamp = fields.String(required=True, metadata={"format": "date-time"})
    score = fields.Integer(metadata={"description": "Trainee messages: the award"})
    feedback = fields.String(metadata={"description": "Trainee messages: the coach's note"})


class SessionDetailSchema(SessionSummarySchema):
    messages = fields.List(fields.Nested(HistoryMessageSchema), required=True)
    opening_line = fields.String(
        data_key="openingLine",
        required=True,
        metadata={"description": "The persona's first line, before the trainee's first message"},
    )
    persona_name = fields.String(data_key="personaName", required=True)
    feedback = fields.Nested(FinalFeedbackSchema, required=True, allow_none=True)
    max_exchanges = fields.Integer(data_key="maxExchanges", required=True)


class GroupStatsSchema(BaseSchema):
    sessions = fields.Integer(required=True)
    completed = fields.Integer(required=True)
    total_xp = fields.Integer(data_key="totalXp", required=True)
    average_score = fields.Float(data_key="averageScore", required=True, allow_none=True)
    best_score = fields.Integer(data_key="bestScore", required=True, allow_none=True)


class ScenarioStatsSchema(GroupStatsSchema):
    scenario_title = fields.String(data_key="scenarioTitle", required=True)


class StatsSchema(BaseSchema):
    total_sessions = fields.Integer(data_key="totalSessions", required=True)
    completed_sessions = fields.Integer(data_key="completedSessions", required=True)
    total_xp = fields.Integer(data_key="totalXp", required=True)
    average_score = fields.Float(
        data_key="averageScore",
        required=True,
        allow_none=True,
        metadata={"description": "Over completed sessions; null before the first one"},
    )
    best_score = fields.Integer(data_key="bestScore", required=True, allow_none=True)
    by_difficulty = fields.Dict(
        data_key="byDifficulty", keys=fields.String(), values=fields.Nested(GroupStatsSchema)
    )
    by_scenario = fields.Dict(
        data_key="byScenario", keys=fields.String(), values=fields.Nested(ScenarioStatsSchema)
    )
    recent = fields.List(fields.Nested(SessionSummarySchema), required=True)


ScenarioListResponse = envelope(ScenarioListSchema)
StartedSessionResponse = envelope(StartedSessionSchema)
MessageResultResponse = envelope(MessageResultSchema)
SessionListResponse = envelope(SessionListSchema)
SessionDetailResponse = envelope(SessionDetailSchema)
StatsResponse = envelope(StatsSchema)


# ---- each response's one serializer, beside its schema ----------------------------------
# The hot ones (start, message, list) skip marshmallow's per-field work; plain_dumper derives
# them from the schemas and refuses what it cannot do, and tests hold the outputs equal.
dump_started = plain_dumper(StartedSessionSchema())
dump_summary = plain_dumper(SessionSummarySchema())
dump_scenario_list = ScenarioListSchema().dump
dump_session_detail = SessionDetailSchema().dump
dump_stats = StatsSchema().dump
