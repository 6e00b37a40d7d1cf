"""Reading a trainee message: which skills it really uses and what it does that hurts."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from roleplay_api.services.coach.patterns import (
    ABOUT_THEM,
    CHECK_IN,
    CLOSED_QUESTION,
    NEGATION,
    OPEN_QUESTION,
    SKILL_PATTERNS,
    STRONG,
    TOPICS,
    WEAK,
)
from roleplay_api.services.coach.penalties import COSTLY, HARMFUL, PRODUCT_TERMS
from roleplay_api.services.coach.text import normalize, sentences, shouting, words

_TOPICS = tuple((name, re.compile(pattern)) for name, pattern in TOPICS)
_CLAUSE = re.compile(r"[,;:\u2014]| - | -- ")


@dataclass(frozen=True)
class Hit:
    name: str
    strength: int  # STRONG or WEAK evidence
    evidence: str  # the trainee's words that showed it


@dataclass(frozen=True)
class Signals:
    skills: dict[str, Hit] = field(default_factory=dict)
    harmful: dict[str, Hit] = field(default_factory=dict)
    costly: dict[str, Hit] = field(default_factory=dict)
    word_count: int = 0
    asked: bool = False  # asked the homeowner any question
    topic: str | None = None  # what the question was about
    on_topic: bool = False  # touches the scenario's concern

    @property
    def penalties(self) -> dict[str, Hit]:
        return self.harmful | self.costly


def _first_unnegated(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    for match in pattern.finditer(text):
        if not NEGATION.search(text[max(0, match.start() - 24) : match.start()]):
            return match
    return None


def _best(name: str, text: str) -> Hit | None:
    best: Hit | None = None
    for pattern, strength in SKILL_PATTERNS[name]:
        match = _first_unnegated(pattern, text)
        if match and (best is None or strength > best.strength):
            best = Hit(name, strength, match.group(0).strip())
            if strength == STRONG:
                break
    return best


def _is_question(sentence: str) -> bool:
    if sentence.endswith("?"):
        return True
    # Typed on a phone without the question mark: "what's your bill like these days"
    return bool(OPEN_QUESTION.match(sentence)) and not sentence.endswith((".", "!"))


def _discovery(parts: list[str], text: str) -> tuple[Hit | None, bool]:
    """The best discovery question in the message, and whether any question was asked."""
    leading = COSTLY["leading"][0]
    best: Hit | None = None
    asked = False
    for sentence in parts:
        if not _is_question(sentence):
            continue
        asked = True
        if leading.search(sentence) or HARMFUL["data_request"].search(sentence):
            continue
        clauses = [c.strip() for c in _CLAUSE.split(sentence) if c.strip()]
        if any(OPEN_QUESTION.match(c) for c in clauses):
            strong = bool(ABOUT_THEM.search(sentence)) and not CHECK_IN.search(sentence)
            hit = Hit("discover", STRONG if strong else WEAK, sentence)
        elif _proposes(sentence):
            continue
        elif any(CLOSED_QUESTION.match(c) for c in clauses) or ABOUT_THEM.search(sentence):
            hit = Hit("discover", WEAK, sentence)
        else:
            continue
        if best is None or hit.strength > best.strength:
            best = hit
    phrase = _best("discover_phrase", text)
    if phrase and (best is None or best.strength < STRONG):
        best = Hit("discover", STRONG, phrase.evidence)
        asked = True
    return best, asked


def _proposes(sentence: str) -> bool:
    return any(pattern.search(sentence) for pattern, _ in SKILL_PATTERNS["next_step"])


def question_topic(parts: Iterable[str]) -> str | None:
    for sentence in parts:
        if not _is_question(sentence):
            continue
        for name, pattern in _TOPICS:
            if pattern.search(sentence):
                return name
    return None


def detect(message: str, keywords: Iterable[str] = ()) -> Signals:
    """Everything the rules engine reads in one message (treat the result as read-only).

    A session re-reads its earlier messages on every exchange (the persona's warmth and the
    final feedback depend on them), so the answer is memoized: it depends on nothing else.
    """
    return _detect(message, tuple(keywords))


@functools.lru_cache(maxsize=4096)
def _detect(message: str, keywords: tuple[str, ...]) -> Signals:
    text = normalize(message)
    parts = sentences(text)
    count = len(words(text))
    harmful = {
        name: Hit(name, STRONG, match.group(0).strip())
        for name, pattern in HARMFUL.items()
        if (match := _first_unnegated(pattern, text))
    }
    if shouting(message):
        harmful["shouting"] = Hit("shouting", STRONG, message.strip()[:40])
    costly = {
        name: Hit(name, STRONG, match.group(0).strip())
        for name, (pattern, _) in COSTLY.items()
        if (match := pattern.search(text))
    }
    skills: dict[str, Hit] = {}
    for name in ("acknowledge", "value", "social_proof", "next_step", "respect", "transparency"):
        if hit := _best(name, text):
            skills[name] = hit
    discover, asked = _discovery(parts, text)
    if discover:
        skills["discover"] = discover
    if (hit := _best("polite", text)) and "acknowledge" not in skills:
        skills["polite"] = hit
    on_topic = any(re.search(rf"\b{re.escape(k.lower())}", text) for k in keywords)

    terms = set(PRODUCT_TERMS.findall(text))
    if (len(terms) >= 3 and count >= 30 and "discover" not in skills) or len(terms) >= 6:
        costly["feature_dump"] = Hit("feature_dump", STRONG, ", ".join(sorted(terms)[:4]))
    if count > 110:
        costly["monologue"] = Hit("monologue", STRONG, f"{count} words")
    # "Yes, but...": an acknowledgement followed by a push is a stock phrase, not listening.
    if "acknowledge" in skills and "dismissive" in costly:
        skills["acknowledge"] = Hit("acknowledge", WEAK, skills["acknowledge"].evidence)
    if harmful:
        # Nothing a harmful message does earns credit: "I understand, but sign today" is pressure.
        skills = {}
    elif count >= 4 and not (
        {"acknowledge", "discover", "respect", "next_step", "transparency"} & set(skills)
        or on_topic
    ):
        costly["ignored_objection"] = Hit("ignored_objection", STRONG, "")
    if count and count <= 70 and not harmful and not costly and set(skills) - {"polite"}:
        skills["concise"] = Hit("concise", STRONG, f"{count} words")
    return Signals(skills, harmful, costly, count, asked, question_topic(parts), on_topic)
