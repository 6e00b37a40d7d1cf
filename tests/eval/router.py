"""Train the question router (roleplay_api/services/coach/router.py) on the labelled questions.

    python -m tests.eval.router [--cv] [--out PATH]

Without ``--cv`` it writes the shipped router (roleplay_api/data/coach/router.npz: retrain the
model after it, ``make train-coach`` does both); with ``--cv`` it only prints, unless ``--out``
is given.

The questions (tests/eval/corpus/questions.jsonl) were taken from the train writers' replies and
labelled by hand with what the buyer needs to answer them: a topic, ``offer``, ``checkin`` or
``other``. ``--cv`` prints the leave-one-writer-out accuracy (for choosing settings). No held-out
writer's question is in the file, and none may be added.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.linear_model import LogisticRegression

from roleplay_api.services.coach import lexical, topics
from roleplay_api.services.coach.embedding import get_embedder
from roleplay_api.services.coach.router import OTHER, ROUTER_FILE, Router
from roleplay_api.services.coach.text import expand
from tests.eval.corpus import HELD_OUT_WRITERS, PARKED_WRITERS, ROOT
from tests.eval.train import Lexicon

QUESTIONS = ROOT / "questions.jsonl"
C = 3.0  # chosen on the leave-one-writer-out accuracy (1: 0.80, 3: 0.82, 10: 0.82)


def load() -> list[dict]:
    items = [json.loads(line) for line in QUESTIONS.read_text("utf-8").splitlines() if line]
    held = {q["writer"] for q in items} & HELD_OUT_WRITERS
    if held:
        raise SystemExit(f"held-out writers' questions in {QUESTIONS}: {sorted(held)}")
    return [q for q in items if q["writer"] not in PARKED_WRITERS]


def dense(texts: list[str], kind: str) -> np.ndarray:
    vectors, _ = get_embedder(kind).encode([expand(t) for t in texts])
    return np.hstack([vectors, np.stack([topics.question_signs(t) for t in texts])])


def fit(x: np.ndarray, grams: list[dict[int, float]], y: np.ndarray, kind: str) -> Router:
    lexicon = Lexicon.fit(grams)
    words = lexicon.matrix(grams)
    model = LogisticRegression(C=C, max_iter=5000).fit(hstack([csr_matrix(x), words]).tocsr(), y)
    n = x.shape[1]
    return Router(
        labels=tuple(str(c) for c in model.classes_),
        embedder=get_embedder(kind).name,
        dense_w=model.coef_[:, :n].astype(np.float32),
        bias=model.intercept_.astype(np.float32),
        lex_index=lexicon.index,
        lex_idf=lexicon.idf,
        lex_w=model.coef_[:, n:].T.astype(np.float32),
    )


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def _abstaining(got: np.ndarray, sure: np.ndarray, y: np.ndarray) -> None:
    """What a floor on the router's confidence would do (below it, a topic becomes ``other``):
    how many topic answers the buyer gives are right, and how many right ones it loses."""
    topical = np.isin(y, topics.TOPICS)
    for floor in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7):
        routed = np.where((sure < floor) & np.isin(got, topics.TOPICS), OTHER, got)
        to_topic = np.isin(routed, topics.TOPICS)
        print(
            f"  floor {floor:.1f}: right {np.mean(routed == y):.3f}, topic answers right "
            f"{np.mean(routed[to_topic] == y[to_topic]):.3f} ({to_topic.sum()}), topic "
            f"questions answered {np.mean(routed[topical] == y[topical]):.3f}"
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="static")
    parser.add_argument("--cv", action="store_true", help="leave-one-writer-out accuracy")
    parser.add_argument("--out", help="where to write the router (default: the shipped file)")
    parser.add_argument(
        "--report-writers",
        help="with --cv, also the accuracy on these writers' folds (comma-separated), e.g. to "
        "compare a file that gained writers on the writers both have",
    )
    args = parser.parse_args(argv)
    shipped = Path(__file__).parents[2] / "roleplay_api" / "data" / ROUTER_FILE
    items = load()
    texts = [q["question"] for q in items]
    x = dense(texts, args.embedder)
    grams = [lexical.grams(t) for t in texts]
    y = np.array([q["label"] for q in items])
    writers = np.array([q["writer"] for q in items])
    print(f"{len(items)} questions: {dict(Counter(y).most_common())}")
    if args.cv:
        got, sure = np.empty(len(y), dtype=object), np.zeros(len(y))
        for writer in sorted(set(writers)):
            train = writers != writer
            router = fit(
                x[train],
                [g for g, t in zip(grams, train, strict=True) if t],
                y[train],
                args.embedder,
            )
            for i in np.flatnonzero(~train):
                p = softmax(router.logits(x[i], grams[i]))
                got[i], sure[i] = router.labels[int(np.argmax(p))], float(p.max())
        print(f"leave one writer out: {np.mean(got == y):.3f} routed right")
        if args.report_writers:
            mine = np.isin(writers, args.report_writers.split(","))
            print(f"  on {args.report_writers}: {np.mean(got[mine] == y[mine]):.3f} routed right")
        _abstaining(got, sure, y)
    if args.cv and not args.out:
        return 0
    out = args.out or str(shipped)
    fit(x, grams, y, args.embedder).save(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
