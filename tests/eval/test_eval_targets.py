"""The coach's held-out targets, so `make test` catches a regression (`make eval` for details)."""

from __future__ import annotations

from roleplay_api.services.coach.base import DIFFICULTIES
from tests.eval.evaluate import evaluate, load


def test_eval_set_is_split_and_covers_every_scenario() -> None:
    replies, conversations = load()
    assert len({i.scenario for i in replies}) >= 10
    assert any(i.holdout for i in replies) and any(not i.holdout for i in replies)
    assert {i.label for i in replies} == {"strong", "weak", "harmful"}
    assert all(len(c.messages) == 5 for c in conversations)


def test_held_out_targets() -> None:
    held = evaluate(difficulties=DIFFICULTIES)["held-out"]
    assert held.pairwise >= 0.95, held.misses
    assert held.harmful_share == 1.0, held.misses
    assert held.conversations == 1.0, held.misses
