"""The coach's interface: what an engine gets and what it must return. Pure values only."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

MAX_EXCHANGES = 5
MAX_SCORE = 20
XP_MULTIPLIERS = {"BEGINNER": 1.0, "ROOKIE": 1.25, "PRO": 1.5, "ELITE": 2.0, "NIGHTMARE": 3.0}
DIFFICULTIES = tuple(XP_MULTIPLIERS)


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


@dataclass(frozen=True)
class Judgement:
    """The engine's answer to one trainee message."""

    response: str  # the persona's reply
    feedback: str  # one or two sentences on this message
    score: int  # 0..MAX_SCORE
    skills: tuple[str, ...] = ()  # what the message was credited for
    penalties: tuple[str, ...] = ()  # what cost it points
    engine: str = "rules"  # "rules", "llm", or "rules-fallback" when the LLM failed
    fallback_reason: str | None = None  # why the LLM's answer was not used (short)


@dataclass(frozen=True)
class FinalFeedback:
    strengths: list[str] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {"strengths": self.strengths, "improvements": self.improvements, "tips": self.tips}


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
    ) -> FinalFeedback:
        """Final feedback for a finished conversation (history holds every scored turn)."""
        ...


def xp_for(total_score: int, difficulty: str) -> int:
    """XP = total score x the difficulty's multiplier, rounded half up."""
    return math.floor(total_score * XP_MULTIPLIERS[difficulty] + 0.5)


def exchange_number(history: Sequence[Turn]) -> int:
    """The 1-based number of the exchange the next trainee message opens."""
    return sum(1 for turn in history if turn.role == "user") + 1
