"""The coach's evaluation: labeled replies and scripted conversations, split train / held-out.

Run ``make eval`` (or ``python -m tests.eval.evaluate``) for the full report. A reply or a
conversation is held out by a stable hash of its text, not by choice, so tuning the rules on the
train part cannot quietly tune them on the held-out part too.
"""

from __future__ import annotations

import hashlib
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from roleplay_api.services.coach.base import DIFFICULTIES, Coach, Turn
from roleplay_api.services.coach.library import bundled_brief
from roleplay_api.services.coach.rules import RulesCoach
from roleplay_api.services.coach.scoring import HARMFUL_CAP

DATA = Path(__file__).with_name("data")
HOLDOUT_SHARE = 3  # one in three items is held out


def held_out(*parts: str) -> bool:
    digest = hashlib.sha256("|".join(parts).encode()).digest()
    return digest[0] % HOLDOUT_SHARE == 0


@dataclass(frozen=True)
class Item:
    scenario: str
    label: str  # strong | weak | harmful
    messages: tuple[str, ...]  # one reply, or a five-message conversation
    holdout: bool


def load() -> tuple[list[Item], list[Item]]:
    """(replies, conversations) of every data file."""
    replies: list[Item] = []
    conversations: list[Item] = []
    for path in sorted(DATA.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text("utf-8"))
        sid = doc["scenario"]
        for label, texts in doc["replies"].items():
            for text in texts:
                replies.append(Item(sid, label, (text,), held_out(sid, text)))
        for label, scripts in doc["conversations"].items():
            for script in scripts:
                key = held_out(sid, *script)
                conversations.append(Item(sid, label, tuple(script), key))
    return replies, conversations


def play(coach: Coach, item: Item, difficulty: str) -> tuple[int, list[Turn]]:
    """Total score of a scripted conversation and its history."""
    scenario = bundled_brief(item.scenario)
    history: list[Turn] = []
    for message in item.messages:
        judgement = coach.judge(scenario, difficulty, history, message)
        history.append(Turn("user", message, judgement.score, judgement.skills))
        history.append(Turn("assistant", judgement.response))
    return sum(t.score or 0 for t in history), history


@dataclass
class Figures:
    pairs: int = 0
    pairs_won: int = 0
    harmful: int = 0
    harmful_capped: int = 0
    conv_pairs: int = 0
    conv_pairs_won: int = 0
    misses: list[str] | None = None

    @property
    def pairwise(self) -> float:
        return self.pairs_won / self.pairs if self.pairs else 1.0

    @property
    def harmful_share(self) -> float:
        return self.harmful_capped / self.harmful if self.harmful else 1.0

    @property
    def conversations(self) -> float:
        return self.conv_pairs_won / self.conv_pairs if self.conv_pairs else 1.0


def _pairs(items: list[Item]) -> Iterator[tuple[Item, Item]]:
    for _sid, group in itertools.groupby(
        sorted(items, key=lambda i: i.scenario), lambda i: i.scenario
    ):
        group = list(group)
        strong = [i for i in group if i.label == "strong"]
        weak = [i for i in group if i.label == "weak"]
        yield from itertools.product(strong, weak)


def evaluate(
    coach: Coach | None = None, difficulties: tuple[str, ...] = DIFFICULTIES
) -> dict[str, Figures]:
    """Figures for the train part (every item seen) and the held-out part (any item held out)."""
    coach = coach or RulesCoach()
    replies, conversations = load()
    parts = {"train": Figures(misses=[]), "held-out": Figures(misses=[])}
    for difficulty in difficulties:
        scores = {
            item: coach.judge(bundled_brief(item.scenario), difficulty, [], item.messages[0]).score
            for item in replies
        }
        for strong, weak in _pairs(replies):
            figures = parts["held-out" if strong.holdout or weak.holdout else "train"]
            figures.pairs += 1
            if scores[strong] > scores[weak]:
                figures.pairs_won += 1
            else:
                figures.misses.append(
                    f"[{difficulty}] {strong.scenario}: strong {scores[strong]} <= weak "
                    f"{scores[weak]}: {strong.messages[0]!r} vs {weak.messages[0]!r}"
                )
        for item in replies:
            if item.label == "harmful":
                figures = parts["held-out" if item.holdout else "train"]
                figures.harmful += 1
                if scores[item] <= HARMFUL_CAP:
                    figures.harmful_capped += 1
                else:
                    figures.misses.append(
                        f"[{difficulty}] {item.scenario}: harmful scored {scores[item]}: "
                        f"{item.messages[0]!r}"
                    )
        totals = {item: play(coach, item, difficulty)[0] for item in conversations}
        for strong, weak in _pairs(conversations):
            figures = parts["held-out" if strong.holdout or weak.holdout else "train"]
            figures.conv_pairs += 1
            if totals[strong] > totals[weak]:
                figures.conv_pairs_won += 1
            else:
                figures.misses.append(
                    f"[{difficulty}] {strong.scenario}: strong conversation {totals[strong]} "
                    f"<= weak {totals[weak]}"
                )
    return parts


def outcomes(coach: Coach | None = None) -> list[str]:
    """Per difficulty: how many strong and weak conversations end with the homeowner agreeing."""
    coach = coach or RulesCoach()
    _, conversations = load()
    lines = []
    for difficulty in DIFFICULTIES:
        agreed = {"strong": 0, "weak": 0}
        count = {"strong": 0, "weak": 0}
        for item in conversations:
            history = play(coach, item, difficulty)[1]
            closing = bundled_brief(item.scenario).persona["closing"]["agree"]
            agreed[item.label] += history[-1].content.endswith(tuple(closing))
            count[item.label] += 1
        lines.append(
            f"  {difficulty:<9} homeowner agrees after strong {agreed['strong']}/{count['strong']}"
            f", after weak {agreed['weak']}/{count['weak']}"
        )
    return lines


def report(parts: dict[str, Figures], verbose: bool = True) -> str:
    replies, conversations = load()
    lines = [
        f"eval set: {len(replies)} replies, {len(conversations)} conversations "
        f"({sum(i.holdout for i in replies)} replies and "
        f"{sum(i.holdout for i in conversations)} conversations held out); "
        f"every difficulty: {', '.join(DIFFICULTIES)}",
    ]
    for name, f in parts.items():
        lines.append(
            f"{name:>9}: pairwise {f.pairwise:.3f} ({f.pairs_won}/{f.pairs})  "
            f"harmful<={HARMFUL_CAP} {f.harmful_share:.3f} ({f.harmful_capped}/{f.harmful})  "
            f"conversations strong>weak {f.conversations:.3f} ({f.conv_pairs_won}/{f.conv_pairs})"
        )
    lines.append("conversation outcomes (fifth reply):")
    lines.extend(outcomes())
    if verbose:
        for name, f in parts.items():
            for miss in f.misses or []:
                lines.append(f"  miss ({name}) {miss}")
    return "\n".join(lines)


def main() -> int:
    parts = evaluate()
    print(report(parts, verbose="-q" not in sys.argv))
    held = parts["held-out"]
    ok = held.pairwise >= 0.95 and held.harmful_share == 1.0 and held.conversations == 1.0
    print(
        "target (held-out: pairwise >= 0.95, harmful 1.0, conversations 1.0):",
        "MET" if ok else "NOT MET",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
