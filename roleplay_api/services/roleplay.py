"""Roleplay sessions: start one, then trade five scored exchanges with the persona."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm.exc import StaleDataError

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
    xp_for,
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


def owned_session(user_id: int, session_id: str) -> sa.ColumnElement[bool]:
    """Where-clause for the caller's session: another user's is as absent as none (404).

    An id that cannot exist is a NotFound at once, without a query.
    """
    if not is_session_id(session_id):
        raise NotFound("Session not found")
    return sa.and_(RoleplaySession.session_id == session_id, RoleplaySession.user_id == user_id)


def brief_from_scenario(scenario: Scenario) -> ScenarioBrief:
    return ScenarioBrief(
        id=scenario.id,
        title=scenario.title,
        description=scenario.description,
        persona=dict(scenario.persona),
        skills=tuple(scenario.skills or ()),
        tips=tuple(scenario.tips or ()),
    )


def resolve_brief(scenario: Scenario | None) -> ScenarioBrief:
    """The scenario's brief; for an unknown id the general persona (seeded, else built in)."""
    if scenario is None:
        scenario = db.session.get(Scenario, GENERAL_SCENARIO_ID)
    if scenario is None:
        # Not even the general persona is seeded: answer from the bundled library file.
        return library.bundled_brief(GENERAL_SCENARIO_ID)
    return brief_from_scenario(scenario)


def turns_from_messages(messages: list[dict[str, Any]]) -> list[Turn]:
    return [
        Turn(
            role=m["role"],
            content=m["content"],
            score=m.get("score"),
            skills=tuple(m.get("skills") or ()),
        )
        for m in messages
    ]


def clamp_score(score: Any) -> int:
    # The engine promises 0..MAX_SCORE; an engine bug must not corrupt a stored total.
    return max(0, min(MAX_SCORE, int(score)))


def start_session(
    user_id: int, scenario_id: str, scenario_title: str, difficulty: str
) -> StartedSession:
    """Create an active session; an unknown scenario id gets the general-purpose persona."""
    brief = resolve_brief(db.session.get(Scenario, scenario_id))
    coach = coach_engines.get_coach(current_app.config)
    session = RoleplaySession(
        session_id=new_session_id(),
        user_id=user_id,
        scenario_id=scenario_id,
        scenario_title=scenario_title,
        difficulty=difficulty,
        messages=[],
        message_count=0,
        score=0,
        duration=0,
        xp_earned=0,
        coach_engine=str(coach.name)[:32],
        rubric_version=str(coach.rubric_version)[:32],
        created_at=utcnow(),
    )
    db.session.add(session)
    db.session.flush()
    # Built before the commit so answering needs no reload of the expired row.
    result = StartedSession(
        session_id=session.session_id,
        scenario_id=scenario_id,
        scenario_title=scenario_title,
        difficulty=difficulty,
        opening_line=str(brief.persona.get("openingLine", "")),
        persona_name=str(brief.persona.get("name", "")),
        score=0,
        max_exchanges=MAX_EXCHANGES,
        is_active=True,
        created_at=session.created_at,
    )
    db.session.commit()
    return result


def _lock_session(user_id: int, session_id: str) -> tuple[RoleplaySession, Scenario | None]:
    """The caller's session, row-locked on PostgreSQL, with its seeded scenario if any.

    FOR UPDATE serializes concurrent messages to one session; SQLite ignores it and the
    version column catches the race instead (StaleDataError at commit).
    """
    stmt = (
        sa.select(RoleplaySession, Scenario)
        .outerjoin(Scenario, Scenario.id == RoleplaySession.scenario_id)
        .where(owned_session(user_id, session_id))
        .with_for_update(of=RoleplaySession)
        .execution_options(populate_existing=True)
    )
    row = db.session.execute(stmt).first()
    if row is None:
        raise NotFound("Session not found")
    return row[0], row[1]


def submit_message(user_id: int, session_id: str, message: str) -> MessageResult:
    """Score the trainee's message, store it with the persona's reply; the fifth ends it.

    On PostgreSQL the row lock serializes concurrent messages. SQLite has no row locks: a
    write that lost the race (StaleDataError, nothing stored) is judged again from a fresh
    read. Each loss means another message to this session was stored, so MAX_EXCHANGES + 1
    attempts always end in success or session_ended: no message is lost.
    """
    for _ in range(MAX_EXCHANGES + 1):
        try:
            return _submit_once(user_id, session_id, message)
        except StaleDataError:
            db.session.rollback()
    raise Conflict("concurrent update; retry")  # pragma: no cover - see the docstring


def _submit_once(user_id: int, session_id: str, message: str) -> MessageResult:
    session, scenario = _lock_session(user_id, session_id)
    history = turns_from_messages(session.messages or [])
    exchange = sum(1 for turn in history if turn.role == "user") + 1
    if session.completed_at is not None or exchange > MAX_EXCHANGES:
        db.session.rollback()  # release the row lock at once
        raise SessionEnded()

    brief = resolve_brief(scenario)
    coach = coach_engines.get_coach(current_app.config)
    judgement = coach.judge(brief, session.difficulty, history, message)
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
    reply = {"role": "assistant", "content": judgement.response, "timestamp": stamp}
    # A new list (not an in-place append) so the JSON column is seen as changed.
    session.messages = [*(session.messages or []), user_turn, reply]
    session.message_count = len(session.messages)
    session.score = session.score + award
    session.duration = max(0, int((now - session.created_at).total_seconds()))
    # The session names the configured engine; each message names the one that scored it.
    session.coach_engine = str(coach.name)[:32]
    session.rubric_version = str(coach.rubric_version)[:32]

    ended = exchange >= MAX_EXCHANGES
    xp = final = None
    if ended:
        scored = [
            *history,
            Turn("user", message, award, tuple(judgement.skills)),
            Turn("assistant", judgement.response),
        ]
        final = coach.conclude(brief, session.difficulty, scored).as_dict()
        xp = xp_for(session.score, session.difficulty)
        session.feedback = final
        session.xp_earned = xp
        session.completed_at = now

    result = MessageResult(
        response=judgement.response,
        feedback=judgement.feedback,
        score_awarded=award,
        total_score=session.score,
        session_ended=ended,
        exchange=exchange,
        xp_earned=xp,
        final_feedback=final,
    )
    db.session.commit()  # StaleDataError (SQLite only) is retried by submit_message
    return result
