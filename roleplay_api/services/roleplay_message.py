"""A roleplay message: the coach scores it and the persona replies; the fifth ends the session.

The coach is the app's (built once in create_app); it is asked in two places, ``_judge`` and
``_conclude``, and never while the database holds anything for us: a message is read, judged,
then written by one UPDATE guarded by the version it read (judged again if that moved).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from roleplay_api import database
from roleplay_api.database import statement
from roleplay_api.errors import Conflict, NotFound, SessionEnded
from roleplay_api.models import RoleplaySession, Scenario
from roleplay_api.models.types import utcnow
from roleplay_api.services.coach import (
    MAX_EXCHANGES,
    MAX_SCORE,
    Coach,
    Judgement,
    ScenarioBrief,
    Turn,
)
from roleplay_api.services.roleplay import (
    BRIEF_COLUMNS,
    GENERAL_SCENARIO_ID,
    OWNED_SESSION,
    brief_from_scenario,
    clip,
    coach,
    owned_session_params,
    resolve_brief,
)

_sessions = RoleplaySession.__table__
_scenarios = Scenario.__table__


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


def turns_from_messages(messages: list[dict[str, Any]]) -> list[Turn]:
    """The stored history as the coach reads it (a damaged entry reads as plainly as it can)."""
    return [
        Turn(
            role="user" if m.get("role") == "user" else "assistant",
            content=str(m.get("content") or ""),
            score=m.get("score") if isinstance(m.get("score"), int) else None,
            skills=tuple(s for s in m.get("skills") or () if isinstance(s, str))
            if isinstance(m.get("skills"), list)
            else (),
            meta=m.get("meta") if isinstance(m.get("meta"), dict) else None,
        )
        for m in messages
        if isinstance(m, dict)
    ]


def clamp_score(score: Any) -> int:
    # The engine promises 0..MAX_SCORE; an engine bug must not corrupt a stored total.
    return max(0, min(MAX_SCORE, int(score)))


# The session row with its scenario's brief columns when it is seeded; no lock is taken.
_READ = statement(
    "roleplay.read_for_message",
    sa.select(
        _sessions.c.id,
        _sessions.c.messages,
        _sessions.c.score,
        _sessions.c.difficulty,
        _sessions.c.created_at,
        _sessions.c.completed_at,
        _sessions.c.version,
        *(_scenarios.c[name].label(f"brief_{name}") for name in BRIEF_COLUMNS),
    )
    .select_from(_sessions.outerjoin(_scenarios, _scenarios.c.id == _sessions.c.scenario_id))
    .where(OWNED_SESSION),
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
# A fallback reason is a note in the stored history, not a column: kept short all the same.
MAX_FALLBACK_REASON = 200


def _write(name: str, columns: tuple[str, ...]) -> database.Statement:
    """The exchange's UPDATE, only over the version that was read: 0 rows if it moved."""
    return statement(
        name,
        sa.update(_sessions)
        .where(_sessions.c.id == sa.bindparam("row_id"))
        .where(_sessions.c.version == sa.bindparam("read"))
        .values(
            version=_sessions.c.version + 1,
            **{name: sa.bindparam(f"new_{name}", type_=_sessions.c[name].type) for name in columns},
        ),
    )


_WRITE_EXCHANGE = _write("roleplay.write_exchange", _EXCHANGE_COLUMNS)
_WRITE_FINAL = _write("roleplay.write_final", _FINAL_COLUMNS)


class _Moved(Exception):
    """Another message to the session was stored between our read and our write."""


def submit_message(user_id: int, session_id: str, message: str) -> MessageResult:
    """Score the trainee's message, store it with the persona's reply; the fifth ends it.

    Read the session, judge the message with no lock held and no connection taken, then write
    with one UPDATE guarded by the version that was read. If another message to the session was
    stored meanwhile (the version moved, nothing written), read and judge again. Each retry
    means one more stored exchange, so MAX_EXCHANGES + 1 attempts always end in success or
    session_ended: no message is lost, none is stored twice.
    """
    owned = owned_session_params(user_id, session_id)
    for _ in range(MAX_EXCHANGES + 1):
        try:
            return _submit_once(owned, message)
        except _Moved:
            continue
    raise Conflict("concurrent update; retry")  # pragma: no cover - see the docstring


def _submit_once(owned: dict[str, Any], message: str) -> MessageResult:
    row = database.first(_READ, owned)
    if row is None:
        raise NotFound("Session not found")
    messages = list(row.messages or [])
    history = turns_from_messages(messages)
    exchange = sum(1 for turn in history if turn.role == "user") + 1
    if row.completed_at is not None or exchange > MAX_EXCHANGES:
        raise SessionEnded()

    mapping = row._mapping
    if mapping["brief_id"] is not None:
        brief = brief_from_scenario({name: mapping[f"brief_{name}"] for name in BRIEF_COLUMNS})
    else:
        brief = resolve_brief(GENERAL_SCENARIO_ID)
    engine = coach()
    judgement = _judge(engine, brief, row.difficulty, history, message)
    award = clamp_score(judgement.score)
    now = utcnow()
    stamp = now.isoformat()
    user_turn = {
        "role": "user",
        "content": message,
        "timestamp": stamp,
        "score": award,
        "feedback": judgement.feedback,
        "skills": list(judgement.skills),
        "engine": clip(judgement.engine or engine.name, _sessions.c.coach_engine),
    }
    if judgement.fallback_reason:
        user_turn["fallbackReason"] = str(judgement.fallback_reason)[:MAX_FALLBACK_REASON]
    reply: dict[str, Any] = {"role": "assistant", "content": judgement.response, "timestamp": stamp}
    # What the coach read (the conversation state is rebuilt from it on the next message).
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
        "coach_engine": clip(engine.name, _sessions.c.coach_engine),
        "rubric_version": clip(engine.rubric_version, _sessions.c.rubric_version),
    }

    ended = exchange >= MAX_EXCHANGES
    xp = final = None
    if ended:
        final, xp = _conclude(engine, brief, row.difficulty, turns_from_messages(messages))
        changes.update(feedback=final, xp_earned=xp, completed_at=now)

    params = {f"new_{name}": value for name, value in changes.items()}
    params.update(row_id=row.id, read=row.version)
    if database.rowcount(_WRITE_FINAL if ended else _WRITE_EXCHANGE, params) != 1:
        raise _Moved()
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


def _judge(
    engine: Coach, brief: ScenarioBrief, difficulty: str, history: list[Turn], message: str
) -> Judgement:
    """The coach's score and the persona's reply for one message."""
    return engine.judge(brief, difficulty, history, message)


def _conclude(
    engine: Coach, brief: ScenarioBrief, difficulty: str, scored: list[Turn]
) -> tuple[dict[str, list[str]], int]:
    """The final feedback and the XP earned, once the last exchange is scored."""
    conclusion = engine.conclude(brief, difficulty, scored)
    return conclusion.feedback.as_dict(), conclusion.xp
