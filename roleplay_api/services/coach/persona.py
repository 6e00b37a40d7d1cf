"""The homeowner's side: how warm they are after each reply, and what they say back."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from roleplay_api.services.coach.base import MAX_EXCHANGES
from roleplay_api.services.coach.signals import Signals

# A reply scoring above the bar warms the homeowner, below it cools them; harder personas have a
# higher bar and start colder, so NIGHTMARE needs several excellent replies before softening.
BAR = {"BEGINNER": 4, "ROOKIE": 6, "PRO": 7, "ELITE": 8, "NIGHTMARE": 10}
START = {"BEGINNER": 0.0, "ROOKIE": -0.5, "PRO": -1.0, "ELITE": -2.0, "NIGHTMARE": -3.0}
WARM_AT = 1.0  # softens at this warmth, and agrees to a next step at the end
HARM_STEP = -3.0

REACTIONS = {
    "pressure": "I'm not signing anything today, and pushing won't help.",
    "argue": "Don't tell me I'm wrong about my own house.",
    "insult": "Excuse me? Don't talk to me like that.",
    "threat": "Is that a threat? I'm about to close this door.",
    "discrimination": "Wow. That's offensive.",
    "deception": "That doesn't sound true at all. Now I trust you even less.",
    "data_request": "I'm not giving personal information to someone at my door.",
    "shouting": "There's no need to shout at me.",
    "dismissive": "It matters to me, though.",
    "leading": "Don't put words in my mouth.",
    "feature_dump": "I don't need the spec sheet.",
    "monologue": "That's a lot of talking.",
    "ignored_objection": "You're not really answering what I said.",
}
GENERIC_ANSWERS = {
    "cost": "Our bills are around a hundred and eighty a month.",
    "time": "Another day would be better.",
    "decision": "I'd decide with my family.",
    "concern": "I just don't want to be talked into something.",
    "home": "We've been in this house a while.",
    "info": "You can leave something.",
    "provider": "We don't really have anyone for that.",
    "experience": "Nothing special to tell.",
    "verify": "I'd want to look you up first.",
}
DEFAULT_CLOSING = {
    "agree": ["Alright, let's set up a time to look at it properly."],
    "decline": ["I don't think so. Thanks for your time."],
}


def pick(options: Sequence[str], *seed: object) -> str:
    """A stable choice among ``options`` for these inputs (never random)."""
    digest = hashlib.sha256("|".join(map(str, seed)).encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


def step(score: int | None, harmful: bool, difficulty: str) -> float:
    """How much one reply warms (positive) or cools (negative) the homeowner."""
    if harmful:
        return HARM_STEP
    bar = BAR.get(difficulty, BAR["PRO"])
    value = bar if score is None else score
    return max(-2.0, min(2.0, (value - bar) / 3))


def warmth(difficulty: str, steps: Sequence[float]) -> float:
    return START.get(difficulty, START["PRO"]) + sum(steps)


def agrees(final_warmth: float, harmful_last: bool) -> bool:
    return final_warmth >= WARM_AT and not harmful_last


def _first_sentence(text: str) -> str:
    head, dot, _ = text.partition(". ")
    return head + ("." if dot else "")


def reply(
    persona: dict[str, Any],
    difficulty: str,
    number: int,
    signals: Signals,
    current_warmth: float,
    seed: str,
    said: Sequence[str] = (),
) -> str:
    """What the homeowner says after trainee message ``number`` (the last one concludes).

    ``said`` holds the homeowner's earlier replies, so an answer is not repeated word for word.
    """
    parts: list[str] = []
    harmful = next(iter(signals.harmful), None)
    costly = next(iter(signals.costly), None)
    warm = current_warmth >= WARM_AT and harmful is None
    if harmful:
        parts.append(REACTIONS[harmful])
    elif costly and not warm:
        parts.append(REACTIONS[costly])
    if number >= MAX_EXCHANGES:
        closing = persona.get("closing") or DEFAULT_CLOSING
        key = "agree" if agrees(current_warmth, harmful is not None) else "decline"
        parts.append(pick(closing.get(key) or DEFAULT_CLOSING[key], seed, key))
        return " ".join(parts)
    if harmful:
        parts.append(pick(persona.get("hardening") or [REACTIONS[harmful]], seed, "hard"))
        return " ".join(dict.fromkeys(parts))
    if signals.topic:
        answers = persona.get("answers") or {}
        answer = answers.get(signals.topic) or GENERIC_ANSWERS.get(signals.topic, "")
        first = _first_sentence(answer)
        if first and any(first in earlier for earlier in said):
            answer = f"Like I said: {first[:1].lower()}{first[1:]}"
        # A guarded homeowner answers the question, but only just.
        parts.append(answer if warm or difficulty == "BEGINNER" else _first_sentence(answer))
    elif signals.asked and not warm:
        parts.append("Hm. I'm not sure.")
    if warm:
        parts.append(pick(persona.get("softening") or ["Okay, go on."], seed, "soft"))
    elif not signals.topic or current_warmth < WARM_AT - 2:
        objections = persona.get("objections") or ["I'm still not convinced."]
        parts.append(objections[(number - 1) % len(objections)])
    return " ".join(part for part in parts if part)
