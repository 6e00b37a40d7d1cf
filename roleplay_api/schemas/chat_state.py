"""Chat-state: request bodies and record shapes (snake_case, no envelope: the widget's format)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError, fields

from roleplay_api.schemas.common import BaseSchema, Text
from roleplay_api.services.chat_state_rules import (
    USER_SESSION_ID_DOC,
    USER_SESSION_ID_RE,
    USER_SESSION_ID_RULE,
)


def validate_user_session_id(value: str) -> None:
    if not USER_SESSION_ID_RE.fullmatch(value):
        raise ValidationError(USER_SESSION_ID_RULE)


class UTCAwareDateTime(fields.AwareDateTime):
    """An ISO-8601 timestamp that must carry its offset; loaded as UTC."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        result = super()._deserialize(value, attr, data, **kwargs)
        try:
            return result.astimezone(UTC)
        except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 is before year 1 in UTC
            raise ValidationError("Out of range.") from None


_CHAT_STATE_DOC = {
    "description": "The front end's state serialized as JSON text; stored and returned verbatim. "
    "At most CHAT_STATE_MAX_BYTES bytes of UTF-8 (413 past it).",
    "example": '{"messages": [], "currentStep": "language"}',
    # A custom string format (OpenAPI 3.0 has no contentMediaType): tells clients and the fuzzer
    # that text which does not parse as JSON is invalid (400).
    "format": "json",
}
_LAST_ACTIVITY_DOC = {
    "description": "ISO-8601 with a UTC offset; now when omitted.",
    "example": "2025-10-02T10:00:00Z",
}


class ChatStateUpsertSchema(BaseSchema):
    user_session_id = fields.String(
        required=True, validate=validate_user_session_id, metadata=USER_SESSION_ID_DOC
    )
    chat_state = Text(required=True, metadata=_CHAT_STATE_DOC)
    last_activity = UTCAwareDateTime(metadata=_LAST_ACTIVITY_DOC)


class ChatStateReplaceSchema(BaseSchema):
    chat_state = Text(required=True, metadata=_CHAT_STATE_DOC)
    last_activity = UTCAwareDateTime(metadata=_LAST_ACTIVITY_DOC)


class ChatStateSchema(BaseSchema):
    """What GET answers (the widget reads chat_state and last_activity)."""

    chat_state = fields.String(required=True)
    last_activity = fields.DateTime(required=True)
    version = fields.Integer(required=True, metadata={"minimum": 1})
    updated_at = fields.DateTime(required=True)


class ChatStateRecordSchema(ChatStateSchema):
    """The whole record, as POST and PUT answer."""

    session_id = fields.UUID(required=True)
    user_session_id = fields.String(required=True)
    created_at = fields.DateTime(required=True)


def dump_record(record: dict[str, Any]) -> dict[str, Any]:
    """A record (or GET's part of one) as served: the service's typed row values already are
    what ChatStateRecordSchema / ChatStateSchema would dump them to, once the app's orjson
    provider writes UUIDs and datetimes (tests/unit/test_fast_dumps.py holds them equal)."""
    return record
