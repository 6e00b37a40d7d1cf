"""Chat-state records: upsert, read, replace, merge-patch and delete.

Each write is one named statement (INSERT ... ON CONFLICT ... RETURNING, UPDATE ... RETURNING,
DELETE) of services/chat_state_sql.py; with history on (CHAT_STATE_HISTORY > 0) the same
transaction also writes the new version's history row. States are stored through the
settings' codec (compressed, encrypted, or as sent) and handed back as the client's text.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from roleplay_api import database
from roleplay_api.errors import BadRequest, Conflict, NotFound, PreconditionFailed
from roleplay_api.services import chat_state_sql as sql
from roleplay_api.services.chat_state_rules import (
    Precondition,
    check_chat_state,
    check_ttl_seconds,
    check_user_session_id,
    dump_state,
    etag,
    load_state_object,
    merge_patch,
    parse_if_match,
)
from roleplay_api.services.chat_state_storage import ChatStateSettings

NOT_FOUND = "No chat state for this user_session_id"
# A PATCH re-reads and re-applies when another write got in between; each round lets at least
# one writer through, so this bounds a request's rounds, not the key's throughput.
PATCH_ATTEMPTS = 100
_RECORD_FIELDS = (
    "session_id",
    "user_session_id",
    "chat_state",
    "last_activity",
    "created_at",
    "updated_at",
    "version",
    "expires_at",
)


def now() -> datetime:
    """The clock every expiry is measured by (tests move it)."""
    return datetime.now(UTC)


# ---- the operations ------------------------------------------------------------------------


def upsert_chat_state(
    user_session_id: str,
    chat_state: str,
    last_activity: datetime | None = None,
    *,
    if_match: str | None = None,
    ttl_seconds: int | None = None,
    settings: ChatStateSettings,
) -> tuple[dict[str, Any], bool]:
    """Create or replace the record; returns it and whether it was created.

    With If-Match the write may only update an existing record of a matching version, so an
    absent key is a 412 (there is nothing to match), never an insert.
    """
    check_user_session_id(user_session_id)
    params = write_params(user_session_id, chat_state, last_activity, ttl_seconds, settings)
    precondition = parse_if_match(if_match)
    if precondition is None:
        params["session_id"] = uuid.uuid4()
        row = write(sql.upsert_for_dialect(), params, settings)
        assert row is not None  # an upsert always returns its row
        return public_record(row, chat_state), row.version == 1
    row = conditional_update(params, precondition, settings)
    if row is None:
        current = database.first(sql.EXISTS, {"key": user_session_id, "now": params["now"]})
        raise stale(current.version if current is not None else None)
    return public_record(row, chat_state), False


def get_chat_state(user_session_id: str, *, settings: ChatStateSettings) -> dict[str, Any]:
    check_user_session_id(user_session_id)
    row = database.first(sql.READ, {"key": user_session_id})
    if row is None or (row.expires_at is not None and row.expires_at <= now()):
        raise NotFound(NOT_FOUND)
    found = row._asdict()
    return {
        "chat_state": settings.storage.decode(user_session_id, found),
        "last_activity": found["last_activity"],
        "version": found["version"],
        "updated_at": found["updated_at"],
        "expires_at": found["expires_at"],
    }


def replace_chat_state(
    user_session_id: str,
    chat_state: str,
    last_activity: datetime | None = None,
    *,
    if_match: str | None = None,
    ttl_seconds: int | None = None,
    settings: ChatStateSettings,
) -> dict[str, Any]:
    """Replace an existing record (404 if absent, 412 if If-Match is stale)."""
    check_user_session_id(user_session_id)
    params = write_params(user_session_id, chat_state, last_activity, ttl_seconds, settings)
    precondition = parse_if_match(if_match)
    row = conditional_update(params, precondition, settings)
    if row is None:
        raise_absent_or_stale(user_session_id, precondition)
    return public_record(row, chat_state)


def patch_chat_state(
    user_session_id: str,
    patch: Any,
    *,
    if_match: str | None = None,
    ttl_seconds: int | None = None,
    settings: ChatStateSettings,
) -> dict[str, Any]:
    """Apply a JSON Merge Patch (RFC 7396) to the stored state, atomically.

    Read, merge, then write only if the version is still the one read; otherwise read again.
    Concurrent PATCHes of different keys therefore all land, each on the version before it.
    """
    check_user_session_id(user_session_id)
    check_ttl_seconds(ttl_seconds)
    if not isinstance(patch, dict):
        raise BadRequest(
            "A merge patch must be a JSON object",
            details={"_body": ["Must be a JSON object."]},
        )
    precondition = parse_if_match(if_match)
    for _ in range(PATCH_ATTEMPTS):
        current = database.first(sql.SELECT, {"key": user_session_id, "now": now()})
        if current is None:
            raise NotFound(NOT_FOUND)
        if isinstance(precondition, frozenset) and current.version not in precondition:
            raise stale(current.version)
        stored = settings.storage.decode(user_session_id, current._asdict())
        text = dump_state(merge_patch(load_state_object(stored), patch))
        params = write_params(user_session_id, text, None, ttl_seconds, settings)
        row = write(sql.UPDATE_AT, {**params, "expected": current.version}, settings)
        if row is not None:
            return public_record(row, text)
    raise Conflict("The chat state kept changing under this PATCH; retry it")


def delete_chat_state(user_session_id: str, *, if_match: str | None = None) -> None:
    """Delete the record and its versions (404 if absent, 412 if If-Match is stale)."""
    check_user_session_id(user_session_id)
    precondition = parse_if_match(if_match)
    params: dict[str, Any] = {"key": user_session_id, "now": now()}
    if isinstance(precondition, frozenset):
        params["versions"] = list(precondition)
        deleted = database.rowcount(sql.DELETE_IF, params) if precondition else 0
    else:
        deleted = database.rowcount(sql.DELETE, params)
    if not deleted:
        raise_absent_or_stale(user_session_id, precondition)


# ---- shared by the operations here and in chat_state_history -------------------------------


def write_params(
    key: str,
    chat_state: str,
    last_activity: datetime | None,
    ttl_seconds: int | None,
    settings: ChatStateSettings,
) -> dict[str, Any]:
    """A write's parameters: the state checked and encoded for storage, times and expiry."""
    check_chat_state(chat_state, settings.max_bytes)
    check_ttl_seconds(ttl_seconds)
    at = now()
    ttl = ttl_seconds or settings.default_ttl_seconds
    return {
        "key": key,
        **settings.storage.encode(key, chat_state),
        "last_activity": last_activity or at,
        "now": at,
        "expires_at": at + timedelta(seconds=ttl) if ttl else None,
    }


def write(
    stmt: database.Statement, params: dict[str, Any], settings: ChatStateSettings
) -> sa.Row[Any] | None:
    """Run a record write; with history on, write the new version's row with it (one statement
    on PostgreSQL, one transaction on SQLite)."""
    size = params.pop("size")
    if not settings.history:
        return database.first(stmt, params)
    if database.dialect_name() == "postgresql":  # one statement: the write and its version
        return database.first(
            sql.WITH_HISTORY[stmt.name], {**params, "size": size, "keep": settings.history}
        )
    with database.transaction() as transaction:
        row = transaction.first(stmt, params)
        if row is not None:
            kept = {name: getattr(row, name) for name in sql.STORED}
            version = {"key": params["key"], "version": row.version}
            transaction.rowcount(
                sql.history_put_for_dialect(),
                {
                    **version,
                    **kept,
                    "size": size,
                    "last_activity": row.last_activity,
                    "updated_at": row.updated_at,
                },
            )
            transaction.rowcount(sql.HISTORY_PRUNE, {**version, "keep": settings.history})
    return row


def conditional_update(
    params: dict[str, Any], if_match: Precondition, settings: ChatStateSettings
) -> sa.Row[Any] | None:
    if not isinstance(if_match, frozenset):  # None or "*": any existing record
        return write(sql.UPDATE, params, settings)
    if not if_match:  # only weak or malformed tags: nothing can match, change nothing
        return None
    return write(sql.UPDATE_IF, {**params, "versions": list(if_match)}, settings)


def public_record(row: Any, chat_state: str) -> dict[str, Any]:
    """A written row as the client sees it: its state as text, no storage columns."""
    found = row._asdict()
    found["chat_state"] = chat_state
    return {name: found[name] for name in _RECORD_FIELDS}


def raise_absent_or_stale(user_session_id: str, if_match: Precondition) -> None:
    """The write changed nothing: 404 if there is no record, else its precondition failed.

    A missing record is a 404 even with If-Match, as a PUT or DELETE without it would answer
    (RFC 9110 13.2.1: preconditions apply only where the request would otherwise succeed).
    """
    if if_match is None or if_match == "*":
        raise NotFound(NOT_FOUND)
    current = database.first(sql.EXISTS, {"key": user_session_id, "now": now()})
    if current is None:
        raise NotFound(NOT_FOUND)
    raise stale(current.version)


def stale(version: int | None) -> PreconditionFailed:
    """The 412, naming the current version (header and body) when there is a record."""
    if version is None:  # POST with If-Match for a key that does not exist: nothing to name
        return PreconditionFailed()
    tag = etag(version)
    return PreconditionFailed(details={"etag": tag, "version": version}, headers={"ETag": tag})
