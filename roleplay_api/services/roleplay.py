"""Roleplay sessions: their ids, the caller's-session rule, scenario briefs, and starting one.

Messages are roleplay_message.py's; reading sessions back is roleplay_history.py's.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from roleplay_api import database
from roleplay_api.database import statement
from roleplay_api.errors import NotFound
from roleplay_api.models import RoleplaySession, Scenario
from roleplay_api.models.types import utcnow
from roleplay_api.services.coach import (
    MAX_EXCHANGES,
    Coach,
    ScenarioBrief,
)
from roleplay_api.services.scenarios import GENERAL_SCENARIO_ID, bundled_scenario

# "session_" + token_urlsafe(16) (22 characters); anything else cannot exist, so it is a 404
# without a query (and a NUL in the path never reaches PostgreSQL).
SESSION_ID_PATTERN = re.compile(r"session_[A-Za-z0-9_-]{16,56}")


@dataclass(frozen=True)
class StartedSession:
    session_id: str
    scenario_id: str
    scenario_title: str
    difficulty: str
    opening_line: str
    persona_name: str
    score: int
    max_exchanges: int
    is_active: bool
    created_at: datetime


def new_session_id() -> str:
    """An opaque, unguessable public id: no timestamp, no counter."""
    return "session_" + secrets.token_urlsafe(16)


def is_session_id(value: str) -> bool:
    return SESSION_ID_PATTERN.fullmatch(value) is not None


# Where-clause for the caller's session: another user's is as absent as none (404).
OWNED_SESSION = sa.and_(
    RoleplaySession.session_id == sa.bindparam("session_id"),
    RoleplaySession.user_id == sa.bindparam("user_id"),
)


def owned_session_params(user_id: int, session_id: str) -> dict[str, Any]:
    """OWNED_SESSION's parameters; an id that cannot exist is a NotFound at once, no query."""
    if not is_session_id(session_id):
        raise NotFound("Session not found")
    return {"session_id": session_id, "user_id": user_id}


def brief_from_scenario(values: Mapping[str, Any]) -> ScenarioBrief:
    """A scenario's brief from its columns (id, title, description, persona, skills, tips)."""
    return ScenarioBrief(
        id=values["id"],
        title=values["title"],
        description=values["description"],
        persona=dict(values["persona"]),
        skills=tuple(values["skills"] or ()),
        tips=tuple(values["tips"] or ()),
    )


_sessions = RoleplaySession.__table__
_scenarios = Scenario.__table__
BRIEF_COLUMNS = ("id", "title", "description", "persona", "skills", "tips")
_SCENARIO = statement(
    "roleplay.scenario_brief",
    sa.select(*(_scenarios.c[name] for name in BRIEF_COLUMNS)).where(
        _scenarios.c.id == sa.bindparam("scenario_id")
    ),
)


def coach() -> Coach:
    """The app's coach, built once by create_app (register_coach)."""
    return current_app.extensions["coach"]


def clip(value: Any, column: sa.Column[Any]) -> str:
    """``value`` as text that fits the String column."""
    return str(value)[: column.type.length]


def resolve_brief(scenario_id: str) -> ScenarioBrief:
    """The scenario's brief; for an unknown id the general persona (seeded, else bundled)."""
    for wanted in dict.fromkeys((scenario_id, GENERAL_SCENARIO_ID)):
        row = database.first(_SCENARIO, {"scenario_id": wanted})
        if row is not None:
            return brief_from_scenario(row._mapping)
    # Not even the general persona is seeded: answer from the bundled library file.
    return brief_from_scenario(bundled_scenario(GENERAL_SCENARIO_ID))


# Every column but the generated id and those the last exchange fills (SQL NULL until then:
# a None bound to the JSON column would store JSON null instead), each a bind parameter.
_FILLED_LATER = ("id", "feedback", "completed_at")
_INSERT = statement(
    "roleplay.insert_session",
    sa.insert(_sessions).values(
        {
            c.name: sa.bindparam(c.name, type_=c.type)
            for c in _sessions.c
            if c.name not in _FILLED_LATER
        }
    ),
)


def start_session(
    user_id: int, scenario_id: str, scenario_title: str, difficulty: str
) -> StartedSession:
    """Create an active session; an unknown scenario id gets the general-purpose persona.

    Two statements: the scenario's read, then the INSERT.
    """
    brief = resolve_brief(scenario_id)
    engine = coach()
    session_id, now = new_session_id(), utcnow()
    database.rowcount(
        _INSERT,
        {
            "session_id": session_id,
            "user_id": user_id,
            "scenario_id": scenario_id,
            "scenario_title": scenario_title,
            "difficulty": difficulty,
            "messages": [],
            "message_count": 0,
            "score": 0,
            "duration": 0,
            "xp_earned": 0,
            "coach_engine": clip(engine.name, _sessions.c.coach_engine),
            "rubric_version": clip(engine.rubric_version, _sessions.c.rubric_version),
            "version": 1,
            "created_at": now,
        },
    )
    return StartedSession(
        session_id=session_id,
        scenario_id=scenario_id,
        scenario_title=scenario_title,
        difficulty=difficulty,
        opening_line=str(brief.persona.get("openingLine", "")),
        persona_name=str(brief.persona.get("name", "")),
        score=0,
        max_exchanges=MAX_EXCHANGES,
        is_active=True,
        created_at=now,
    )
