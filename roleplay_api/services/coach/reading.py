"""Reading one message: its sentences, one embedding pass over them, and its plain-text signs.

A Reading is computed once per message (the only embedding work a judgement does for the
trainee's words); everything the classifiers and the buyer need of the message comes from it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from roleplay_api.services.coach import text as texts
from roleplay_api.services.coach.embedding import Embedder
from roleplay_api.services.coach.text import Sentence

# Stock phrases: one is fine, a pile of them is not listening (diminishing returns).
_STOCK = re.compile(
    r"\b(?:i (?:totally |completely |absolutely |really )?(?:understand|get it|hear you|hear ya)|"
    r"that makes (?:total |perfect )?sense|great question|good question|i appreciate (?:that|you)|"
    r"fair enough|totally fair|i feel you|no worries|absolutely|for sure|i respect that|"
    r"that's (?:totally |completely )?(?:fair|valid|understandable)|i know how you feel|"
    r"you're (?:not alone|right)|many (?:people|homeowners|folks) feel|"
    # the crowd that felt the same and the all-purpose question (bare, or "when it comes to
    # X", not "...: the monthly or the payoff?"): the issue's own stacked
    # 19/20 ("Lots of your neighbors felt the same ... What matters most to you?")
    r"(?:a lot of|lots of|plenty of|most|so many) (?:(?:your|my|the) )?(?:people|homeowners|"
    r"folks|neighbou?rs|customers) (?:feel|felt)|(?:people|homeowners|folks|neighbou?rs|"
    r"customers) (?:say|said|tell me|told me) (?:that|the same)(?: (?:way|thing))?\b|"
    r"what matters most to you(?=\s*[?.!]|,? when it comes to\b))",
    re.IGNORECASE,
)
_MONEY = re.compile(r"\$\s?\d|\b\d[\d,]*\s?(?:dollars|bucks|k|grand|percent|%)", re.IGNORECASE)
_DISCOUNT = re.compile(
    r"\b(?:\d[\d,]*|\w+ (?:hundred|thousand|grand))\s*(?:dollars|bucks|k|grand|%|percent)?"
    r"\s*off\b|\bdiscount|\bknock\w*\b[^.?!]*\boff\b|\bwaive[sd]?\b|\bwaiving\b|\brebate|"
    r"\bprice match|"
    r"\bcut (?:the|you a|my) (?:price|deal)|\btake\b[^.?!]{0,25}\boff\b|\bspecial price|"
    r"\bbetter (?:price|deal|rate)",
    re.IGNORECASE,
)


def discounts(text: str) -> bool:
    """Money off offered, not denied ("we can waive the fee"; not "I can't waive the fee")."""
    return bool(texts.affirmed(_DISCOUNT, text))


_YOU = re.compile(r"\b(?:you|your|you're|yours|you've|you'd|ya|u|ur)\b", re.IGNORECASE)
_ME = re.compile(r"\b(?:i|i'm|me|my|we|our|us|we're|i've|i'd|i'll)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    text: str  # the message as sent
    sentences: tuple[Sentence, ...]
    vectors: np.ndarray  # one unit row per sentence
    peaks: np.ndarray  # per sentence, the element-wise maximum over its tokens' vectors
    whole: np.ndarray  # the message's vector: the mean of its sentences', unit length
    words: int
    stock_phrases: int
    shouting: bool
    money: bool
    discount: bool

    @property
    def questions(self) -> int:
        return sum(s.question for s in self.sentences)

    def signs(self) -> list[float]:
        """Plain-text signs the classifiers get beside the vectors (SIGN_NAMES order)."""
        n = len(self.sentences)
        return [
            math.log1p(self.words) / 5,
            min(n, 8) / 8,
            self.questions / max(n, 1),
            float(self.questions > 0),
            sum(s.negated for s in self.sentences) / max(n, 1),
            sum(s.quoting for s in self.sentences) / max(n, 1),
            float(self.shouting),
            float(self.money),
            float(self.discount),
            min(self.stock_phrases, 4) / 4,
            min(len(_YOU.findall(self.text)), 10) / 10,
            min(len(_ME.findall(self.text)), 10) / 10,
            float(self.words <= 3),
            float(self.words >= 110),
        ]


SIGN_NAMES = (
    "log_words",
    "sentences",
    "question_share",
    "asks",
    "negated_share",
    "quoting_share",
    "shouting",
    "money",
    "discount",
    "stock_phrases",
    "you_words",
    "me_words",
    "tiny",
    "long",
)


def read(message: str, embedder: Embedder) -> Reading:
    """Split, embed every sentence in one pass, and note the plain-text signs."""
    sentences = tuple(texts.split(message))
    vectors, peaks = embedder.encode([texts.expand(s.text) for s in sentences])
    whole = vectors.mean(axis=0)
    norm = float(np.linalg.norm(whole))
    return Reading(
        text=message,
        sentences=sentences,
        vectors=vectors,
        peaks=peaks,
        whole=(whole / norm if norm > 0 else whole).astype(np.float32),
        words=len(texts.words(message)),
        stock_phrases=len(_STOCK.findall(message)),
        shouting=texts.shouting(message),
        money=bool(_MONEY.search(message)),
        discount=discounts(message),
    )


@lru_cache(maxsize=2048)
def _line_vector(line: str, embedder: Embedder) -> np.ndarray:
    return read(line, embedder).whole


def line_vector(line: str, embedder: Embedder) -> np.ndarray:
    """A buyer line's vector, kept: the persona's lines repeat across sessions."""
    return _line_vector(texts.clean(line), embedder)


def sentence_reading(reading: Reading, i: int) -> Reading:
    """One sentence of ``reading`` as a reading of its own (no embedding work)."""
    sentence = reading.sentences[i]
    vector = reading.vectors[i : i + 1]
    return Reading(
        text=sentence.text,
        sentences=(sentence,),
        vectors=vector,
        peaks=reading.peaks[i : i + 1],
        whole=vector[0],
        words=len(texts.words(sentence.text)),
        stock_phrases=len(_STOCK.findall(sentence.text)),
        shouting=texts.shouting(sentence.text),
        money=bool(_MONEY.search(sentence.text)),
        discount=discounts(sentence.text),
    )
