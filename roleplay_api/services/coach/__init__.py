"""The coach: scoring and persona engines behind one small interface (see base.py)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from roleplay_api.services.coach.base import (
    MAX_EXCHANGES,
    MAX_SCORE,
    Coach,
    Conclusion,
    FinalFeedback,
    Judgement,
    ScenarioBrief,
    Turn,
)
from roleplay_api.services.coach.engine import MeaningCoach, play, xp_for
from roleplay_api.services.coach.llm import ChatClient, LLMCoach

log = logging.getLogger(__name__)

__all__ = [
    "MAX_EXCHANGES",
    "MAX_SCORE",
    "Coach",
    "Conclusion",
    "FinalFeedback",
    "Judgement",
    "LLMCoach",
    "MeaningCoach",
    "ScenarioBrief",
    "Turn",
    "get_coach",
    "play",
    "warm",
    "xp_for",
]


def get_coach(config: Mapping[str, Any]) -> Coach:
    """The engine the configuration asks for (``COACH_ENGINE``); the meaning coach by default.

    ``llm`` needs LLM_BASE_URL and LLM_MODEL; without them the default engine is used.
    """
    engine = MeaningCoach()
    if str(config.get("COACH_ENGINE", "coach")).lower() == "llm":
        base_url, model = config.get("LLM_BASE_URL") or "", config.get("LLM_MODEL") or ""
        if base_url and model:
            client = ChatClient(
                base_url,
                str(config.get("LLM_API_KEY") or ""),
                model,
                timeout=float(config.get("LLM_TIMEOUT_SECONDS") or 10),
                retries=int(config.get("LLM_MAX_RETRIES") or 0),
            )
            return LLMCoach(client, engine)
        log.warning("coach: COACH_ENGINE=llm without LLM_BASE_URL/LLM_MODEL; using the default")
    return engine


def warm(config: Mapping[str, Any]) -> None:
    """Load the configured engine's model and embedder now (they are shared by the process)."""
    coach = get_coach(config)
    getattr(coach, "engine", coach).warm()
