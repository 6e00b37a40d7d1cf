"""The coach's interface: what an engine gets and what it must return. Pure values only."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from roleplay_api.difficulty import DIFFICULTIES, level

MAX_EXCHANGES = 5
MAX_SCORE = 20
PAR = 8  # a passable reply: XP counts from here (engine.xp_for), and less is "weak"

__all__ = [
    "DIFFICULTIES",
    "MAX_EXCHANGES",
    "MAX_SCORE",
    "Coach",
    "Conclusion",
    "FinalFeedback",
    "Judgement",
    "ScenarioBrief",
    "Turn",
    "exchange_number",
    "level",
]


@dataclass(frozen=True)
class ScenarioBrief:
    """What an engine knows of a scenario (a seeded one, or the general-purpose persona)."""

    id: str
    title: str
    description: str
    persona: dict[str, Any]
    skills: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()


@dataclass(frozen=True)
class Turn:
    """One stored message of the conversation so far."""

    role: str  # "user" (the trainee) or "assistant" (the persona)
    content: str
    score: int | None = None  # the trainee's award for this message, when known
    skills: tuple[str, ...] = ()
    # What the engine read in this turn when it was stored (the conversation state is rebuilt
    # from it); absent for turns stored by older engines, which are read again.
    meta: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class Judgement:
    """The engine's answer to one trainee message."""

    response: str  # the persona's reply
    feedback: str  # one or two sentences on this message
    score: int  # 0..MAX_SCORE
    skills: tuple[str, ...] = ()  # what the message was credited for
    penalties: tuple[str, ...] = ()  # what cost it points (harms first)
    engine: str = "coach"  # the engine that scored it ("...-fallback" when the LLM failed)
    fallback_reason: str | None = None  # why the LLM's answer was not used (short)
    points: Mapping[str, int] = field(default_factory=dict)  # skill -> points, penalty -> -points
    harm: str | None = None  # the harm that capped the score, if any
    evidence: Mapping[str, str] = field(default_factory=dict)  # skill or harm -> the words
    user_meta: Mapping[str, Any] | None = None  # stored with the trainee's message
    reply_meta: Mapping[str, Any] | None = None  # stored with the persona's reply


@dataclass(frozen=True)
class FinalFeedback:
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"strengths": self.strengths, "improvements": self.improvements, "tips": self.tips}


@dataclass(frozen=True)
class Conclusion:
    """The end of a session: the final feedback and the XP it earned."""

    feedback: FinalFeedback
    xp: int
    agreed: bool  # the persona agreed to a next step


class Coach(Protocol):
    name: str
    rubric_version: str

    def judge(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], message: str
    ) -> Judgement:
        """Score ``message`` (exchange number len(user turns in history) + 1) and reply to it.

        On the MAX_EXCHANGES-th exchange the reply concludes the conversation.
        """
        ...

    def conclude(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn]
    ) -> Conclusion:
        """Final feedback and XP for a finished conversation (every turn scored)."""
        ...


def exchange_number(history: Sequence[Turn]) -> int:
    """The 1-based number of the exchange the next trainee message opens."""
    return sum(1 for turn in history if turn.role == "user") + 1
