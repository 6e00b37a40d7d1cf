"""Chat-state: request bodies and record shapes (snake_case, no envelope: the widget's format)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

from roleplay_api.schemas.common import BaseSchema, Text
from roleplay_api.services.chat_state_rules import (
    TTL_MAX_SECONDS,
    USER_SESSION_ID_DOC,
    USER_SESSION_ID_RE,
    USER_SESSION_ID_RULE,
    VERSION_MAX,
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


_TTL_DOC = {
    "description": "Seconds until the record expires (404 from then on); the server's "
    "CHAT_STATE_DEFAULT_TTL_SECONDS when omitted (by default: never). Every write sets it anew.",
    "example": 86400,
}


def _ttl_seconds() -> fields.Integer:
    return fields.Integer(
        strict=True, validate=validate.Range(1, TTL_MAX_SECONDS), metadata=_TTL_DOC
    )


def _version(**kwargs: Any) -> fields.Integer:
    return fields.Integer(validate=validate.Range(1, VERSION_MAX), **kwargs)


class ChatStateUpsertSchema(BaseSchema):
    user_session_id = fields.String(
        required=True, validate=validate_user_session_id, metadata=USER_SESSION_ID_DOC
    )
    chat_state = Text(required=True, metadata=_CHAT_STATE_DOC)
    last_activity = UTCAwareDateTime(metadata=_LAST_ACTIVITY_DOC)
    ttl_seconds = _ttl_seconds()


class ChatStateReplaceSchema(BaseSchema):
    chat_state = Text(required=True, metadata=_CHAT_STATE_DOC)
    last_activity = UTCAwareDateTime(metadata=_LAST_ACTIVITY_DOC)
    ttl_seconds = _ttl_seconds()


class ChatStateMergePatchSchema(Schema):
    """A JSON Merge Patch (RFC 7396): any JSON object, applied to the stored chat_state's
    object; a member set to null removes it."""

    class Meta:
        unknown = INCLUDE


class ChatStatePatchQuerySchema(BaseSchema):
    ttl_seconds = fields.Integer(validate=validate.Range(1, TTL_MAX_SECONDS), metadata=_TTL_DOC)


class ChatStateReadQuerySchema(BaseSchema):
    version = _version(
        metadata={"description": "Read this kept version, not the current one (404: not kept)"}
    )


class ChatStateVersionsQuerySchema(BaseSchema):
    limit = fields.Integer(load_default=10, validate=validate.Range(1, 100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**31 - 1))


class ChatStateRestoreSchema(BaseSchema):
    version = _version(
        required=True, strict=True, metadata={"description": "The kept version to restore"}
    )
    last_activity = UTCAwareDateTime(metadata=_LAST_ACTIVITY_DOC)
    ttl_seconds = _ttl_seconds()


class ChatStateSchema(BaseSchema):
    """What GET answers (the widget reads chat_state and last_activity)."""

    chat_state = fields.String(required=True)
    last_activity = fields.DateTime(required=True)
    version = fields.Integer(required=True, metadata={"minimum": 1})
    updated_at = fields.DateTime(required=True)
    expires_at = fields.DateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When the record expires; null: never (and on past versions)"},
    )


class ChatStateRecordSchema(ChatStateSchema):
    """The whole record, as POST and PUT answer."""

    session_id = fields.UUID(required=True)
    user_session_id = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class ChatStateVersionSchema(Schema):
    version = fields.Integer(required=True, metadata={"minimum": 1})
    last_activity = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    size = fields.Integer(required=True, metadata={"description": "Bytes of chat_state (UTF-8)"})


class ChatStateVersionsSchema(Schema):
    """A record's kept versions, newest first (CHAT_STATE_HISTORY of them at most)."""

    user_session_id = fields.String(required=True)
    version = fields.Integer(required=True, metadata={"description": "The current version"})
    versions = fields.List(fields.Nested(ChatStateVersionSchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "Kept versions in all"})


def dump_record(record: dict[str, Any]) -> dict[str, Any]:
    """A record (or GET's part of one) as served: the service's typed row values already are
    what ChatStateRecordSchema / ChatStateSchema would dump them to, once the app's orjson
    provider writes UUIDs and datetimes (tests/unit/test_fast_dumps.py holds them equal)."""
    return record
