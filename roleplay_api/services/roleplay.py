"""Roleplay sessions: start one, then trade five scored exchanges with the persona."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app

from roleplay_api import autocommit
from roleplay_api.errors import Conflict, NotFound, SessionEnded
from roleplay_api.extensions import db
from roleplay_api.models import RoleplaySession, Scenario
from roleplay_api.models.types import utcnow
from roleplay_api.services import coach as coach_engines
from roleplay_api.services.coach import (
    MAX_EXCHANGES,
    MAX_SCORE,
    ScenarioBrief,
    Turn,
    library,
)

GENERAL_SCENARIO_ID = library.FALLBACK_ID
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


@dataclass(frozen=True)
class MessageResult:
    response: str
    feedback: str
    score_awarded: int
    total_score: int
    session_ended: bool
    exchange: int
    xp_earned: int | None = None
    final_feedback: dict[str, list[str]] | None = None


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
_BRIEF_COLUMNS = ("id", "title", "description", "persona", "skills", "tips")
_SCENARIO = sa.select(*(_scenarios.c[name] for name in _BRIEF_COLUMNS)).where(
    _scenarios.c.id == sa.bindparam("scenario_id")
)


def resolve_brief(scenario_id: str) -> ScenarioBrief:
    """The scenario's brief; for an unknown id the general persona (seeded, else built in)."""
    for wanted in dict.fromkeys((scenario_id, GENERAL_SCENARIO_ID)):
        row = autocommit.first(_SCENARIO, {"scenario_id": wanted})
        if row is not None:
            return brief_from_scenario(row._mapping)
    # Not even the general persona is seeded: answer from the bundled library file.
    return library.bundled_brief(GENERAL_SCENARIO_ID)


def turns_from_messages(messages: list[dict[str, Any]]) -> list[Turn]:
    return [
        Turn(
            role=m["role"],
            content=m["content"],
            score=m.get("score"),
            skills=tuple(m.get("skills") or ()),
            meta=m.get("meta"),
        )
        for m in messages
    ]


def clamp_score(score: Any) -> int:
    # The engine promises 0..MAX_SCORE; an engine bug must not corrupt a stored total.
    return max(0, min(MAX_SCORE, int(score)))


# Every column but the generated id and those the last exchange fills (SQL NULL until then:
# a None bound to the JSON column would store JSON null instead), each a bind parameter.
_FILLED_LATER = ("id", "feedback", "completed_at")
_INSERT = sa.insert(_sessions).values(
    {c.name: sa.bindparam(c.name, type_=c.type) for c in _sessions.c if c.name not in _FILLED_LATER}
)


def start_session(
    user_id: int, scenario_id: str, scenario_title: str, difficulty: str
) -> StartedSession:
    """Create an active session; an unknown scenario id gets the general-purpose persona.

    Two autocommit statements: the scenario's read, then the INSERT (its own transaction).
    """
    brief = resolve_brief(scenario_id)
    coach = coach_engines.get_coach(current_app.config)
    session_id, now = new_session_id(), utcnow()
    autocommit.rowcount(
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
            "coach_engine": str(coach.name)[:32],
            "rubric_version": str(coach.rubric_version)[:32],
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


# The session row, locked (PostgreSQL), with its scenario's brief columns when it is seeded.
_LOCK = (
    sa.select(
        _sessions.c.id,
        _sessions.c.messages,
        _sessions.c.score,
        _sessions.c.difficulty,
        _sessions.c.created_at,
        _sessions.c.completed_at,
        _sessions.c.version,
        *(_scenarios.c[name].label(f"brief_{name}") for name in _BRIEF_COLUMNS),
    )
    .select_from(_sessions.outerjoin(_scenarios, _scenarios.c.id == _sessions.c.scenario_id))
    .where(OWNED_SESSION)
    .with_for_update(of=_sessions)
)
_EXCHANGE_COLUMNS = (
    "messages",
    "message_count",
    "score",
    "duration",
    "coach_engine",
    "rubric_version",
)
_FINAL_COLUMNS = (*_EXCHANGE_COLUMNS, "feedback", "xp_earned", "completed_at")


def _write(columns: tuple[str, ...]) -> sa.Update:
    """The exchange's UPDATE, only over the version that was read: on SQLite (no row locks) a
    lost race writes 0 rows."""
    return (
        sa.update(_sessions)
        .where(_sessions.c.id == sa.bindparam("row_id"))
        .where(_sessions.c.version == sa.bindparam("read"))
        .values(
            version=_sessions.c.version + 1,
            **{name: sa.bindparam(f"new_{name}", type_=_sessions.c[name].type) for name in columns},
        )
    )


_WRITE_EXCHANGE = _write(_EXCHANGE_COLUMNS)
_WRITE_FINAL = _write(_FINAL_COLUMNS)


class _LostRace(Exception):
    """Another message to the session was stored between our read and our write (SQLite)."""


def submit_message(user_id: int, session_id: str, message: str) -> MessageResult:
    """Score the trainee's message, store it with the persona's reply; the fifth ends it.

    One transaction: the row lock (SELECT ... FOR UPDATE), the judgement, the UPDATE. On
    PostgreSQL the lock serializes concurrent messages. SQLite has no row locks: a write that
    lost the race (the version moved, nothing stored) is judged again from a fresh read. Each
    loss means another message to this session was stored, so MAX_EXCHANGES + 1 attempts always
    end in success or session_ended: no message is lost.
    """
    owned = owned_session_params(user_id, session_id)
    for _ in range(MAX_EXCHANGES + 1):
        try:
            with db.engine.begin() as connection:
                return _submit_once(connection, owned, message)
        except _LostRace:
            continue
    raise Conflict("concurrent update; retry")  # pragma: no cover - see the docstring


def _submit_once(connection: sa.Connection, owned: dict[str, Any], message: str) -> MessageResult:
    row = connection.execute(_LOCK, owned).first()
    if row is None:
        raise NotFound("Session not found")
    messages = list(row.messages or [])
    history = turns_from_messages(messages)
    exchange = sum(1 for turn in history if turn.role == "user") + 1
    if row.completed_at is not None or exchange > MAX_EXCHANGES:
        raise SessionEnded()  # leaving the block rolls back and releases the lock at once

    mapping = row._mapping
    if mapping["brief_id"] is not None:
        brief = brief_from_scenario({name: mapping[f"brief_{name}"] for name in _BRIEF_COLUMNS})
    else:
        brief = resolve_brief(GENERAL_SCENARIO_ID)
    coach = coach_engines.get_coach(current_app.config)
    judgement = coach.judge(brief, row.difficulty, history, message)
    award = clamp_score(judgement.score)
    engine = str(judgement.engine or coach.name)[:32]
    now = utcnow()
    stamp = now.isoformat()
    user_turn = {
        "role": "user",
        "content": message,
        "timestamp": stamp,
        "score": award,
        "feedback": judgement.feedback,
        "skills": list(judgement.skills),
        "engine": engine,
    }
    if judgement.fallback_reason:
        user_turn["fallbackReason"] = str(judgement.fallback_reason)[:200]
    reply: dict[str, Any] = {"role": "assistant", "content": judgement.response, "timestamp": stamp}
    # What the engine read (the conversation state is rebuilt from it on the next message).
    if judgement.user_meta:
        user_turn["meta"] = dict(judgement.user_meta)
    if judgement.reply_meta:
        reply["meta"] = dict(judgement.reply_meta)
    messages += [user_turn, reply]
    total = row.score + award
    changes: dict[str, Any] = {
        "messages": messages,
        "message_count": len(messages),
        "score": total,
        "duration": max(0, int((now - row.created_at).total_seconds())),
        # The session names the configured engine; each message names the one that scored it.
        "coach_engine": str(coach.name)[:32],
        "rubric_version": str(coach.rubric_version)[:32],
    }

    ended = exchange >= MAX_EXCHANGES
    xp = final = None
    if ended:
        conclusion = coach.conclude(brief, row.difficulty, turns_from_messages(messages))
        final, xp = conclusion.feedback.as_dict(), conclusion.xp
        changes.update(feedback=final, xp_earned=xp, completed_at=now)

    params = {f"new_{name}": value for name, value in changes.items()}
    params.update(row_id=row.id, read=row.version)
    written = connection.execute(_WRITE_FINAL if ended else _WRITE_EXCHANGE, params).rowcount
    if written != 1:
        raise _LostRace()
    return MessageResult(
        response=judgement.response,
        feedback=judgement.feedback,
        score_awarded=award,
        total_score=total,
        session_ended=ended,
        exchange=exchange,
        xp_earned=xp,
        final_feedback=final,
    )
