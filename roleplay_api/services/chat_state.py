"""Chat-state records: upsert, read, replace, delete and purge, one SQL statement per request.

Each request is a single statement (INSERT ... ON CONFLICT ... RETURNING, UPDATE ... RETURNING,
SELECT, DELETE), a named statement of roleplay_api.database; rows come back as plain dicts that
orjson serializes natively.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from roleplay_api import database
from roleplay_api.database import statement
from roleplay_api.errors import NotFound, PreconditionFailed
from roleplay_api.models import ChatStateSession
from roleplay_api.services.chat_state_rules import (
    Precondition,
    check_chat_state,
    check_user_session_id,
    etag,
    parse_if_match,
)

# ---- statements, built once ----------------------------------------------------------------

_t = ChatStateSession.__table__
_RECORD = (
    _t.c.session_id,
    _t.c.user_session_id,
    _t.c.chat_state,
    _t.c.last_activity,
    _t.c.created_at,
    _t.c.updated_at,
    _t.c.version,
)
_KEY = _t.c.user_session_id == sa.bindparam("key")
_VERSION_IN = _t.c.version.in_(sa.bindparam("versions", expanding=True))
_WRITE = {
    "chat_state": sa.bindparam("chat_state"),
    "last_activity": sa.bindparam("last_activity", type_=_t.c.last_activity.type),
    "updated_at": sa.bindparam("now", type_=_t.c.updated_at.type),
}


def _upsert(insert: Any) -> sa.Executable:
    stmt = insert(_t).values(
        session_id=sa.bindparam("session_id", type_=_t.c.session_id.type),
        user_session_id=sa.bindparam("key"),
        created_at=sa.bindparam("created_at", type_=_t.c.created_at.type),
        version=1,
        **_WRITE,
    )
    # version 1 in the returned row means the INSERT happened; any update makes it >= 2.
    return stmt.on_conflict_do_update(
        index_elements=[_t.c.user_session_id],
        set_={
            "chat_state": stmt.excluded.chat_state,
            "last_activity": stmt.excluded.last_activity,
            "updated_at": stmt.excluded.updated_at,
            "version": _t.c.version + 1,
        },
    ).returning(*_RECORD)


_UPSERT = {
    "postgresql": statement("chat_state.upsert.postgresql", _upsert(postgresql.insert)),
    "sqlite": statement("chat_state.upsert.sqlite", _upsert(sqlite.insert)),
}
_update = sa.update(_t).where(_KEY).values(version=_t.c.version + 1, **_WRITE).returning(*_RECORD)
_UPDATE = statement("chat_state.update", _update)
_UPDATE_IF = statement("chat_state.update_if", _update.where(_VERSION_IN))
_SELECT = statement(
    "chat_state.select",
    sa.select(_t.c.chat_state, _t.c.last_activity, _t.c.version, _t.c.updated_at).where(_KEY),
)
_EXISTS = statement("chat_state.exists", sa.select(_t.c.version).where(_KEY))
_DELETE = statement("chat_state.delete", sa.delete(_t).where(_KEY))
_DELETE_IF = statement("chat_state.delete_if", sa.delete(_t).where(_KEY, _VERSION_IN))
# Idle records (last_activity before the cutoff): counted, or deleted a batch at a time, oldest
# first along the last_activity index; the DELETE repeats the idle test on every row it takes.
_IDLE = _t.c.last_activity < sa.bindparam("cutoff", type_=_t.c.last_activity.type)
_COUNT_IDLE = statement(
    "chat_state.count_idle", sa.select(sa.func.count().label("n")).select_from(_t).where(_IDLE)
)
_PURGE_BATCH = statement(
    "chat_state.purge_batch",
    sa.delete(_t).where(
        _IDLE,
        _t.c.session_id.in_(
            sa.select(_t.c.session_id)
            .where(_IDLE)
            .order_by(_t.c.last_activity)
            .limit(sa.bindparam("batch_size"))
            .scalar_subquery()
        ),
    ),
)


def _upsert_for_dialect() -> database.Statement:
    dialect = database.dialect_name()
    if dialect not in _UPSERT:
        raise RuntimeError(f"chat-state needs PostgreSQL or SQLite, not {dialect}")
    return _UPSERT[dialect]


# ---- the operations ------------------------------------------------------------------------


def _write_params(
    key: str, chat_state: str, last_activity: datetime | None, max_bytes: int
) -> dict[str, Any]:
    check_chat_state(chat_state, max_bytes)
    now = datetime.now(UTC)
    return {
        "key": key,
        "chat_state": chat_state,
        "last_activity": last_activity or now,
        "now": now,
    }


def upsert_chat_state(
    user_session_id: str,
    chat_state: str,
    last_activity: datetime | None = None,
    *,
    if_match: str | None = None,
    max_bytes: int,
) -> tuple[dict[str, Any], bool]:
    """Create or replace the record; returns it and whether it was created.

    With If-Match the write may only update an existing record of a matching version, so an
    absent key is a 412 (there is nothing to match), never an insert.
    """
    check_user_session_id(user_session_id)
    params = _write_params(user_session_id, chat_state, last_activity, max_bytes)
    precondition = parse_if_match(if_match)
    if precondition is None:
        params["session_id"] = uuid.uuid4()
        params["created_at"] = params["now"]
        row = database.first(_upsert_for_dialect(), params)
        assert row is not None  # an upsert always returns its row
        return row._asdict(), row.version == 1
    row = _conditional_update(params, precondition)
    if row is None:
        current = database.first(_EXISTS, {"key": user_session_id})
        raise _stale(current.version if current is not None else None)
    return row._asdict(), False


def get_chat_state(user_session_id: str) -> dict[str, Any]:
    check_user_session_id(user_session_id)
    row = database.first(_SELECT, {"key": user_session_id})
    if row is None:
        raise NotFound("No chat state for this user_session_id")
    return row._asdict()


def replace_chat_state(
    user_session_id: str,
    chat_state: str,
    last_activity: datetime | None = None,
    *,
    if_match: str | None = None,
    max_bytes: int,
) -> dict[str, Any]:
    """Replace an existing record (404 if absent, 412 if If-Match is stale)."""
    check_user_session_id(user_session_id)
    params = _write_params(user_session_id, chat_state, last_activity, max_bytes)
    precondition = parse_if_match(if_match)
    row = _conditional_update(params, precondition)
    if row is None:
        _raise_absent_or_stale(user_session_id, precondition)
    assert row is not None
    return row._asdict()


def delete_chat_state(user_session_id: str, *, if_match: str | None = None) -> None:
    """Delete the record (404 if absent, 412 if If-Match is stale)."""
    check_user_session_id(user_session_id)
    precondition = parse_if_match(if_match)
    if isinstance(precondition, frozenset):
        params: dict[str, Any] = {"key": user_session_id, "versions": list(precondition)}
        deleted = database.rowcount(_DELETE_IF, params) if precondition else 0
    else:
        deleted = database.rowcount(_DELETE, {"key": user_session_id})
    if not deleted:
        _raise_absent_or_stale(user_session_id, precondition)


def _conditional_update(params: dict[str, Any], if_match: Precondition) -> sa.Row[Any] | None:
    if not isinstance(if_match, frozenset):  # None or "*": any existing record
        return database.first(_UPDATE, params)
    if not if_match:  # only weak or malformed tags: nothing can match, change nothing
        return None
    return database.first(_UPDATE_IF, {**params, "versions": list(if_match)})


def _raise_absent_or_stale(user_session_id: str, if_match: Precondition) -> None:
    """The write changed nothing: 404 if there is no record, else its precondition failed.

    A missing record is a 404 even with If-Match, as a PUT or DELETE without it would answer
    (RFC 9110 13.2.1: preconditions apply only where the request would otherwise succeed).
    """
    if if_match is None or if_match == "*":
        raise NotFound("No chat state for this user_session_id")
    current = database.first(_EXISTS, {"key": user_session_id})
    if current is None:
        raise NotFound("No chat state for this user_session_id")
    raise _stale(current.version)


def _stale(version: int | None) -> PreconditionFailed:
    """The 412, naming the current version (header and body) when there is a record."""
    if version is None:  # POST with If-Match for a key that does not exist: nothing to name
        return PreconditionFailed()
    tag = etag(version)
    return PreconditionFailed(details={"etag": tag, "version": version}, headers={"ETag": tag})


# ---- maintenance ---------------------------------------------------------------------------


def purge_idle_chat_states(
    idle_days: int, *, dry_run: bool = False, batch_size: int = 1000, now: datetime | None = None
) -> int:
    """Delete records idle for more than ``idle_days`` days; returns how many (would) go.

    Deletes in short batches, each one statement (its own transaction), walking the
    last_activity index, so the service keeps serving meanwhile. Every DELETE repeats the idle
    test, so a record written after the batch was picked survives.
    """
    params = {"cutoff": (now or datetime.now(UTC)) - timedelta(days=idle_days)}
    if dry_run:
        return int(database.first(_COUNT_IDLE, params).n)
    params["batch_size"] = batch_size
    total = 0
    while (deleted := database.rowcount(_PURGE_BATCH, params)) > 0:
        total += deleted
    return total
