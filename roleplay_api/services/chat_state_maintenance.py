"""Chat-state maintenance for operators: purge idle and expired records, re-encrypt under the
current key. Each step is a short statement of its own, so the service keeps serving."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from roleplay_api import database
from roleplay_api.services import chat_state as records
from roleplay_api.services import chat_state_sql as sql
from roleplay_api.services.chat_state_storage import ChatStateSettings


def purge_idle_chat_states(
    idle_days: int, *, dry_run: bool = False, batch_size: int = 1000, now: datetime | None = None
) -> int:
    """Delete records idle for more than ``idle_days`` days; returns how many (would) go.

    Deletes in short batches, each one statement (its own transaction), walking the
    last_activity index. Every DELETE repeats the idle test, so a record written after the
    batch was picked survives. Versions go with their records.
    """
    params = {"cutoff": (now or records.now()) - timedelta(days=idle_days)}
    return _purge(sql.COUNT_IDLE, sql.PURGE_IDLE_BATCH, params, dry_run, batch_size)


def purge_expired_chat_states(
    *, dry_run: bool = False, batch_size: int = 1000, now: datetime | None = None
) -> int:
    """Delete records whose expires_at has passed, in batches along the expires_at index."""
    params = {"now": now or records.now()}
    return _purge(sql.COUNT_EXPIRED, sql.PURGE_EXPIRED_BATCH, params, dry_run, batch_size)


def _purge(
    count: database.Statement,
    batch: database.Statement,
    params: dict,
    dry_run: bool,
    batch_size: int,
) -> int:
    if dry_run:
        return int(database.first(count, params).n)
    params["batch_size"] = batch_size
    total = 0
    while (deleted := database.rowcount(batch, params)) > 0:
        total += deleted
    return total


@dataclass
class Rotation:
    records: int = 0
    versions: int = 0
    skipped: int = 0  # written meanwhile, so already under the current key


def rotate_key(settings: ChatStateSettings, *, batch_size: int = 500) -> Rotation:
    """Rewrite every record and kept version not under the current key (plain ones included).

    Batches walk the primary keys; each row is rewritten by its own UPDATE guarded by what it
    held when read, so a client's write in between wins and is not overwritten.
    """
    storage = settings.storage
    current = storage.current_key_id
    if current is None:
        raise ValueError("CHAT_STATE_ENCRYPTION_KEYS is not set: there is no key to rotate to")
    done = Rotation()
    after = ""
    while rows := database.all_rows(
        sql.ROTATE_SELECT, {"current_key": current, "after": after, "batch_size": batch_size}
    ):
        for row in rows:
            found = row._asdict()
            new = storage.encode(row.user_session_id, storage.decode(row.user_session_id, found))
            changed = database.rowcount(
                sql.ROTATE_UPDATE,
                {
                    "row_id": row.session_id,
                    "row_version": row.version,
                    **{f"new_{name}": new[name] for name in sql.STORED},
                },
            )
            done.records += changed
            done.skipped += 1 - changed
        after = rows[-1].user_session_id
    after, after_version = "", 0
    while rows := database.all_rows(
        sql.ROTATE_SELECT_VERSIONS,
        {
            "current_key": current,
            "after": after,
            "after_version": after_version,
            "batch_size": batch_size,
        },
    ):
        for row in rows:
            found = row._asdict()
            new = storage.encode(row.user_session_id, storage.decode(row.user_session_id, found))
            changed = database.rowcount(
                sql.ROTATE_UPDATE_VERSION,
                {
                    "row_key": row.user_session_id,
                    "row_version": row.version,
                    "old_codec": row.codec,
                    "old_key_id": row.key_id,
                    **{f"new_{name}": new[name] for name in sql.STORED},
                },
            )
            done.versions += changed
            done.skipped += 1 - changed
        after, after_version = rows[-1].user_session_id, rows[-1].version
    return done
