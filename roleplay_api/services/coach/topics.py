"""What a question asks about, and which facts a buyer's line gives: the buyer's topics.

The topics are the keys of a persona's ``answers`` (the facts each buyer knows). What a
trainee's question asks is read by the trained router (router.py), which sees the topic lexicon's
hits among its signs; what a buyer's line states is read from the lexicon's words alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from roleplay_api.services.coach import router
from roleplay_api.services.coach.embedding import Embedder
from roleplay_api.services.coach.text import Sentence, expand, split

TOPICS = ("cost", "concern", "home", "decision", "time", "info", "provider", "experience", "verify")

_LEXICON = {
    "cost": r"bill|bills|electric(?:ity)?|power company|utility bill|pay(?:ing)?|paid|price|"
    r"cost|costs|budget|afford|monthly|per month|a month|spend|spending|quote|quoted|number|"
    r"expensive|money|kwh|rate|rates|payment|payments|\$\d",
    "concern": r"worr(?:y|ied|ies)|concern(?:ed|s)?|matters? (?:most|to you)|important|hesitat|"
    r"holding you back|what's stopping|biggest|main thing|bother(?:s|ing)? you|feel about|"
    r"on your mind|priority|priorities",
    "home": r"roof|how long (?:have )?you(?:'ve)? (?:been|lived)|lived here|"
    r"move(?:d)? in|attic|windows?|south|shade|sun\b|square feet|bedroom|upstairs|\bac\b|"
    r"air condition|insulation|stay(?:ing)? (?:here|long)|plan(?:ning)? to stay",
    "decision": r"spouse|wife|husband|partner|landlord|owner|\bboard\b|committee|decid|decision|"
    r"who (?:else|makes|handles|would)|sign off|approve",
    "time": r"\bwhen(?:'s| (?:would|could|can|should|is|are|do|does|might|works?|suits))\b|"
    r"what time|a good time|better time|schedule|evening|morning|afternoon|"
    r"weekend|saturday|sunday|monday|tuesday|wednesday|thursday|friday|tomorrow|next week|"
    r"available|free (?:on|this|next)|come back|stop by|swing by|calendar|lease (?:ends|runs)|"
    r"renew|how long (?:is|does) (?:your|the) (?:lease|contract)",
    "info": r"send|\bsent\b|mail|e-?mail|leave (?:you|a|some|my|this)|brochure|flyer|card|"
    r"information|something in writing|read (?:over|up)|look (?:it )?over",
    "provider": r"provider|current (?:company|contract)|who (?:do|are) you (?:use|with)|"
    r"your company|already have|brightline|contract with|who you have|switch(?:ing)?|utility",
    "experience": r"happened|last (?:time|contractor|guy|company)|before\b|in the past|"
    r"experience|story|stories|burned|went wrong|tried|previous|had (?:solar|someone)",
    "verify": r"licen[cs]e|insured|insurance|reviews?|references?|look (?:us|me|it) up|check "
    r"(?:us|me|out)|verify|legit|bbb|credentials|google us|scam",
}
_PATTERNS = {
    topic: re.compile(rf"(?:{pattern})", re.IGNORECASE) for topic, pattern in _LEXICON.items()
}
# Time words only a question names ("whens better?", "sat at 10?"); in a buyer's line they state
# nothing ("we sat down with a guy", "the other night"). One of the router's signs.
_TIME_IN_QUESTION = re.compile(
    r"^\W*(?:(?:so|and|ok(?:ay)?|then|great)\W+)?whens?\b|\b(?:week)?nights?\b|"
    r"\bsat(?= at\b| \d| morning| afternoon| or\b|\W*$)",
    re.IGNORECASE,
)
# Words that name a topic only when nothing more specific does: "who decides about the house?"
# asks about the decision, not the house.
_WEAK = {"home": re.compile(r"\b(?:house|home)\b", re.IGNORECASE)}


def lexical_topics(text: str) -> list[str]:
    """Topics the words name, in TOPICS order."""
    expanded = expand(text)
    found = [topic for topic in TOPICS if _PATTERNS[topic].search(expanded)]
    return found or [topic for topic, pattern in _WEAK.items() if pattern.search(expanded)]


# A yes/no question that offers or proposes something ("Would that help?", "Want me to send
# it?", "Thursday at six, okay?"): the buyer says yes, maybe or no to it.
_PROPOSAL = re.compile(
    r"^\W*(?:(?:so|and|ok(?:ay)?|then|great|alright|perfect)\W+)?(?:would|wanna|want|shall|"
    r"should i|should we|can i|could i|can we|could we|may i|how about|what about|"
    r"do you want|would you like|sounds?|deal|ok(?:ay)?|fair|is that (?:ok|okay|alright|fair)|"
    r"that work|mind if|any chance)\b|\b(?:ok(?:ay)?|deal|alright|fair|sound good|work for you|"
    r"suit you|that work)\W*$",
    re.IGNORECASE,
)


# An offer of the trainee's own ("Would it help if I wrote the monthly math out?"): its words
# name what is offered, not a fact asked for (one of the router's signs).
_OFFER = re.compile(
    r"\b(?:if i|me to|can i|could i|should i|shall i|may i|how about i|let me|i could)\b",
    re.IGNORECASE,
)
# A check-in ("Does that make sense?", "...before, right?") asks for nothing to answer.
_CHECK_IN = re.compile(r"\b(?:makes? sense|right|you know|follow me)\W*$", re.IGNORECASE)


def proposes(text: str) -> bool:
    return bool(_PROPOSAL.search(text.strip()))


def question_topics(
    sentences: list[Sentence], vectors: np.ndarray, embedder: Embedder
) -> tuple[str, ...]:
    """What the reply's questions ask about (first question's topic first)."""
    return questions(sentences, vectors, embedder)[0]


def question_signs(text: str) -> np.ndarray:
    """A question's plain-text signs for the router: the topics its words name, and whether it
    proposes, offers something of the trainee's, checks in, or names a time word."""
    named = lexical_topics(text)
    return np.array(
        [
            *(topic in named for topic in TOPICS),
            proposes(text),
            bool(_OFFER.search(text)),
            bool(_CHECK_IN.search(text)),
            bool(_TIME_IN_QUESTION.search(text)),
        ],
        dtype=np.float32,
    )


def questions(
    sentences: list[Sentence], vectors: np.ndarray, embedder: Embedder
) -> tuple[tuple[str, ...], str]:
    """The topics the reply's questions ask about (first question's first), and what kind of
    question is left that names no topic: "proposal" (a yes/no offer), "open", or "" (router.py
    reads each question; a check-in asks nothing)."""
    table = router.shipped()
    if table.embedder != embedder.name:
        raise ValueError(f"the router was trained on {table.embedder}, not {embedder.name}")
    found: list[str] = []
    untopical = ""
    for sentence, vector in zip(sentences, vectors, strict=True):
        if not sentence.question:
            continue
        label = table.route(sentence.text, vector, question_signs(sentence.text))
        if label in TOPICS:
            if label not in found:
                found.append(label)
        elif label == router.OFFER:
            untopical = "proposal"
        elif label == router.OTHER and untopical != "proposal":
            untopical = "open"
    return tuple(found), untopical


_NUMBER = re.compile(
    r"\$?\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|grand)\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=8192)  # the state is folded from the history on every message
def stated_topics(line: str) -> tuple[str, ...]:
    """Topics a buyer's line gives facts about (a figure, a name, a day...)."""
    topics = lexical_topics(line)
    if (
        _NUMBER.search(line)
        and "cost" not in topics
        and re.search(
            r"bill|month|pay|paid|quote|grand|dollar|\$|price|cost|budget|under|over", line, re.I
        )
    ):
        topics.insert(0, "cost")
    return tuple(t for t in TOPICS if t in topics)


@lru_cache(maxsize=8192)
def fact_words(line: str, topic: str) -> str:
    """The sentences of a buyer's line that give the facts on ``topic`` (the line if none does):
    what the buyer said about it, not the reaction or the objection around it."""
    parts = [s.text for s in split(line) if topic in stated_topics(s.text)]
    return " ".join(parts) or line


def mentions_fact(reply: str, fact: str) -> bool:
    """Whether the reply takes up something the buyer said (a figure or a distinctive word)."""
    numbers, distinctive = keys(fact)
    said, reply_words = keys(reply)
    return bool(numbers & said) or len((distinctive - COMMON) & reply_words) >= 2


@lru_cache(maxsize=8192)
def keys(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """A text's figures and its words of five letters or more, lower case."""
    numbers = frozenset(n.lower().strip("$.,") for n in _NUMBER.findall(text))
    return numbers, frozenset(re.findall(r"[a-z']{5,}", text.lower()))


COMMON = frozenset(
    [
        "about",
        "after",
        "again",
        "think",
        "there",
        "their",
        "would",
        "could",
        "should",
        "really",
        "right",
        "thing",
        "things",
        "going",
        "because",
        "maybe",
        "people",
        "other",
        "which",
        "where",
        "these",
        "those",
        "every",
        "still",
        "honestly",
        "never",
        "always",
    ]
)
