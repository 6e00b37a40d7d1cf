"""The words of a reply as hashed n-grams, negation and quotation marked, for the classifiers.

Beside the embedding, which carries what a reply is about, the classifiers see its words: a
harm often hangs on one of them ("pretty", "birth", "deposit", "tonight"), which an average of
vectors dilutes. Words inside a negation ("I'm not going to *pressure* you") or a quotation
("my manager says *sign today*") are marked, so a classifier learns that they are not the act.
Hashing (CRC-32, stable across runs and machines) keeps no vocabulary: an unseen word costs
nothing and a typo still shares most of its character n-grams with the word it misspells.
"""

from __future__ import annotations

import math
import re
import zlib

from roleplay_api.services.coach import text as texts

BUCKETS = 1 << 18
_TOKEN = re.compile(r"[a-z0-9$%']+|[.!?,;:\"“”]")
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nobody",
        "nothing",
        "none",
        "neither",
        "nor",
        "without",
        "cannot",
        "won't",
        "wont",
        "don't",
        "dont",
        "doesn't",
        "didn't",
        "isn't",
        "aren't",
        "wasn't",
        "can't",
        "shouldn't",
        "wouldn't",
        "ain't",
        "zero",
    ]
)
_SCOPE_END = frozenset(".!?,;:")
_QUOTE = frozenset('"“”')


SCOPE_MARK = "|"  # where a negation's scope ends (a comma, "but", ...)


def marked_tokens(text: str) -> list[str]:
    """Lower-case tokens; inside a negation's clause prefixed ``~``, inside quotes ``>``."""
    out: list[str] = []
    negated = quoted = False
    for token in _TOKEN.findall(texts.expand(text).lower()):
        if token in _QUOTE:
            quoted = not quoted
            continue
        if token in _SCOPE_END:
            negated = False
            out.append(SCOPE_MARK)
            continue
        word = token.strip("'")
        if not word:
            continue
        out.append((">" if quoted else "~" if negated else "") + word)
        if word in _NEGATORS or word.endswith("n't"):
            negated = True
    return out


def grams(text: str) -> dict[int, float]:
    """Sparse features: word 1- and 2-grams, character 3..5-grams of words; sub-linear, L2 = 1."""
    tokens = marked_tokens(text)
    counts: dict[str, int] = {}

    def add(gram: str) -> None:
        counts[gram] = counts.get(gram, 0) + 1

    previous = "<s>"
    for item in tokens:
        if item != SCOPE_MARK:
            add("w:" + item)
        add("b:" + previous + " " + item)
        previous = item
        if item == SCOPE_MARK or len(item) < 3:
            continue
        padded = f" {item} "
        for n in (3, 4, 5):
            for i in range(len(padded) - n + 1):
                add("c:" + padded[i : i + n])
    features: dict[int, float] = {}
    for gram, count in counts.items():
        index = zlib.crc32(gram.encode()) % BUCKETS
        features[index] = features.get(index, 0.0) + 1.0 + math.log(count)
    norm = math.sqrt(sum(v * v for v in features.values())) or 1.0
    return {index: value / norm for index, value in features.items()}
