"""The coach: scoring and persona engines behind one small interface (see base.py)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from roleplay_api.services.coach.base import (
    MAX_EXCHANGES,
    MAX_SCORE,
    XP_MULTIPLIERS,
    Coach,
    FinalFeedback,
    Judgement,
    ScenarioBrief,
    Turn,
    xp_for,
)
from roleplay_api.services.coach.rules import RulesCoach

__all__ = [
    "MAX_EXCHANGES",
    "MAX_SCORE",
    "XP_MULTIPLIERS",
    "Coach",
    "FinalFeedback",
    "Judgement",
    "ScenarioBrief",
    "Turn",
    "get_coach",
    "xp_for",
]


def get_coach(config: Mapping[str, Any]) -> Coach:
    """The engine the configuration asks for (``COACH_ENGINE``); rules by default."""
    return RulesCoach()
