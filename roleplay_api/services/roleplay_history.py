"""Reading roleplay sessions back: the paged list, one session, and progress stats (in SQL)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from roleplay_api import database
from roleplay_api.database import statement
from roleplay_api.errors import NotFound
from roleplay_api.models import RoleplaySession
from roleplay_api.services.coach import MAX_EXCHANGES
from roleplay_api.services.roleplay import OWNED_SESSION, owned_session_params, resolve_brief

RECENT_COUNT = 5

# Everything the list shows, without the message history (which can be large).
_SUMMARY_COLUMNS = (
    RoleplaySession.id,
    RoleplaySession.session_id,
    RoleplaySession.scenario_id,
    RoleplaySession.scenario_title,
    RoleplaySession.difficulty,
    RoleplaySession.score,
    RoleplaySession.message_count,
    RoleplaySession.xp_earned,
    RoleplaySession.duration,
    RoleplaySession.created_at,
    RoleplaySession.completed_at,
)
_NEWEST_FIRST = (RoleplaySession.created_at.desc(), RoleplaySession.id.desc())


@dataclass(frozen=True)
class SessionPage:
    sessions: list[dict[str, Any]]
    total: int


def _summary(row: Any) -> dict[str, Any]:
    summary = dict(row._mapping)
    summary.pop("total", None)
    summary["is_active"] = summary["completed_at"] is None
    return summary


def _page_statements(
    status: str | None, by_scenario: bool, by_difficulty: bool
) -> tuple[database.Statement, database.Statement]:
    """The page query (with a window count of all matches) and the plain count, for one filter
    set, with every value a bound parameter."""
    conditions = [RoleplaySession.user_id == sa.bindparam("user_id")]
    if status == "active":
        conditions.append(RoleplaySession.completed_at.is_(None))
    elif status == "completed":
        conditions.append(RoleplaySession.completed_at.is_not(None))
    if by_scenario:
        conditions.append(RoleplaySession.scenario_id == sa.bindparam("scenario_id"))
    if by_difficulty:
        conditions.append(RoleplaySession.difficulty == sa.bindparam("difficulty"))
    page = (
        sa.select(*_SUMMARY_COLUMNS, sa.func.count().over().label("total"))
        .where(*conditions)
        .order_by(*_NEWEST_FIRST)
        .limit(sa.bindparam("limit"))
        .offset(sa.bindparam("offset"))
    )
    count = sa.select(sa.func.count()).select_from(RoleplaySession).where(*conditions)
    name = f"roleplay.list.{status or 'any'}.{int(by_scenario)}{int(by_difficulty)}"
    return statement(name, page), statement(name + ".count", count)


# Every combination of filters (twelve), built once.
_PAGES = {
    key: _page_statements(*key)
    for key in itertools.product((None, "active", "completed"), (False, True), (False, True))
}


def list_sessions(
    user_id: int,
    limit: int = 10,
    offset: int = 0,
    status: str | None = None,
    scenario_id: str | None = None,
    difficulty: str | None = None,
) -> SessionPage:
    """The user's sessions newest first, filtered, and how many match in all.

    One query: the page and, through a window count, the total of all matches.
    """
    page, count = _PAGES[status, scenario_id is not None, difficulty is not None]
    params = {
        "user_id": user_id,
        "scenario_id": scenario_id,
        "difficulty": difficulty,
        "limit": limit,
        "offset": offset,
    }
    rows = database.all_rows(page, params)
    if rows:
        total = rows[0].total
    elif offset:
        # Past the last page there is no row to carry the window count; count separately.
        found = database.first(count, params)
        total = found[0] if found is not None else 0
    else:
        total = 0
    return SessionPage([_summary(row) for row in rows], int(total or 0))


_DETAIL = statement(
    "roleplay.session_detail",
    sa.select(*_SUMMARY_COLUMNS, RoleplaySession.messages, RoleplaySession.feedback).where(
        OWNED_SESSION
    ),
)


def get_session(user_id: int, session_id: str) -> dict[str, Any]:
    """One of the user's sessions with its whole history; 404 for anyone else's."""
    row = database.first(_DETAIL, owned_session_params(user_id, session_id))
    if row is None:
        raise NotFound("Session not found")
    detail = _summary(row)
    # How the persona opened, for a resume screen: the history holds only the exchanges. Start
    # took both from the scenario's brief (the general persona for an unknown id); so does this.
    persona = resolve_brief(row.scenario_id).persona
    detail.update(
        opening_line=str(persona.get("openingLine", "")),
        persona_name=str(persona.get("name", "")),
        messages=row.messages or [],
        max_exchanges=MAX_EXCHANGES,
    )
    return detail


def _group_aggregates() -> tuple[Any, ...]:
    completed = RoleplaySession.completed_at.is_not(None)
    return (
        sa.func.count().label("sessions"),
        sa.func.sum(sa.case((completed, 1), else_=0)).label("completed"),
        sa.func.coalesce(sa.func.sum(RoleplaySession.xp_earned), 0).label("total_xp"),
        # Averages and bests count finished sessions only: a running score is not a result.
        sa.func.sum(sa.case((completed, RoleplaySession.score), else_=0)).label("score_sum"),
        sa.func.max(sa.case((completed, RoleplaySession.score), else_=None)).label("best_score"),
    )


def _group_stats(row: Any) -> dict[str, Any]:
    completed = int(row.completed or 0)
    return {
        "sessions": int(row.sessions),
        "completed": completed,
        "total_xp": int(row.total_xp or 0),
        "average_score": round(int(row.score_sum or 0) / completed, 1) if completed else None,
        "best_score": int(row.best_score) if row.best_score is not None else None,
        "score_sum": int(row.score_sum or 0),
    }


_MINE = RoleplaySession.user_id == sa.bindparam("user_id")
_BY_DIFFICULTY = statement(
    "roleplay.stats_by_difficulty",
    sa.select(RoleplaySession.difficulty, *_group_aggregates())
    .where(_MINE)
    .group_by(RoleplaySession.difficulty),
)
_BY_SCENARIO = statement(
    "roleplay.stats_by_scenario",
    sa.select(
        RoleplaySession.scenario_id,
        sa.func.max(RoleplaySession.scenario_title).label("scenario_title"),
        *_group_aggregates(),
    )
    .where(_MINE)
    .group_by(RoleplaySession.scenario_id),
)
_RECENT = statement(
    "roleplay.stats_recent",
    sa.select(*_SUMMARY_COLUMNS).where(_MINE).order_by(*_NEWEST_FIRST).limit(RECENT_COUNT),
)


def get_stats(user_id: int) -> dict[str, Any]:
    """The user's progress: totals, by difficulty, by scenario, and the latest sessions.

    Three aggregate queries; overall totals are folded from the (at most five) difficulty rows.
    """
    mine = {"user_id": user_id}
    by_difficulty = {
        row.difficulty: _group_stats(row) for row in database.all_rows(_BY_DIFFICULTY, mine)
    }
    by_scenario = {
        row.scenario_id: _group_stats(row) | {"scenario_title": row.scenario_title}
        for row in database.all_rows(_BY_SCENARIO, mine)
    }
    recent = database.all_rows(_RECENT, mine)

    groups = list(by_difficulty.values())
    completed = sum(g["completed"] for g in groups)
    bests = [g["best_score"] for g in groups if g["best_score"] is not None]
    score_sum = sum(g["score_sum"] for g in groups)
    return {
        "total_sessions": sum(g["sessions"] for g in groups),
        "completed_sessions": completed,
        "total_xp": sum(g["total_xp"] for g in groups),
        "average_score": round(score_sum / completed, 1) if completed else None,
        "best_score": max(bests) if bests else None,
        "by_difficulty": by_difficulty,
        "by_scenario": by_scenario,
        "recent": [_summary(row) for row in recent],
    }
