"""The corpus as feature rows: each reply read in its context, exactly as the coach reads it.

Used by the training script and the evaluation. Rows are cached per embedder in
``.cache/coach-rows-<embedder>-<digest>.npz`` (the digest covers the corpus and the code that
builds the rows), since embedding three thousand replies takes a while with MiniLM.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from roleplay_api.services.coach import features, topics
from roleplay_api.services.coach.base import ScenarioBrief, Turn
from roleplay_api.services.coach.embedding import Embedder, get_embedder
from roleplay_api.services.coach.library import bundled_brief
from roleplay_api.services.coach.reading import read
from roleplay_api.services.coach.router import ROUTER_FILE
from roleplay_api.services.coach.state import Act, State, derive
from tests.eval.corpus import Context, Corpus, Reply

CACHE = Path(__file__).parents[2] / ".cache"
_CODE = (
    "features.py",
    "reading.py",
    "state.py",
    "topics.py",
    "text.py",
    "embedding.py",
    "router.py",
)


def light_act(embedder: Embedder):
    """Reads a history turn the way the state needs it: its questions' topics and promises."""

    def read_act(state: State, message: str) -> Act:
        reading = read(message, embedder)
        asked = topics.question_topics(list(reading.sentences), reading.vectors, embedder)
        return Act(
            asked=asked, promises=features.promises(message), closing=features.closes(message)
        )

    return read_act


def history_turns(context: Context) -> list[Turn]:
    return [
        Turn("user" if line.role == "trainee" else "assistant", line.text)
        for line in context.history
    ]


def context_state(context: Context, embedder: Embedder) -> tuple[ScenarioBrief, State]:
    brief = bundled_brief(context.scenario)
    state = derive(brief, context.difficulty, history_turns(context), light_act(embedder))
    return brief, state


BANDS = {"band_high": "high", "band_low": "low"}


@dataclass
class Rows:
    x: np.ndarray  # one feature row per reply
    replies: list[Reply]

    def labels(self, name: str) -> np.ndarray:
        """1/0 for a skill, a harm ("harm" for any), a flaw; the score for "score"."""
        if name == "score":
            return np.array([r.score for r in self.replies], dtype=np.float32)
        if name in BANDS:  # the trainer's band of the reply, as a head of its own
            return np.array([r.band == BANDS[name] for r in self.replies], dtype=np.float32)
        if name == "harm":
            return np.array([r.harm is not None for r in self.replies], dtype=np.float32)
        return np.array(
            [name in r.skills or r.harm == name or name in r.flaws for r in self.replies],
            dtype=np.float32,
        )

    @property
    def writers(self) -> np.ndarray:
        return np.array([r.context.writer for r in self.replies])


def _digest(corpus: Corpus, embedder: Embedder) -> str:
    h = hashlib.sha256(embedder.name.encode())
    code = Path(features.__file__).parent
    for name in _CODE:
        h.update((code / name).read_bytes())
    h.update((code.parents[1] / "data" / ROUTER_FILE).read_bytes())  # the questions' topics
    for c in corpus.contexts:
        h.update(repr((c.id, c.scenario, c.difficulty, c.history)).encode())
        for r in c.replies:
            h.update(r.text.encode())
    return h.hexdigest()[:16]


def rows(corpus: Corpus, kind: str) -> Rows:
    embedder = get_embedder(kind)
    replies = corpus.replies
    path = CACHE / f"coach-rows-{kind}-{_digest(corpus, embedder)}.npz"
    if path.exists():
        return Rows(np.load(path)["x"], replies)
    out = []
    for context in corpus.contexts:
        _, state = context_state(context, embedder)
        for reply in context.replies:
            reading = read(reply.text, embedder)
            asked = topics.question_topics(list(reading.sentences), reading.vectors, embedder)
            ctx = features.context(reading, asked, state, embedder)
            out.append(features.vector(reading, ctx, embedder))
    x = np.vstack(out)
    CACHE.mkdir(exist_ok=True)
    np.savez_compressed(path, x=x)
    return Rows(x, replies)
