"""What a trainee's question asks for: a topic the buyer has facts on, a yes/no offer, a check-in
that asks nothing, or something else (the buyer's deflection), read by a trained classifier.

The buyer answers from what this says, and the state records the topics asked (so a question
asked again is a re-ask). A multinomial logistic regression over the sentence's embedding, the
topic lexicon's hits, a few plain-text signs (an offer's words, a check-in's tail, a time word)
and the sentence's hashed words, trained on about 2,000 questions from the train writers' replies
labelled by hand (tests/eval/corpus/questions.jsonl; ``python -m tests.eval.router``). The rules
it replaced (the lexicon, then the nearest of a few example questions) routed 54 % of those
questions right; the classifier routes about 82 % of a writer's questions it was not trained on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from roleplay_api.services.coach import lexical
from roleplay_api.services.coach.model import packaged, sparse_row

ROUTER_FILE = "coach/router.npz"
# What a question asks for beside the topics (topics.TOPICS): a yes/no offer of the trainee's,
# a check-in ("Does that make sense?") and a real question about something else.
OFFER, CHECK_IN, OTHER = "offer", "checkin", "other"


@dataclass(frozen=True)
class Router:
    labels: tuple[str, ...]
    embedder: str  # the name of the embedder it was trained with (Embedder.name)
    dense_w: np.ndarray  # (labels, dense features)
    bias: np.ndarray  # (labels,)
    lex_index: np.ndarray  # the hashed word buckets the training questions had, sorted
    lex_idf: np.ndarray
    lex_w: np.ndarray  # (len(lex_index), labels)

    def logits(self, dense: np.ndarray, grams: dict[int, float]) -> np.ndarray:
        at, values = sparse_row(grams, self.lex_index, self.lex_idf)
        return self.dense_w @ dense + values @ self.lex_w[at] + self.bias

    def route(self, text: str, vector: np.ndarray, signs: np.ndarray) -> str:
        """The label of one question sentence: ``vector`` its embedding as read, ``signs`` its
        plain-text signs (topics.question_signs)."""
        dense = np.concatenate([vector, signs]).astype(np.float32)
        return self.labels[int(np.argmax(self.logits(dense, lexical.grams(text))))]

    def save(self, path: str) -> None:
        arrays = {k: v for k, v in self.__dict__.items() if isinstance(v, np.ndarray)}
        np.savez_compressed(
            path, labels=np.array(self.labels), embedder=np.array(self.embedder), **arrays
        )


def load(data: Any) -> Router:
    return Router(
        labels=tuple(str(label) for label in data["labels"]),
        embedder=str(data["embedder"]),
        **{k: data[k] for k in ("dense_w", "bias", "lex_index", "lex_idf", "lex_w")},
    )


def shipped() -> Router:
    """The router in the package, loaded once per process."""
    return packaged(ROUTER_FILE, load)
