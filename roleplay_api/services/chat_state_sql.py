"""Chat-state's named statements, built once: records, their kept versions, and maintenance.

A record is live while its expires_at is NULL or after the request's ``now``: every read and
write below sees only live records, so an expired one is absent at once, before any purge.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from roleplay_api import database
from roleplay_api.database import statement
from roleplay_api.models import ChatStateSession, ChatStateVersion

_t = ChatStateSession.__table__
_h = ChatStateVersion.__table__

STORED = ("chat_state", "chat_state_data", "codec", "key_id")  # how a state is kept (codec)
_STORED = tuple(_t.c[name] for name in STORED)
_RECORD = (
    _t.c.session_id,
    _t.c.user_session_id,
    *_STORED,
    _t.c.last_activity,
    _t.c.created_at,
    _t.c.updated_at,
    _t.c.version,
    _t.c.expires_at,
)
_NOW = sa.bindparam("now", type_=_t.c.updated_at.type)
_KEY = _t.c.user_session_id == sa.bindparam("key")
_LIVE = sa.or_(_t.c.expires_at.is_(None), _t.c.expires_at > _NOW)
_VERSION_IN = _t.c.version.in_(sa.bindparam("versions", expanding=True))
_WRITE = {
    **{name: sa.bindparam(name, type_=_t.c[name].type) for name in STORED},
    "last_activity": sa.bindparam("last_activity", type_=_t.c.last_activity.type),
    "updated_at": _NOW,
    "expires_at": sa.bindparam("expires_at", type_=_t.c.expires_at.type),
}


def _upsert(insert: Any) -> sa.Executable:
    stmt = insert(_t).values(
        session_id=sa.bindparam("session_id", type_=_t.c.session_id.type),
        user_session_id=sa.bindparam("key"),
        created_at=_NOW,
        version=1,
        **_WRITE,
    )
    new = stmt.excluded
    # An expired record is gone: writing its key creates a new one (version 1, a new
    # session_id), exactly as if the purge had been first. SET sees the old row's values.
    expired = sa.and_(_t.c.expires_at.is_not(None), _t.c.expires_at <= new.updated_at)
    # version 1 in the returned row means the record was created; any update makes it >= 2.
    return stmt.on_conflict_do_update(
        index_elements=[_t.c.user_session_id],
        set_={
            **{name: new[name] for name in (*STORED, "last_activity", "updated_at", "expires_at")},
            "version": sa.case((expired, 1), else_=_t.c.version + 1),
            "session_id": sa.case((expired, new.session_id), else_=_t.c.session_id),
            "created_at": sa.case((expired, new.created_at), else_=_t.c.created_at),
        },
    ).returning(*_RECORD)


UPSERT = {
    "postgresql": statement("chat_state.upsert.postgresql", _upsert(postgresql.insert)),
    "sqlite": statement("chat_state.upsert.sqlite", _upsert(sqlite.insert)),
}
_update = (
    sa.update(_t).where(_KEY, _LIVE).values(version=_t.c.version + 1, **_WRITE).returning(*_RECORD)
)
UPDATE = statement("chat_state.update", _update)
UPDATE_IF = statement("chat_state.update_if", _update.where(_VERSION_IN))
# A read-modify-write (PATCH): only if nobody wrote since the read.
UPDATE_AT = statement(
    "chat_state.update_at", _update.where(_t.c.version == sa.bindparam("expected"))
)
_select = sa.select(*_STORED, _t.c.last_activity, _t.c.version, _t.c.updated_at, _t.c.expires_at)
SELECT = statement("chat_state.select", _select.where(_KEY, _LIVE))
# GET's read: the same SQL as before expiry existed (the OR costs PostgreSQL planning time on
# every call); the caller tests expires_at against the same clock instead.
READ = statement("chat_state.read", _select.where(_KEY))
EXISTS = statement("chat_state.exists", sa.select(_t.c.version).where(_KEY, _LIVE))
DELETE = statement("chat_state.delete", sa.delete(_t).where(_KEY, _LIVE))
DELETE_IF = statement("chat_state.delete_if", sa.delete(_t).where(_KEY, _LIVE, _VERSION_IN))


def upsert_for_dialect() -> database.Statement:
    dialect = database.dialect_name()
    if dialect not in UPSERT:
        raise RuntimeError(f"chat-state needs PostgreSQL or SQLite, not {dialect}")
    return UPSERT[dialect]


# ---- kept versions ---------------------------------------------------------------------------

_H_KEY = _h.c.user_session_id == sa.bindparam("key")
_H_VERSION = sa.bindparam("version", type_=sa.Integer)
_KEEP = sa.bindparam("keep", type_=sa.Integer)
_CURRENT = sa.bindparam("current", type_=sa.Integer)


def _history_put(insert: Any) -> sa.Executable:
    columns = (*STORED, "size", "last_activity", "updated_at")
    stmt = insert(_h).values(
        user_session_id=sa.bindparam("key"),
        version=_H_VERSION,
        **{name: sa.bindparam(name, type_=_h.c[name].type) for name in columns},
    )
    # A version number taken again (the key expired and was created anew) replaces the old one.
    return stmt.on_conflict_do_update(
        index_elements=[_h.c.user_session_id, _h.c.version],
        set_={name: stmt.excluded[name] for name in columns},
    )


HISTORY_PUT = {
    "postgresql": statement("chat_state.history_put.postgresql", _history_put(postgresql.insert)),
    "sqlite": statement("chat_state.history_put.sqlite", _history_put(sqlite.insert)),
}
# After writing version v: drop what is older than the last ``keep``, and anything past v
# (left by an expired record of the same key).
HISTORY_PRUNE = statement(
    "chat_state.history_prune",
    sa.delete(_h).where(
        _H_KEY, sa.or_(_h.c.version <= _H_VERSION - _KEEP, _h.c.version > _H_VERSION)
    ),
)
# The versions a reader may see: the last ``keep`` up to the record's current one.
_KEPT = sa.and_(_H_KEY, _h.c.version <= _CURRENT, _h.c.version > _CURRENT - _KEEP)
VERSIONS = statement(
    "chat_state.versions",
    sa.select(_h.c.version, _h.c.last_activity, _h.c.updated_at, _h.c.size)
    .where(_KEPT)
    .order_by(_h.c.version.desc())
    .limit(sa.bindparam("limit"))
    .offset(sa.bindparam("offset")),
)
COUNT_VERSIONS = statement(
    "chat_state.count_versions",
    sa.select(sa.func.count().label("n")).select_from(_h).where(_KEPT),
)
VERSION = statement(
    "chat_state.version",
    sa.select(
        *(_h.c[name] for name in STORED), _h.c.version, _h.c.last_activity, _h.c.updated_at
    ).where(_KEPT, _h.c.version == _H_VERSION),
)


def history_put_for_dialect() -> database.Statement:
    return HISTORY_PUT[database.dialect_name()]


def _with_history(write: Any) -> sa.Executable:
    """PostgreSQL: ``write`` (RETURNING the record), its version's row and the prune, as one
    statement (data-modifying CTEs): one round trip, atomic as the write alone.

    The prune takes versions older than the last ``keep`` and any past the new one; the insert
    takes exactly the new one, so the two never touch the same row.
    """
    written = write.cte("written")
    columns = (*STORED, "size", "last_activity", "updated_at")
    kept = postgresql.insert(_h).from_select(
        ["user_session_id", "version", *columns],
        sa.select(
            written.c.user_session_id,
            written.c.version,
            *(written.c[name] for name in STORED),
            sa.bindparam("size", type_=sa.Integer),
            written.c.last_activity,
            written.c.updated_at,
        ),
    )
    kept = kept.on_conflict_do_update(
        index_elements=[_h.c.user_session_id, _h.c.version],
        set_={name: kept.excluded[name] for name in columns},
    )
    pruned = sa.delete(_h).where(
        _h.c.user_session_id == written.c.user_session_id,
        sa.or_(_h.c.version <= written.c.version - _KEEP, _h.c.version > written.c.version),
    )
    return sa.select(*written.c).add_cte(kept.cte("kept")).add_cte(pruned.cte("pruned"))


# Each write with its history row, by the write's name (PostgreSQL; SQLite runs the three
# statements in one transaction).
WITH_HISTORY = {
    stmt.name: statement(f"{stmt.name}.with_history", _with_history(stmt.sql))
    for stmt in (UPSERT["postgresql"], UPDATE, UPDATE_IF, UPDATE_AT)
}


# ---- maintenance: purge and key rotation -----------------------------------------------------

_CUTOFF = sa.bindparam("cutoff", type_=_t.c.last_activity.type)
_IDLE = _t.c.last_activity < _CUTOFF
_EXPIRED = _t.c.expires_at <= _NOW


def _purge_batch(condition: Any, order: Any) -> sa.Executable:
    """Delete up to batch_size rows matching ``condition``, walking ``order``'s index; the
    DELETE repeats the test on every row it takes, so a row written meanwhile survives.
    Their versions go with them (ON DELETE CASCADE)."""
    return sa.delete(_t).where(
        condition,
        _t.c.session_id.in_(
            sa.select(_t.c.session_id)
            .where(condition)
            .order_by(order)
            .limit(sa.bindparam("batch_size"))
            .scalar_subquery()
        ),
    )


COUNT_IDLE = statement(
    "chat_state.count_idle", sa.select(sa.func.count().label("n")).select_from(_t).where(_IDLE)
)
PURGE_IDLE_BATCH = statement("chat_state.purge_batch", _purge_batch(_IDLE, _t.c.last_activity))
COUNT_EXPIRED = statement(
    "chat_state.count_expired",
    sa.select(sa.func.count().label("n")).select_from(_t).where(_EXPIRED),
)
PURGE_EXPIRED_BATCH = statement(
    "chat_state.purge_expired_batch", _purge_batch(_EXPIRED, _t.c.expires_at)
)

# Key rotation: rows not under the current key (plain ones included), a batch at a time in
# key order, each rewritten only if unchanged since it was read (same record and version).
_NOT_CURRENT_KEY = sa.or_(
    _t.c.key_id.is_(None), _t.c.key_id != sa.bindparam("current_key", type_=_t.c.key_id.type)
)
ROTATE_SELECT = statement(
    "chat_state.rotate_select",
    sa.select(_t.c.session_id, _t.c.user_session_id, _t.c.version, *_STORED)
    .where(_NOT_CURRENT_KEY, _t.c.user_session_id > sa.bindparam("after"))
    .order_by(_t.c.user_session_id)
    .limit(sa.bindparam("batch_size")),
)
ROTATE_UPDATE = statement(
    "chat_state.rotate_update",
    sa.update(_t)
    .where(
        _t.c.session_id == sa.bindparam("row_id", type_=_t.c.session_id.type),
        _t.c.version == sa.bindparam("row_version"),
    )
    .values(**{name: sa.bindparam(f"new_{name}", type_=_t.c[name].type) for name in STORED}),
)
_H_NOT_CURRENT_KEY = sa.or_(
    _h.c.key_id.is_(None), _h.c.key_id != sa.bindparam("current_key", type_=_h.c.key_id.type)
)
ROTATE_SELECT_VERSIONS = statement(
    "chat_state.rotate_select_versions",
    sa.select(_h.c.user_session_id, _h.c.version, *(_h.c[name] for name in STORED))
    .where(
        _H_NOT_CURRENT_KEY,
        sa.tuple_(_h.c.user_session_id, _h.c.version)
        > sa.tuple_(sa.bindparam("after"), sa.bindparam("after_version", type_=sa.Integer)),
    )
    .order_by(_h.c.user_session_id, _h.c.version)
    .limit(sa.bindparam("batch_size")),
)
ROTATE_UPDATE_VERSION = statement(
    "chat_state.rotate_update_version",
    sa.update(_h)
    .where(
        _h.c.user_session_id == sa.bindparam("row_key"),
        _h.c.version == sa.bindparam("row_version"),
        _h.c.codec.is_not_distinct_from(sa.bindparam("old_codec", type_=_h.c.codec.type)),
        _h.c.key_id.is_not_distinct_from(sa.bindparam("old_key_id", type_=_h.c.key_id.type)),
    )
    .values(**{name: sa.bindparam(f"new_{name}", type_=_h.c[name].type) for name in STORED}),
)
