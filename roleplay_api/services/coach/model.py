"""The trained part of the coach: classifier heads and the score model, as arrays.

Trained by ``make train-coach`` (tests/eval/train.py) on the corpus' train writers and shipped as
``roleplay_api/data/coach/model.npz``. Each head (a skill, a harm, a flaw) is two logistic
regressions, one over the embedding features and one over the hashed words, blended by a third
fitted on their out-of-fold answers. The score model is a ridge regression over the heads'
probabilities, the heads times the difficulty, and the plain-text and context signs. Applying it
is a few dot products: no scikit-learn at run time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from typing import Any, TypeVar

import numpy as np

MODEL_FILE = "coach/model.npz"
T = TypeVar("T")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))


def sparse_row(
    grams: dict[int, float], index: np.ndarray, idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(positions in ``index``, tf-idf values, unit length) of the buckets the model knows."""
    if not grams:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    keys = np.fromiter(grams.keys(), dtype=np.int64, count=len(grams))
    values = np.fromiter(grams.values(), dtype=np.float32, count=len(grams))
    at = np.searchsorted(index, keys)
    known = (at < len(index)) & (index[np.minimum(at, len(index) - 1)] == keys)
    at, values = at[known], values[known] * idf[at[known]]
    norm = float(np.linalg.norm(values))
    return at, (values / norm if norm > 0 else values)


@dataclass(frozen=True)
class Model:
    heads: tuple[str, ...]
    embedder: str  # the embedder the heads were trained with (embedding.EMBEDDERS key)
    # embedding heads: (x - mean) / scale @ emb_w.T + emb_b
    mean: np.ndarray
    scale: np.ndarray
    emb_w: np.ndarray
    emb_b: np.ndarray
    # word heads over the hashed n-grams the training set had (sorted bucket ids)
    lex_index: np.ndarray
    lex_idf: np.ndarray
    lex_w: np.ndarray  # (len(lex_index), heads)
    lex_b: np.ndarray
    # blend: logit = blend[:, 0] * emb + blend[:, 1] * lex + blend[:, 2]
    blend: np.ndarray
    # score = score_w @ score_features(...) + score_b
    score_w: np.ndarray
    score_b: float
    harm_threshold: float
    info: dict[str, Any]
    # The raw score mapped onto the trainers' scale (a monotone curve through these points):
    # the ridge shrinks towards the mean; this puts its quantiles on the trainers' quantiles.
    calib_x: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    calib_y: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    # Boosted trees over the same score features, averaged with the ridge for the raw score
    # (the ridge alone names each skill's points): one row per tree, one column per node.
    tree_feature: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int16))
    tree_threshold: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    tree_left: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int16))
    tree_right: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int16))
    tree_value: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    tree_base: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.float32))
    # Boosted trees over the same features for "harmful at all" (the log-odds), stacked on every
    # head and sign: they learn which heads' readings together mark a harm, so fewer clean
    # replies are flagged at the same recall. With them, ``harm_threshold`` applies to their
    # probability; without them, to the harm head's.
    harm_tree_feature: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int16))
    harm_tree_threshold: np.ndarray = field(
        default_factory=lambda: np.zeros((0, 0), dtype=np.float32)
    )
    harm_tree_left: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int16))
    harm_tree_right: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.int16))
    harm_tree_value: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    harm_tree_base: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.float32))

    @cached_property
    def forest(self) -> Forest:
        return Forest.of(self, "tree_")

    @cached_property
    def harm_forest(self) -> Forest:
        return Forest.of(self, "harm_tree_")

    def harm_probability(self, features: np.ndarray, probs: dict[str, float]) -> float:
        """How likely the reply is harmful at all: the stacked trees' reading, else the head's."""
        if not self.harm_tree_feature.size:
            return probs.get("harm", 0.0)
        return float(sigmoid(walk(self.harm_forest, features[None, :]))[0])

    def raw_score(self, features: np.ndarray) -> float:
        """The uncalibrated score: the ridge, averaged with the trees when the model has them."""
        linear = float(features @ self.score_w + self.score_b)
        if not self.tree_feature.size:
            return linear
        return 0.5 * linear + 0.5 * trees(self, features[None, :])[0]

    def logits(self, x: np.ndarray, grams: dict[int, float]) -> np.ndarray:
        emb = ((x - self.mean) / self.scale) @ self.emb_w.T + self.emb_b
        at, values = sparse_row(grams, self.lex_index, self.lex_idf)
        lex = values @ self.lex_w[at] + self.lex_b
        return self.blend[:, 0] * emb + self.blend[:, 1] * lex + self.blend[:, 2]

    def probabilities(self, x: np.ndarray, grams: dict[int, float]) -> dict[str, float]:
        return dict(zip(self.heads, sigmoid(self.logits(x, grams)).tolist(), strict=True))

    def calibrate(self, raw: float) -> float:
        if not len(self.calib_x):
            return raw
        return float(np.interp(raw, self.calib_x, self.calib_y))

    def save(self, path: str) -> None:
        arrays = {k: v for k, v in self.__dict__.items() if isinstance(v, np.ndarray)}
        np.savez_compressed(
            path,
            heads=np.array(self.heads),
            embedder=np.array(self.embedder),
            score_b=np.array(self.score_b),
            harm_threshold=np.array(self.harm_threshold),
            info=np.array(repr(self.info)),
            **arrays,
        )


@dataclass(frozen=True)
class Forest:
    """The trees flattened for walking: node arrays of all trees end to end, children as flat
    indices (a leaf is its own child), and how many steps reach the deepest leaf."""

    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray
    roots: np.ndarray
    depth: int
    base: float

    @classmethod
    def of(cls, model: Model, prefix: str) -> Forest:
        """The forest stored in the model's ``<prefix>feature``, ``<prefix>left``... arrays."""
        feature, threshold, left_at, right_at, value, base = (
            getattr(model, prefix + name)
            for name in ("feature", "threshold", "left", "right", "value", "base")
        )
        n_trees, width = feature.shape
        offset = (np.arange(n_trees, dtype=np.int64) * width)[:, None]
        left = (left_at.astype(np.int64) + offset).ravel()
        right = (right_at.astype(np.int64) + offset).ravel()
        at, depth = offset.ravel(), 0
        while True:  # the deepest path: walk every branch at once until all stand still
            nxt = np.unique(np.concatenate([left[at], right[at]]))
            if np.array_equal(nxt, np.unique(at)):
                break
            at, depth = nxt, depth + 1
        return cls(
            feature.astype(np.int64).ravel(),
            threshold.astype(np.float64).ravel(),
            left,
            right,
            value.astype(np.float64).ravel(),
            offset.ravel(),
            depth,
            float(base[0]),
        )


def trees(model: Model, rows: np.ndarray) -> np.ndarray:
    """The score trees' prediction for each row."""
    return walk(model.forest, rows)


def walk(forest: Forest, rows: np.ndarray) -> np.ndarray:
    """A forest's prediction for each row: all trees walked together, a level a step."""
    out = np.empty(len(rows), dtype=np.float64)
    for r, row in enumerate(rows.astype(np.float64)):
        at = forest.roots
        for _ in range(forest.depth):
            at = np.where(
                row[forest.feature[at]] <= forest.threshold[at], forest.left[at], forest.right[at]
            )
        out[r] = forest.base + float(forest.value[at].sum())
    return out


def score_features(probs: np.ndarray, level: float, signs: np.ndarray) -> np.ndarray:
    """The score model's input: the heads, the heads scaled by difficulty (0..1), the signs."""
    return np.concatenate([probs, probs * level, signs])


def load(data: Any) -> Model:
    import ast

    return Model(
        heads=tuple(str(h) for h in data["heads"]),
        embedder=str(data["embedder"]),
        mean=data["mean"],
        scale=data["scale"],
        emb_w=data["emb_w"],
        emb_b=data["emb_b"],
        lex_index=data["lex_index"],
        lex_idf=data["lex_idf"],
        lex_w=data["lex_w"],
        lex_b=data["lex_b"],
        blend=data["blend"],
        score_w=data["score_w"],
        score_b=float(data["score_b"]),
        harm_threshold=float(data["harm_threshold"]),
        info=ast.literal_eval(str(data["info"])),
        **{
            k: data[k]
            for k in (
                "calib_x",
                "calib_y",
                "tree_feature",
                "tree_threshold",
                "tree_left",
                "tree_right",
                "tree_value",
                "tree_base",
                *(
                    "harm_tree_" + name
                    for name in ("feature", "threshold", "left", "right", "value", "base")
                ),
            )
            if k in data
        },
    )


_lock = threading.Lock()
_packaged: dict[str, Any] = {}


def packaged(name: str, read: Callable[[Any], T]) -> T:
    """An arrays file in the package (``data/<name>``), read with ``read`` once per process."""
    if name not in _packaged:
        with _lock:
            if name not in _packaged:
                path = resources.files("roleplay_api.data").joinpath(name)
                with path.open("rb") as f, np.load(f) as data:
                    _packaged[name] = read(data)
    return _packaged[name]


def shipped() -> Model:
    """The model in the package, loaded once per process."""
    return packaged(MODEL_FILE, load)
