"""A chat state's kept versions: list them, read one, restore one as a new version."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from roleplay_api import database
from roleplay_api.errors import NotFound
from roleplay_api.services import chat_state as records
from roleplay_api.services import chat_state_sql as sql
from roleplay_api.services.chat_state import (
    NOT_FOUND,
    conditional_update,
    public_record,
    raise_absent_or_stale,
    stale,
    write_params,
)
from roleplay_api.services.chat_state_rules import check_user_session_id, parse_if_match
from roleplay_api.services.chat_state_storage import ChatStateSettings


def _current_version(user_session_id: str) -> int:
    check_user_session_id(user_session_id)
    current = database.first(sql.EXISTS, {"key": user_session_id, "now": records.now()})
    if current is None:
        raise NotFound(NOT_FOUND)
    return int(current.version)


def list_versions(
    user_session_id: str, *, limit: int, offset: int, settings: ChatStateSettings
) -> dict[str, Any]:
    """The kept versions, newest first, a page at a time (none while history is off)."""
    current = _current_version(user_session_id)
    kept = {"key": user_session_id, "current": current, "keep": settings.history}
    rows = database.all_rows(sql.VERSIONS, {**kept, "limit": limit, "offset": offset})
    total = database.first(sql.COUNT_VERSIONS, kept).n
    return {
        "user_session_id": user_session_id,
        "version": current,
        "versions": [row._asdict() for row in rows],
        "total": int(total),
    }


def get_version(
    user_session_id: str, version: int, *, settings: ChatStateSettings
) -> dict[str, Any]:
    """Version ``version`` as GET answers (404 if the record is absent or does not keep it)."""
    row = _kept_version(user_session_id, version, settings)
    return {
        "chat_state": settings.storage.decode(user_session_id, row),
        "last_activity": row["last_activity"],
        "version": row["version"],
        "updated_at": row["updated_at"],
        "expires_at": None,  # a past version never expires on its own; the record does
    }


def restore_version(
    user_session_id: str,
    version: int,
    *,
    last_activity: datetime | None = None,
    if_match: str | None = None,
    ttl_seconds: int | None = None,
    settings: ChatStateSettings,
) -> dict[str, Any]:
    """Write a new version whose state is ``version``'s; If-Match as on PUT."""
    precondition = parse_if_match(if_match)
    row = _kept_version(user_session_id, version, settings)
    text = settings.storage.decode(user_session_id, row)
    params = write_params(user_session_id, text, last_activity, ttl_seconds, settings)
    written = conditional_update(params, precondition, settings)
    if written is None:
        raise_absent_or_stale(user_session_id, precondition)
    return public_record(written, text)


def _kept_version(user_session_id: str, version: int, settings: ChatStateSettings) -> dict:
    current = _current_version(user_session_id)
    params = {"key": user_session_id, "current": current, "keep": settings.history}
    row = database.first(sql.VERSION, {**params, "version": version})
    if row is not None:
        return row._asdict()
    if version == current:  # history off: the current version is still there to read
        found = database.first(sql.SELECT, {"key": user_session_id, "now": records.now()})
        if found is not None and found.version == version:
            return found._asdict()
        raise stale(found.version if found is not None else None)
    raise NotFound(
        f"Version {version} of this chat state is not kept",
        details={
            "version": [f"Not kept: the last {settings.history} are (the current is {current})."]
        },
    )
