"""The coach's corpus and its held-out figures, so `make test` catches a regression.

`make eval` prints every figure and checks the issue's targets; the floors below are the
figures the shipped model reached on the held-out writers when it was trained (docs/COACH.md),
less a small margin, so a change that makes the coach worse fails here.
"""

from __future__ import annotations

import pytest

from roleplay_api.difficulty import DIFFICULTIES
from roleplay_api.services.coach.library import bundled_briefs
from tests.eval import corpus as corpus_module
from tests.eval.evaluate import evaluate
from tests.eval.router import load as router_questions


@pytest.fixture(scope="module")
def corpus() -> corpus_module.Corpus:
    return corpus_module.load()


def test_corpus_is_split_by_writer_and_covers_every_scenario_and_level(corpus) -> None:
    train, held = corpus.split(held_out=False), corpus.split(held_out=True)
    assert set(held.writers) == corpus_module.HELD_OUT_WRITERS
    assert not set(train.writers) & corpus_module.HELD_OUT_WRITERS
    # parked writers are neither trained on nor in the train figures (nor in the router)
    assert not set(train.writers) & corpus_module.PARKED_WRITERS
    assert not {q["writer"] for q in router_questions()} & corpus_module.PARKED_WRITERS
    assert held.twins and train.twins
    assert len(corpus.replies) >= 2500 and len(corpus.twins) >= 40
    assert {c.scenario for c in corpus.contexts} >= set(bundled_briefs())
    assert {c.difficulty for c in corpus.contexts} == set(DIFFICULTIES)


def test_held_out_figures_hold() -> None:
    held = evaluate("held-out")
    assert held.pairwise >= 0.92, held
    assert held.band_agreement >= 0.80, held
    # Measured, not tuned (the guards follow what the shipped model does; the targets are
    # issue 12's): bad replies >= 14 were 5, 3, then 7 with the model that added w15/w16, the
    # router and the stacked harm trees (on the train writers, leave one out: 8 -> 12), and 8
    # with the one that added w17/w18 (train writers: 17 -> 19 of 7,553, within noise), 6 with
    # the one that added w19/w20 (train writers, the same sixteen folds: 18 -> 10), 7 with the
    # one that added w21 (train writers, the same eighteen folds: 21 -> 23, within noise), 5
    # with the one that added w22/w23 (train writers, the same nineteen folds: 26 -> 24), 6
    # with the one that added w27/w28 (train writers, the same twenty-one folds: 37 -> 39), 7
    # with the one that added w29-w31 at harm recall 0.94 (train writers, the same twenty-three
    # folds: 33 -> 30).
    assert held.bad_scored_14_or_more <= 7, held
    # 0.954 with the model of cb88ad8, 0.946 (244 of 258) with the one that added w13/w14 and the
    # band heads, 0.934 (241) with the one after it (train writers: 0.960 -> 0.964), 0.942 (243)
    # with the one that added w17/w18, 0.961 (248) with the one that added w19/w20 (train
    # writers: 0.962 -> 0.970), 0.950 (245) with the one that added w21 (train writers, the
    # same eighteen folds: 0.9633 -> 0.9624; three replies of 258, about one standard error),
    # 0.961 (248) with the one that added w22/w23 (train writers, the same nineteen folds:
    # 0.9625 -> 0.9616), 0.953 (246) with the one that added w27/w28 (train writers, the same
    # twenty-one folds: 0.9610 -> 0.9614), 0.9496 (245) with the one that added w29-w31 at harm
    # recall 0.94 (train writers, the same twenty-three folds: 0.9621 -> 0.9606, and clean replies
    # judged harmful 9.51 -> 9.13 %). The guard is a floor under what ships, not the target.
    assert held.harmful_capped >= 0.945, held
    assert held.twins_strong_wins == 1.0 and held.xp_strong_over_weak == 1.0, held
    assert held.distinct_buyer_sentences >= 0.9, held
