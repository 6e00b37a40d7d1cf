"""The coach: scoring and persona engines behind one small interface (see base.py)."""

from __future__ import annotations

import logging
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
from roleplay_api.services.coach.llm import ChatClient, LLMCoach
from roleplay_api.services.coach.rules import RulesCoach

log = logging.getLogger(__name__)

__all__ = [
    "MAX_EXCHANGES",
    "MAX_SCORE",
    "XP_MULTIPLIERS",
    "Coach",
    "FinalFeedback",
    "Judgement",
    "LLMCoach",
    "RulesCoach",
    "ScenarioBrief",
    "Turn",
    "get_coach",
    "xp_for",
]


def get_coach(config: Mapping[str, Any]) -> Coach:
    """The engine the configuration asks for (``COACH_ENGINE``); rules by default.

    ``llm`` needs LLM_BASE_URL and LLM_MODEL; without them the rules engine is used.
    """
    if str(config.get("COACH_ENGINE", "rules")).lower() == "llm":
        base_url, model = config.get("LLM_BASE_URL") or "", config.get("LLM_MODEL") or ""
        if base_url and model:
            client = ChatClient(
                base_url,
                str(config.get("LLM_API_KEY") or ""),
                model,
                timeout=float(config.get("LLM_TIMEOUT_SECONDS") or 10),
                retries=int(config.get("LLM_MAX_RETRIES") or 0),
            )
            return LLMCoach(client)
        log.warning("coach: COACH_ENGINE=llm without LLM_BASE_URL/LLM_MODEL; using the rules")
    return RulesCoach()
