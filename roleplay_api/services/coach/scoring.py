"""Turning a message's signals into points: what each skill earns and what each penalty costs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roleplay_api.services.coach.base import MAX_SCORE
from roleplay_api.services.coach.patterns import STRONG
from roleplay_api.services.coach.signals import Signals

HARMFUL_CAP = 5

SKILL_POINTS = {
    "acknowledge": 4,
    "discover": 4,
    "value": 4,
    "next_step": 4,
    "social_proof": 3,
    "respect": 3,
    "transparency": 3,
    "concise": 2,
    "polite": 1,
}
COSTLY_POINTS = {
    "dismissive": 4,
    "leading": 3,
    "feature_dump": 4,
    "monologue": 3,
    "ignored_objection": 4,
}
HARMFUL_POINTS = 8
# Share of a skill's points that weak evidence earns: a harder homeowner gives less credit for a
# bare "I understand" or a yes/no question than for the real thing.
WEAK_SHARE = {"BEGINNER": 0.75, "ROOKIE": 0.6, "PRO": 0.5, "ELITE": 0.4, "NIGHTMARE": 0.3}
# A skill the scenario does not ask for still helps, a little less.
OFF_SCENARIO_SHARE = 0.75
ALWAYS_RELEVANT = {"acknowledge", "discover", "concise", "polite"}


@dataclass(frozen=True)
class Score:
    total: int
    earned: dict[str, int]  # skill -> points
    lost: dict[str, int]  # penalty -> points
    capped: bool  # a harmful message, held to HARMFUL_CAP


def score(signals: Signals, scenario_skills: Sequence[str], difficulty: str) -> Score:
    weak_share = WEAK_SHARE.get(difficulty, WEAK_SHARE["PRO"])
    earned: dict[str, int] = {}
    for name, hit in signals.skills.items():
        points = float(SKILL_POINTS[name])
        if hit.strength < STRONG:
            points *= weak_share
        if scenario_skills and name not in scenario_skills and name not in ALWAYS_RELEVANT:
            points *= OFF_SCENARIO_SHARE
        earned[name] = max(1, round(points))
    lost = {name: HARMFUL_POINTS for name in signals.harmful}
    lost |= {name: COSTLY_POINTS[name] for name in signals.costly}
    total = max(0, min(MAX_SCORE, sum(earned.values()) - sum(lost.values())))
    capped = bool(signals.harmful)
    if capped:
        total = min(total, HARMFUL_CAP)
    return Score(total, earned, lost, capped)
