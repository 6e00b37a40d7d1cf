"""The scenario library: loading the bundled file, seeding the table, looking scenarios up."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from roleplay_api import database
from roleplay_api.extensions import db
from roleplay_api.models import Scenario
from roleplay_api.models.types import utcnow

BUNDLED_LIBRARY = "scenarios.yaml"
# The general-purpose persona: what a session with an unknown scenario id talks to.
GENERAL_SCENARIO_ID = "general_objection"
_FIELDS = ("title", "description", "persona", "skills", "tips")


class LibraryError(ValueError):
    """The scenario file is not a valid library."""


@dataclass(frozen=True)
class SeedResult:
    created: int
    updated: int
    unchanged: int


def read_library(path: str | Path | None = None) -> list[dict[str, Any]]:
    """Read and check a scenario library (the bundled one unless ``path`` is given)."""
    if path is None:
        text = resources.files("roleplay_api.data").joinpath(BUNDLED_LIBRARY).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LibraryError(f"not valid YAML: {exc}") from None
    items = document.get("scenarios") if isinstance(document, dict) else None
    if not isinstance(items, list) or not items:
        raise LibraryError("expected a top-level 'scenarios' list")
    seen: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise LibraryError(f"scenario #{index + 1} has no string 'id'")
        missing = [name for name in _FIELDS if name not in item]
        if missing:
            raise LibraryError(f"scenario {item['id']!r} lacks {', '.join(missing)}")
        persona = item["persona"]
        if not isinstance(persona, dict) or not {"name", "openingLine"} <= set(persona):
            raise LibraryError(f"scenario {item['id']!r}: persona needs name and openingLine")
        if item["id"] in seen:
            raise LibraryError(f"scenario {item['id']!r} appears twice")
        seen.add(item["id"])
    return items


@functools.cache
def _bundled_by_id() -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in read_library()}


def bundled_scenario(scenario_id: str) -> dict[str, Any]:
    """One scenario of the bundled library, read once (KeyError for an unknown id)."""
    return _bundled_by_id()[scenario_id]


def seed_scenarios(path: str | Path | None = None) -> SeedResult:
    """Upsert every scenario of the library by id; a second run changes nothing."""
    items = read_library(path)
    existing = {s.id: s for s in db.session.scalars(sa.select(Scenario))}
    created = updated = unchanged = 0
    for position, item in enumerate(items):
        values = {name: item[name] for name in _FIELDS} | {"position": position}
        scenario = existing.get(item["id"])
        if scenario is None:
            db.session.add(Scenario(id=item["id"], **values))
            created += 1
        elif any(getattr(scenario, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(scenario, key, value)
            scenario.updated_at = utcnow()
            updated += 1
        else:
            unchanged += 1
    db.session.commit()
    return SeedResult(created, updated, unchanged)


_LIST = database.statement(
    "scenarios.list",
    sa.select(
        Scenario.id, Scenario.title, Scenario.description, Scenario.persona, Scenario.skills
    ).order_by(Scenario.position, Scenario.id),
)


def list_scenarios() -> list[Any]:
    """The seeded scenarios in library order (rows: id, title, description, persona, skills)."""
    return database.all_rows(_LIST, {})
