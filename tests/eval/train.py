"""Train the coach's heads and score model on the corpus' train writers (``make train-coach``).

    python -m tests.eval.train [--embedder static|minilm] [--out PATH] [--cv]

Level 1: per head, a logistic regression over the embedding features and one over the hashed
words. Level 2, fitted on the train writers' leave-one-writer-out answers of level 1 (so it
learns how far each is to be trusted on a writer it has not seen): the blend of the two per
head, then the score model (ridge) and the harm threshold. Held-out writers are never read here.
``--cv`` prints the leave-one-writer-out figures of the train writers (for choosing settings).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
from sklearn.linear_model import LogisticRegression, Ridge

from roleplay_api.services.coach import lexical, phrases, rubric
from roleplay_api.services.coach import text as texts
from roleplay_api.services.coach.features import CONTEXT_NAMES, N_SIGNS
from roleplay_api.services.coach.model import Model, score_features, sigmoid
from roleplay_api.services.coach.reading import SIGN_NAMES
from tests.eval import corpus as corpus_module
from tests.eval.dataset import BANDS, CACHE, Rows, rows

HEADS = (
    *corpus_module.SKILLS,
    *corpus_module.HARMS,
    "harm",
    "ignores",
    "generic",
    "stock_stack",
    "reask",
    "repeat",
    "premature_close",
    "off_topic",
    "feature_dump",
    "dismissive",
    "vague",
    "monologue",
    "leading",
    "discount_dump",
    "broken_promise",
)
# Heads that read the trainer's band straight from the words and the meaning. The trees see
# them; the ridge does not (its shares name a skill's points and a flaw's cost). On by default
# (shipped); COACH_BAND_HEADS=0 leaves them out, to compare.
BAND_HEADS = () if os.environ.get("COACH_BAND_HEADS") == "0" else tuple(BANDS)
HEADS = (*HEADS, *BAND_HEADS)
EMB_C = 0.01
LEX_C = 4.0
RIDGE_ALPHA = 3.0
HARM_RECALL = 0.94  # the harm threshold keeps this share of the train writers' harms (out of fold)
LEVEL_COLUMN = len(SIGN_NAMES) + CONTEXT_NAMES.index("level")


@dataclass
class Lexicon:
    """The train rows' hashed n-grams, with the buckets they use and their idf."""

    index: np.ndarray
    idf: np.ndarray

    @classmethod
    def fit(cls, grams: list[dict[int, float]]) -> Lexicon:
        df: dict[int, int] = {}
        for g in grams:
            for key in g:
                df[key] = df.get(key, 0) + 1
        index = np.array(sorted(df), dtype=np.int64)
        counts = np.array([df[k] for k in index], dtype=np.float64)
        idf = np.log((1 + len(grams)) / (1 + counts)) + 1.0
        return cls(index, idf.astype(np.float32))

    def matrix(self, grams: list[dict[int, float]]) -> csr_matrix:
        from roleplay_api.services.coach.model import sparse_row

        data, indices, pointers = [], [], [0]
        for g in grams:
            at, values = sparse_row(g, self.index, self.idf)
            indices.extend(at.tolist())
            data.extend(values.tolist())
            pointers.append(len(indices))
        return csr_matrix((data, indices, pointers), shape=(len(grams), len(self.index)))


def labels(data: Rows, heads: tuple[str, ...]) -> np.ndarray:
    return np.stack([data.labels(h) for h in heads], axis=1)


def present(y: np.ndarray) -> bool:
    return 0 < y.sum() < len(y)


@dataclass
class Level1:
    heads: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    emb_w: np.ndarray
    emb_b: np.ndarray
    lexicon: Lexicon
    lex_w: np.ndarray
    lex_b: np.ndarray

    def logits(self, x: np.ndarray, grams: list[dict[int, float]]) -> tuple[np.ndarray, np.ndarray]:
        emb = ((x - self.mean) / self.scale) @ self.emb_w.T + self.emb_b
        lex = self.lexicon.matrix(grams) @ self.lex_w + self.lex_b
        return emb, np.asarray(lex)


def fit_level1(
    x: np.ndarray, grams: list[dict[int, float]], y: np.ndarray, heads: tuple[str, ...]
) -> Level1:
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-6] = 1.0
    z = (x - mean) / scale
    lexicon = Lexicon.fit(grams)
    s = lexicon.matrix(grams)
    emb_w = np.zeros((len(heads), x.shape[1]), dtype=np.float32)
    emb_b = np.full(len(heads), -10.0, dtype=np.float32)
    lex_w = np.zeros((len(lexicon.index), len(heads)), dtype=np.float32)
    lex_b = np.full(len(heads), -10.0, dtype=np.float32)
    for j in range(len(heads)):
        if not present(y[:, j]):
            continue
        emb = LogisticRegression(C=EMB_C, max_iter=4000).fit(z, y[:, j])
        emb_w[j], emb_b[j] = emb.coef_[0], emb.intercept_[0]
        lex = LogisticRegression(C=LEX_C, max_iter=4000).fit(s, y[:, j])
        lex_w[:, j], lex_b[j] = lex.coef_[0], lex.intercept_[0]
    return Level1(
        heads,
        mean.astype(np.float32),
        scale.astype(np.float32),
        emb_w,
        emb_b,
        lexicon,
        lex_w,
        lex_b,
    )


def out_of_fold(
    data: Rows, grams: list[dict[int, float]], heads: tuple[str, ...], cache_key: str
) -> tuple[np.ndarray, np.ndarray]:
    """Leave-one-writer-out level-1 logits (embedding, words) of every row; cached."""
    path = CACHE / f"coach-oof-{cache_key}.npz"
    if path.exists():
        saved = np.load(path)
        return saved["emb"], saved["lex"]
    y = labels(data, heads)
    writers = data.writers
    emb = np.zeros((len(data.replies), len(heads)), dtype=np.float32)
    lex = np.zeros_like(emb)
    for writer in sorted(set(writers)):
        train, test = writers != writer, writers == writer
        level1 = fit_level1(
            data.x[train], [g for g, t in zip(grams, train, strict=True) if t], y[train], heads
        )
        e, w = level1.logits(data.x[test], [g for g, t in zip(grams, test, strict=True) if t])
        emb[test], lex[test] = e, w
        print(f"  out of fold: {writer} done", file=sys.stderr, flush=True)
    CACHE.mkdir(exist_ok=True)
    np.savez_compressed(path, emb=emb, lex=lex)
    return emb, lex


def fit_blend(emb: np.ndarray, lex: np.ndarray, y: np.ndarray) -> np.ndarray:
    blend = np.zeros((emb.shape[1], 3), dtype=np.float32)
    for j in range(emb.shape[1]):
        if not present(y[:, j]):
            blend[j] = (0.0, 0.0, -10.0)
            continue
        m = LogisticRegression(C=1.0).fit(np.c_[emb[:, j], lex[:, j]], y[:, j])
        blend[j] = (m.coef_[0][0], m.coef_[0][1], m.intercept_[0])
    return blend


def blended(emb: np.ndarray, lex: np.ndarray, blend: np.ndarray) -> np.ndarray:
    return sigmoid(blend[:, 0] * emb + blend[:, 1] * lex + blend[:, 2])


def score_matrix(probs: np.ndarray, x: np.ndarray) -> np.ndarray:
    signs = x[:, -N_SIGNS:]
    level = signs[:, LEVEL_COLUMN]
    return np.stack(
        [score_features(p, lv, s) for p, lv, s in zip(probs, level, signs, strict=True)]
    )


@dataclass
class Level2:
    blend: np.ndarray
    score_w: np.ndarray
    score_b: float
    harm_threshold: float
    calib_x: np.ndarray
    calib_y: np.ndarray
    trees: dict[str, np.ndarray] = field(default_factory=dict)
    harm_trees: dict[str, np.ndarray] = field(default_factory=dict)


CALIBRATE = True
TREES = True  # boosted trees beside the ridge for the raw score (model.Model.raw_score)
TREE_PARAMS = {"max_iter": 300, "learning_rate": 0.05, "max_leaf_nodes": 15, "min_samples_leaf": 20}


# "Harmful at all" from boosted trees stacked on every head and sign (Model.harm_probability);
# COACH_HARM_STACK=0 keeps the harm head alone, to compare.
HARM_STACK = os.environ.get("COACH_HARM_STACK") != "0"
HARM_GROUPS = 4  # the stack's threshold is set on its out-of-fold answers, writers in 4 groups


def harm_threshold(p: np.ndarray, harmful: np.ndarray) -> float:
    """The probability that keeps HARM_RECALL of the harmful rows."""
    found = np.sort(p[harmful])
    return float(found[int((1 - HARM_RECALL) * len(found))]) if len(found) else 0.5


def fit_harm_stack(
    features: np.ndarray, harmful: np.ndarray, writers: np.ndarray
) -> tuple[dict[str, np.ndarray], float]:
    """The harm trees and their threshold, set on out-of-fold answers (writers in groups)."""

    def fit(rows: np.ndarray) -> HistGradientBoostingClassifier:
        model = HistGradientBoostingClassifier(**TREE_PARAMS, random_state=0)
        return model.fit(features[rows], harmful[rows])

    names = sorted(set(writers))
    groups = min(HARM_GROUPS, len(names))
    if groups < 2 or len(set(harmful.tolist())) < 2:
        raise ValueError("the harm trees need two writers or more, and harmful and clean rows")
    group = np.array([names.index(w) % groups for w in writers])
    p = np.zeros(len(harmful))
    for g in range(groups):
        p[group == g] = fit(group != g).predict_proba(features[group == g])[:, 1]
    trees = export_trees(fit(np.ones(len(harmful), dtype=bool)))
    return {"harm_" + k: v for k, v in trees.items()}, harm_threshold(p, harmful)


def export_trees(
    boosted: HistGradientBoostingRegressor | HistGradientBoostingClassifier,
) -> dict[str, np.ndarray]:
    """The fitted trees as padded arrays (model.walk walks them); a leaf points at itself. A
    binary classifier's trees sum to the log-odds."""
    nodes = [predictor[0].nodes for predictor in boosted._predictors]
    width = max(len(n) for n in nodes)
    shape = (len(nodes), width)
    out = {
        "tree_feature": np.zeros(shape, dtype=np.int16),
        "tree_threshold": np.full(shape, np.inf, dtype=np.float64),
        "tree_left": np.tile(np.arange(width, dtype=np.int16), (len(nodes), 1)),
        "tree_right": np.tile(np.arange(width, dtype=np.int16), (len(nodes), 1)),
        "tree_value": np.zeros(shape, dtype=np.float32),
        "tree_base": np.array([float(np.ravel(boosted._baseline_prediction)[0])], np.float32),
    }
    for t, tree in enumerate(nodes):
        for i, node in enumerate(tree):
            if node["is_leaf"]:
                out["tree_value"][t, i] = node["value"]
                continue
            out["tree_feature"][t, i] = node["feature_idx"]
            out["tree_threshold"][t, i] = node["num_threshold"]
            out["tree_left"][t, i] = node["left"]
            out["tree_right"][t, i] = node["right"]
    return out


def quantile_map(raw: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points of a monotone curve that puts the raw scores' quantiles on the trainers'.

    The trainers' scores are whole numbers; each is spread over its unit interval (evenly, no
    randomness) so the curve rises everywhere and does not create ties of its own.
    """
    q = np.linspace(0, 100, 101)
    order = np.argsort(scores, kind="stable")
    spread = np.empty(len(scores), dtype=np.float64)
    for value in np.unique(scores):
        at = order[scores[order] == value]
        spread[at] = value - 0.5 + (np.arange(len(at)) + 0.5) / len(at)
    x = np.percentile(raw, q)
    y = np.clip(np.percentile(spread, q), 0, 20)
    keep = np.r_[True, np.diff(x) > 1e-6]
    return x[keep].astype(np.float32), y[keep].astype(np.float32)


def fit_level2(emb: np.ndarray, lex: np.ndarray, data: Rows, heads: tuple[str, ...]) -> Level2:
    y = labels(data, heads)
    blend = fit_blend(emb, lex, y)
    probs = blended(emb, lex, blend)
    # as at run time (engine.read): no data grab where nothing of the buyer's is handed over
    nothing = np.array([not phrases.hands_over(r.text) for r in data.replies])
    probs[nothing, heads.index("data_grab")] = 0.0
    # and no harm of any kind in a reply that only takes its leave ("Going now.")
    leaving = np.array(
        [phrases.only_leaving([s.text for s in texts.split(r.text)]) for r in data.replies]
    )
    kinds = [heads.index(h) for h in rubric.HARMS if h in heads]
    probs[np.ix_(leaving, kinds)] = 0.0
    features = score_matrix(probs, data.x)
    linear = features.copy()
    n = len(heads)
    for j, head in enumerate(heads):
        if head in BAND_HEADS:
            linear[:, [j, n + j]] = 0.0  # the ridge leaves them out (a zero column, a zero weight)
    ridge = Ridge(alpha=RIDGE_ALPHA).fit(linear, data.labels("score"))
    raw = ridge.predict(linear)
    trees: dict[str, np.ndarray] = {}
    if TREES:
        boosted = HistGradientBoostingRegressor(**TREE_PARAMS, random_state=0)
        boosted.fit(features, data.labels("score"))
        trees = export_trees(boosted)
        raw = 0.5 * raw + 0.5 * boosted.predict(features)
    harmful = data.labels("harm") > 0
    harm_trees: dict[str, np.ndarray] = {}
    if HARM_STACK:
        harm_trees, threshold = fit_harm_stack(features, harmful, data.writers)
    else:
        threshold = harm_threshold(probs[:, heads.index("harm")], harmful)
    empty = np.zeros(0, dtype=np.float32)
    calib_x, calib_y = quantile_map(raw, data.labels("score")) if CALIBRATE else (empty, empty)
    return Level2(
        blend,
        ridge.coef_.astype(np.float32),
        float(ridge.intercept_),
        threshold,
        calib_x,
        calib_y,
        trees,
        harm_trees,
    )


def cache_key(kind: str, data: Rows) -> str:
    """Names the level-1 caches: the embedder, the corpus, its feature rows and the heads."""
    rows_digest = hashlib.sha256(data.x.tobytes() + "|".join(HEADS).encode()).hexdigest()[:8]
    return f"{kind}-{corpus_digest(data)}-{rows_digest}"


def corpus_digest(data: Rows) -> str:
    h = hashlib.sha256()
    for r in data.replies:
        h.update(f"{r.context.id}|{r.text}|{r.score}|{r.skills}|{r.harm}|{r.flaws}".encode())
    return h.hexdigest()[:16]


def build_model(kind: str, level1: Level1, level2: Level2, info: dict, half: bool = False) -> Model:
    """The shipped arrays of the two levels (``half``: the word weights at float16 precision,
    as they are stored)."""
    lex_w = level1.lex_w.astype(np.float16).astype(np.float32) if half else level1.lex_w
    return Model(
        heads=HEADS,
        embedder=kind,
        mean=level1.mean,
        scale=level1.scale,
        emb_w=level1.emb_w,
        emb_b=level1.emb_b,
        lex_index=level1.lexicon.index,
        lex_idf=level1.lexicon.idf,
        lex_w=lex_w,
        lex_b=level1.lex_b,
        blend=level2.blend,
        score_w=level2.score_w,
        score_b=level2.score_b,
        harm_threshold=level2.harm_threshold,
        calib_x=level2.calib_x,
        calib_y=level2.calib_y,
        **level2.trees,
        **level2.harm_trees,
        info=info,
    )


def train(kind: str) -> Model:
    corpus = corpus_module.load().split(held_out=False)
    data = rows(corpus, kind)
    grams = [lexical.grams(r.text) for r in data.replies]
    key = cache_key(kind, data)
    emb, lex = out_of_fold(data, grams, HEADS, key)
    level2 = fit_level2(emb, lex, data, HEADS)
    level1 = fit_level1(data.x, grams, labels(data, HEADS), HEADS)
    return build_model(
        kind,
        level1,
        level2,
        info={
            "writers": sorted(set(data.writers.tolist())),
            "replies": len(data.replies),
            "corpus": corpus_digest(data),
        },
        half=True,
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="static", choices=("static", "minilm"))
    parser.add_argument(
        "--out", default=str(Path(__file__).parents[2] / "roleplay_api/data/coach/model.npz")
    )
    args = parser.parse_args(argv)
    model = train(args.embedder)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    print(
        f"wrote {args.out}: {len(model.heads)} heads, {len(model.lex_index)} word buckets, "
        f"harm threshold {model.harm_threshold:.3f}, {model.info}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
