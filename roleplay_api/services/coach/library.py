"""ScenarioBriefs straight from the bundled library file (for the eval set, tests and the CLI)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from roleplay_api.services.coach.base import ScenarioBrief

FALLBACK_ID = "general_objection"


@lru_cache(maxsize=1)
def bundled_briefs() -> dict[str, ScenarioBrief]:
    """Every bundled scenario as the service would build it from the scenarios table."""
    text = resources.files("roleplay_api.data").joinpath("scenarios.yaml").read_text("utf-8")
    return {
        item["id"]: ScenarioBrief(
            id=item["id"],
            title=item["title"],
            description=item["description"],
            persona=dict(item["persona"]),
            skills=tuple(item["skills"]),
            tips=tuple(item["tips"]),
        )
        for item in yaml.safe_load(text)["scenarios"]
    }


def bundled_brief(scenario_id: str) -> ScenarioBrief:
    """The bundled scenario, or the general-purpose one for an unknown id."""
    briefs = bundled_briefs()
    return briefs.get(scenario_id) or briefs[FALLBACK_ID]
