"""Text handling for the coach: sentences with their original spelling, negation, quotation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

# Chat shorthand a trainee types on a phone, spelled out for the embedder (never for quoting).
SHORTHAND = {
    "u": "you",
    "ya": "you",
    "ur": "your",
    "r": "are",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thank you",
    "im": "i'm",
    "ive": "i've",
    "dont": "don't",
    "didnt": "didn't",
    "doesnt": "doesn't",
    "cant": "can't",
    "wont": "won't",
    "youre": "you're",
    "thats": "that's",
    "whats": "what's",
    "isnt": "isn't",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "lemme": "let me",
    "cuz": "because",
    "bc": "because",
    "b4": "before",
    "tmrw": "tomorrow",
    "rn": "right now",
    "tbh": "to be honest",
    "ngl": "not going to lie",
    "idk": "i don't know",
    "w/": "with",
}
_WORD = re.compile(r"[A-Za-z0-9']+|w/")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'\u201d\u2019)]*\s+|\n+")
_NEGATION = re.compile(
    r"\b(?:not|never|no|nobody|nothing|none|neither|nor|without|won't|wont|don't|dont|doesn't|"
    r"didn't|isn't|aren't|wasn't|can't|cannot|shouldn't|wouldn't|ain't|zero)\b|n't\b",
    re.IGNORECASE,
)
# Negative words that do not negate: "you'd be crazy not to sign today" is pressure, and "a
# no-brainer" is a claim, not a denial.
_NOT_NEGATING = re.compile(
    r"\b(?:crazy|silly|foolish|mad|nuts|insane|dumb|stupid) not to\b|\bno[- ]brainer\b|"
    r"\bno (?:problem|worries|doubt)\b|\bnot only\b|"
    r"\bif (?:you|u) (?:don'?t|do not) mind\b|\bdon'?t (?:mind|get me wrong)\b",
    re.IGNORECASE,
)
# Words that introduce someone else's words: "my manager says sign today" is not the act. The
# speaker's own "if you don't mind me saying", "I have to say" introduce the act itself.
REPORTING = re.compile(
    r"\b(?:(?<!\bme )(?<!\bi )(?<!\bi'd )(?<!\bi'll )(?<!\bhave to )(?<!\bgot to )(?<!\bmust )"
    r"(?<!\bgotta )(?<!\bi'm )(?<!\bjust )(?:say|saying)|"
    r"says|said|tell|tells|told|call|calls|called|claim|claims|claimed|"
    r"heard|hear|stories?|like those|the kind of|ones? who|guys? who|people who|reps? who)\b",
    re.IGNORECASE,
)
# What a phrase rule takes for a negation before its words ("I'll never ask for your social").
_NEGATOR = re.compile(
    r"\b(?:not|never|no|won't|wont|don't|dont|doesn't|doesnt|didn't|didnt|isn't|isnt|aren't|"
    r"can't|cant|cannot|wouldn't|shouldn't|ain't|aint|without|nobody|zero)\b|n't\b",
    re.IGNORECASE,
)
# Openers that hold a negation but deny nothing after them ("No pressure, we can waive the fee").
_ASIDE = re.compile(
    r"\bno (?:pressure|obligation)\b|\bnot (?:gonna|going to) lie\b|\bdon'?t worry\b",
    re.IGNORECASE,
)
NEGATION_REACH = 6  # words before a phrase that a negation of it may sit in


_CLAUSE_BREAK = re.compile(r"\b(?:but|however|though|although)\b|;", re.IGNORECASE)


def clause_before(text: str, at: int) -> str:
    """The words of ``text`` before ``at``, back to a "but", "however", "though", "although"
    or ";"."""
    return _CLAUSE_BREAK.split(text[:at])[-1]


def negated_before(text: str, at: int) -> bool:
    """A negation among the few words before ``at``, in the same clause ("I can't waive the
    fee"; not "you'd be crazy not to", "if you don't mind me saying", "no pressure, we can...")."""
    clause = _ASIDE.sub(" ", _NOT_NEGATING.sub(" ", clause_before(text, at)))
    near = " ".join(clause.split()[-NEGATION_REACH:])
    return bool(_NEGATOR.search(near))


def negated_clause(text: str, at: int) -> bool:
    """A negation anywhere in the clause of ``text`` that holds ``at`` (between "but",
    "however", "though", "although" or ";"), asides left out: "it's not the best time", "real
    savings or not" deny what they name; "great value, no obligation" does not."""
    clause = clause_before(text, at) + _CLAUSE_BREAK.split(text[at:])[0]
    clause = _ASIDE.sub(" ", _NOT_NEGATING.sub(" ", clause))
    return bool(_NEGATOR.search(clause))


def affirmed(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """The matches of ``pattern`` in ``text``'s sentences, in order, that no negation close
    before denies ("we can waive the fee", "Saturday at eleven"; not "I can't waive the fee")."""
    return [
        m
        for s in split(text)
        for m in pattern.finditer(s.text)
        if not negated_before(s.text, m.start())
    ]


QUOTED = re.compile(r"[\"“”]([^\"“”]{2,})[\"“”]|(?:^|[\s(])'(\S.{3,}?\S)'(?=[\s.,!?;:)]|$)")
MAX_SENTENCES = 8


def clean(text: str) -> str:
    """Straight apostrophes, one space between words (the original words otherwise)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def expand(text: str) -> str:
    """Shorthand spelled out, for the embedder and the topic reader."""
    return _WORD.sub(lambda m: SHORTHAND.get(m.group(0).lower(), m.group(0)), clean(text))


@dataclass(frozen=True)
class Sentence:
    text: str  # as the trainee wrote it
    negated: bool  # holds a negation ("I won't push you")
    quoting: bool  # reports or quotes someone else's words
    question: bool


def split(text: str) -> list[Sentence]:
    """The sentences of ``text`` (at most MAX_SENTENCES: the rest joins the last one)."""
    return list(_split(text))


@lru_cache(maxsize=1024)  # the buyer's lines are split again on every message of a session
def _split(text: str) -> tuple[Sentence, ...]:
    parts = [p.strip() for p in _SENTENCE_END.split(clean(text)) if p and p.strip()]
    if len(parts) > MAX_SENTENCES:
        parts = [*parts[: MAX_SENTENCES - 1], " ".join(parts[MAX_SENTENCES - 1 :])]
    return tuple(
        Sentence(
            part,
            negated=bool(_NEGATION.search(_NOT_NEGATING.sub(" ", part))),
            quoting=bool(QUOTED.search(part) or REPORTING.search(part)),
            question=part.rstrip("\"'\u201d\u2019) ").endswith("?"),
        )
        for part in parts
    ) or (Sentence(clean(text), False, False, False),)


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def content_words(text: str) -> set[str]:
    return {w for w in words(text) if len(w) > 3 and w not in STOPWORDS}


def similarity(a: str, b: str) -> float:
    """Overlap of two texts' content words (Jaccard): 1.0 for the same words in any order."""
    left, right = content_words(a), content_words(b)
    if not left or not right:
        return 1.0 if clean(a).lower() == clean(b).lower() else 0.0
    return len(left & right) / len(left | right)


def quote(text: str, limit: int = 90) -> str:
    """The trainee's own words, verbatim, shortened with an ellipsis only when too long."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(",;:- ") + "…"


def original(message: str, part: str) -> str:
    """``part`` (a sentence of ``clean(message)``) as the trainee typed it: their apostrophes
    and spacing, so a quote of it is verbatim. ``part`` itself when it cannot be found."""
    if part in message:  # as typed already (the common case): no pattern to build
        return part
    pattern = "".join(
        "[\u2019\u2018`']" if ch == "'" else r"\s+" if ch == " " else re.escape(ch) for ch in part
    )
    found = re.search(pattern, message)
    return found.group(0) if found else part


def shouting(text: str) -> bool:
    """Mostly capital letters over a real stretch of text, or a run of exclamation marks."""
    letters = [c for c in text if c.isalpha()]
    upper = sum(1 for c in letters if c.isupper())
    return (len(letters) >= 16 and upper / len(letters) >= 0.7) or "!!!" in text


STOPWORDS = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "also",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "could",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "from",
        "further",
        "have",
        "having",
        "here",
        "hers",
        "herself",
        "himself",
        "into",
        "itself",
        "just",
        "more",
        "most",
        "myself",
        "once",
        "only",
        "other",
        "ought",
        "ours",
        "ourselves",
        "over",
        "same",
        "should",
        "some",
        "such",
        "than",
        "that",
        "that's",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "under",
        "until",
        "very",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "whom",
        "with",
        "would",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "really",
        "thing",
        "things",
        "maybe",
        "sure",
        "well",
        "yeah",
        "okay",
        "like",
        "know",
        "think",
        "going",
        "want",
        "make",
        "sense",
        "totally",
        "completely",
        "understand",
        "hear",
    ]
)
