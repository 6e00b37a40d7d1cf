"""The difficulty levels: their names, XP multipliers and how hard each buyer is to win over.

The one table: the model's check constraint, the schemas, the coach and the buyer read it here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Difficulty:
    name: str
    xp_multiplier: float  # XP per point earned above par (README, docs/COACH.md)
    # The buyer (services/coach/buyer.py, state.py):
    start_trust: float  # trust before the first message
    bar: int  # a reply scoring this much neither warms nor cools the buyer
    agree_at: float  # trust the buyer needs by the last reply to agree to a next step
    shut_below: float  # trust under which the buyer ends the conversation for good
    short_answers: bool  # a guarded buyer answers a question in one sentence


LEVELS = (
    Difficulty("BEGINNER", 1.0, 1.0, 7, 1.0, -4.0, False),
    Difficulty("ROOKIE", 1.25, 0.5, 8, 1.0, -3.5, False),
    Difficulty("PRO", 1.5, 0.0, 9, 1.5, -3.0, True),
    Difficulty("ELITE", 2.0, -0.5, 10, 2.0, -2.5, True),
    Difficulty("NIGHTMARE", 3.0, -1.0, 11, 2.5, -2.0, True),
)
BY_NAME = {d.name: d for d in LEVELS}
DIFFICULTIES = tuple(BY_NAME)


def level(name: str) -> Difficulty:
    """The named difficulty; an unknown name is a bug (the schemas only let these through)."""
    return BY_NAME[name]
