"""One reply in its context as the classifiers' input: vectors, plain-text signs, the state.

The same function builds the features for training (tests/eval/train.py) and for judging, so the
two can never drift apart. Only the parts of the state that do not depend on the classifiers
themselves enter (facts given, questions asked, earlier lines, promises): a hand-written history
and a stored one give the same features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from roleplay_api.difficulty import DIFFICULTIES
from roleplay_api.services.coach import text as texts
from roleplay_api.services.coach import topics
from roleplay_api.services.coach.embedding import Embedder
from roleplay_api.services.coach.reading import SIGN_NAMES, Reading, line_vector
from roleplay_api.services.coach.state import State, opening_line

PROMISES = {
    "no_pressure": re.compile(
        r"\b(?:no|zero|without any|not (?:here )?to|won't|will not|never|not going to|not gonna)"
        r"\s+(?:\w+\s+){0,3}(?:pressure|push|pushing|hard sell|sell you)",
        re.IGNORECASE,
    ),
    "no_decision_today": re.compile(
        r"\b(?:not|no|won't|will not|never|don't need to|nobody's)\b[^.?!]{0,40}"
        r"\b(?:decide|decision|sign|commit|signing)\b[^.?!]{0,30}\b(?:today|now|tonight)\b",
        re.IGNORECASE,
    ),
    "brief": re.compile(
        r"\b(?:(?:two|2|one|1|three|3|five|5|thirty|30|sixty|60|ninety|90)[- ]"
        r"(?:minutes?|mins?|seconds?|secs?)|be quick|keep (?:it|this) (?:short|quick|brief))\b",
        re.IGNORECASE,
    ),
}
CLOSING = re.compile(
    r"\b(?:sign(?:ed)? (?:up|today|now|tonight|here|the (?:contract|agreement|paperwork))|"
    r"ready to (?:go ahead|move forward|get started|sign)|get (?:you|this|it) (?:started|signed)|"
    r"deposit|put you down|lock (?:it|you|this) in|shall we (?:go ahead|do it)|"
    r"(?:do|start) the paperwork|go ahead (?:today|now|tonight)|"
    r"(?:decide|decision|commit|yes) (?:today|right now|now|tonight))\b",
    re.IGNORECASE,
)
# A sentence that leaves the choice to the buyer is not a close ("whether you go ahead today or
# next month is up to you").
LEAVES_CHOICE = re.compile(
    r"\b(?:up to you|your call|your decision|your choice|no rush|whenever you|only if you|"
    r"if and when|if you(?:'d| would)? (?:like|want) to|whether (?:or not|you)|"
    r"or (?:next|another|later|not)\b)",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)days?|tonight|tomorrow|weekends?|mornings?|"
    r"afternoons?|evenings?|next week|\d{1,2}(?::\d\d)?\s*(?:am|pm|o'clock))\b",
    re.IGNORECASE,
)
ECHO_WORDS = 3  # a reply with fewer content words (times apart) is not an echo
REPEAT_AT = 0.6  # content-word overlap with an earlier trainee line that counts as repeating


def promises(message: str) -> tuple[str, ...]:
    return tuple(name for name, pattern in PROMISES.items() if pattern.search(message))


def closes(message: str) -> bool:
    """Asks for the sale, a signature, money or a decision now (the words; the heads judge it)."""
    return any(
        not s.negated and CLOSING.search(s.text) and not LEAVES_CHOICE.search(s.text)
        for s in texts.split(message)
    )


@dataclass(frozen=True)
class Context:
    """The reply against the conversation so far (CONTEXT_NAMES order)."""

    buyer_cos: float  # closeness to the buyer's last line
    buyer_max_cos: float  # of the closest sentence
    repeat: float  # overlap with the trainee's own earlier lines (max)
    reask: bool  # asks again what the buyer already told
    asked_again: bool  # every topic its questions ask, the trainee asked before
    takes_up: bool  # picks up a figure or words the buyer just said
    exchange: int
    level: int  # 0 BEGINNER .. 4 NIGHTMARE
    promised_no_pressure: bool
    promised_brief: bool
    next_step_before: bool
    closing: bool
    buyer: np.ndarray  # the buyer's last line's vector
    echo: float = 0.0  # the buyer's words handed back (echoes; not a model feature)

    def values(self) -> list[float]:
        return [
            self.buyer_cos,
            self.buyer_max_cos,
            self.repeat,
            float(self.repeat >= REPEAT_AT),
            float(self.reask),
            float(self.asked_again),
            float(self.takes_up),
            (self.exchange - 1) / 4,
            float(self.exchange == 1),
            self.level / 4,
            float(self.promised_no_pressure),
            float(self.promised_brief),
            float(self.next_step_before),
            float(self.closing),
            float(self.closing and self.exchange <= 2),
        ]


CONTEXT_NAMES = (
    "buyer_cos",
    "buyer_max_cos",
    "repeat",
    "repeats",
    "reask",
    "asked_again",
    "takes_up",
    "exchange",
    "first",
    "level",
    "promised_no_pressure",
    "promised_brief",
    "next_step_before",
    "closing",
    "early_close",
)


def reasks(asked: tuple[str, ...], message: str, state: State) -> bool:
    """A question about a topic the buyer already gave facts on, without taking those up."""
    for topic in asked:
        fact = state.facts.get(topic)
        if fact is not None and not topics.mentions_fact(message, fact):
            return True
    return False


def context(reading: Reading, asked: tuple[str, ...], state: State, embedder: Embedder) -> Context:
    buyer = line_vector(state.last_buyer_line, embedder)
    earlier = [texts.similarity(reading.text, line) for line in state.trainee_lines]
    return Context(
        buyer_cos=float(reading.whole @ buyer),
        buyer_max_cos=float((reading.vectors @ buyer).max()),
        repeat=max(earlier, default=0.0),
        reask=reasks(asked, reading.text, state),
        asked_again=bool(asked) and all(t in state.asked for t in asked),
        takes_up=topics.mentions_fact(reading.text, state.last_buyer_line),
        exchange=state.exchange,
        level=DIFFICULTIES.index(state.difficulty),
        promised_no_pressure=bool({"no_pressure", "no_decision_today"} & state.promises),
        promised_brief="brief" in state.promises,
        next_step_before=state.next_step_offered,
        closing=closes(reading.text),
        buyer=buyer,
        # after the goodbye the exit rules judge the reply
        echo=0.0 if state.shut else echoes(reading.text, state),
    )


def echoes(message: str, state: State) -> float:
    """How much of the reply is the buyer's own words handed back: its content-word overlap
    with any one buyer line, or with all of them together (a reply stitched from two). Times
    and days are left out on both sides: reading back the time agreed ("Saturday morning works,
    see you then") confirms it, and a greeting ("Good morning!") adds nothing."""
    mine = _TIME.sub(" ", message)
    if len(texts.content_words(mine)) < ECHO_WORDS:  # "Works. See you then." hands back nothing
        return 0.0
    said = [_TIME.sub(" ", line) for line in (opening_line(state.scenario), *state.buyer_lines)]
    return max(texts.similarity(mine, line) for line in [*said, " ".join(said)])


# The plain-text signs and the context values close every feature row (the score model reads them).
N_SIGNS = len(SIGN_NAMES) + len(CONTEXT_NAMES)


def vector(reading: Reading, ctx: Context, embedder: Embedder) -> np.ndarray:
    """The classifiers' input row (FEATURE_NAMES(dim) order)."""
    dim = embedder.dim
    asserted = [
        v
        for s, v in zip(reading.sentences, reading.peaks, strict=True)
        if not (s.negated or s.quoting)
    ]
    hedged = [
        v for s, v in zip(reading.sentences, reading.vectors, strict=True) if s.negated or s.quoting
    ]
    zero = np.zeros(dim, dtype=np.float32)
    return np.concatenate(
        [
            reading.whole,
            np.max(asserted, axis=0) if asserted else zero,
            np.mean(hedged, axis=0) if hedged else zero,
            reading.whole * ctx.buyer,
            np.asarray(reading.signs(), dtype=np.float32),
            np.asarray(ctx.values(), dtype=np.float32),
        ]
    ).astype(np.float32)


def feature_names(dim: int) -> list[str]:
    blocks = ("whole", "asserted_peak", "hedged_mean", "buyer_product")
    return [f"{b}_{i}" for b in blocks for i in range(dim)] + list(SIGN_NAMES) + list(CONTEXT_NAMES)
