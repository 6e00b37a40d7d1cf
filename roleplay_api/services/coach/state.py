"""The conversation so far, as the scorer and the buyer both see it.

Rebuilt deterministically from the scenario, the difficulty and the history every time: each
stored turn carries what was read in it (``meta``: the trainee's act, the buyer's move), so the
fold below is cheap; a turn without it (stored by an older engine, or a hand-written history in
the eval corpus) is read again by the engine (``read_act``) or from its words (``buyer_move``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from roleplay_api.difficulty import level
from roleplay_api.services.coach import text as texts
from roleplay_api.services.coach import topics
from roleplay_api.services.coach.base import MAX_EXCHANGES, MAX_SCORE, PAR, ScenarioBrief, Turn

SEVERE_HARMS = frozenset({"threat", "harassment", "discrimination", "data_grab"})
TRUST_RANGE = 6.0


@dataclass(frozen=True)
class Act:
    """What one trainee message did, as the engine read it (stored with the message)."""

    score: int = 0
    skills: tuple[str, ...] = ()
    harm: str | None = None
    # a phrase rule named the harm, or its kind's head read it as likely (rubric.SURE_AT): only
    # then does a severe harm end the conversation at once, and any harm shut the door below
    # the level's limit as a first strike (stored rows without it: sure)
    harm_sure: bool = True
    asked: tuple[str, ...] = ()  # topics of its questions
    asks: str = ""  # a question naming no topic: "proposal" (a yes/no offer), "open" or ""
    tried: tuple[str, ...] = ()  # skills it went for without earning the credit
    promises: tuple[str, ...] = ()  # "no_pressure", "brief", "no_decision_today"
    flaws: tuple[str, ...] = ()  # reask, repeat, ignores, broken_promise, premature_close...
    next_step: bool = False
    closing: bool = False  # asked for the sale or a commitment now
    discount: bool = False

    @property
    def sure_harm(self) -> bool:
        """It did a harm the reading is sure of (see ``harm_sure``)."""
        return self.harm is not None and self.harm_sure

    def as_meta(self) -> dict[str, Any]:
        return {
            "v": 2,
            "score": self.score,
            "skills": list(self.skills),
            "harm": self.harm,
            "harmSure": self.harm_sure,
            "asked": list(self.asked),
            "asks": self.asks,
            "tried": list(self.tried),
            "promises": list(self.promises),
            "flaws": list(self.flaws),
            "nextStep": self.next_step,
            "closing": self.closing,
            "discount": self.discount,
        }

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> Act:
        """From stored JSON, which may be old or damaged: wrong types read as absent."""
        harm = meta.get("harm")
        return cls(
            score=_score(meta.get("score")),
            skills=_names(meta.get("skills")),
            harm=harm if isinstance(harm, str) else None,
            harm_sure=meta.get("harmSure") is not False,
            asked=_names(meta.get("asked")),
            asks=asks if (asks := meta.get("asks")) in ("proposal", "open") else "",
            tried=_names(meta.get("tried")),
            promises=_names(meta.get("promises")),
            flaws=_names(meta.get("flaws")),
            next_step=meta.get("nextStep") is True,
            closing=meta.get("closing") is True,
            discount=meta.get("discount") is True,
        )


@dataclass(frozen=True)
class Move:
    """What one buyer reply did (stored with the reply)."""

    answered: tuple[str, ...] = ()  # topics it gave facts about
    raised: str | None = None  # the objection it brought up
    settled: tuple[str, ...] = ()  # objections it let go of
    shut: bool = False  # the buyer ended the conversation
    agreed: bool = False  # it said yes to a next step (the closing reply: agreed or not)

    def as_meta(self) -> dict[str, Any]:
        return {
            "v": 2,
            "answered": list(self.answered),
            "raised": self.raised,
            "settled": list(self.settled),
            "shut": self.shut,
            "agreed": self.agreed,
        }

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> Move:
        raised = meta.get("raised")
        return cls(
            answered=_names(meta.get("answered")),
            raised=raised if isinstance(raised, str) else None,
            settled=_names(meta.get("settled")),
            shut=meta.get("shut") is True,
            agreed=meta.get("agreed") is True,
        )


def _names(value: Any) -> tuple[str, ...]:
    """The strings of a stored list (anything else in it, or a non-list, is dropped)."""
    if not isinstance(value, list | tuple):
        return ()
    return tuple(v for v in value if isinstance(v, str))


def _score(value: Any) -> int:
    try:
        return max(0, min(MAX_SCORE, int(value)))
    except (TypeError, ValueError, OverflowError):
        return 0


@dataclass
class State:
    scenario: ScenarioBrief
    difficulty: str
    trust: float
    exchange: int = 1  # the exchange the next trainee message opens
    shut: bool = False
    shut_at: int | None = None  # the trainee message after which the buyer shut the door
    agreed: bool = False
    facts: dict[str, str] = field(default_factory=dict)  # topic -> the buyer's words
    raised: list[str] = field(default_factory=list)  # objection ids, in the order raised
    settled: set[str] = field(default_factory=set)
    asked: list[str] = field(default_factory=list)  # topics the trainee asked about
    promises: set[str] = field(default_factory=set)
    next_step_offered: bool = False
    trainee_lines: list[str] = field(default_factory=list)
    buyer_lines: list[str] = field(default_factory=list)
    acts: list[Act] = field(default_factory=list)

    @property
    def last_buyer_line(self) -> str:
        return self.buyer_lines[-1] if self.buyer_lines else opening_line(self.scenario)

    @property
    def open_objection(self) -> str | None:
        for objection in reversed(self.raised):
            if objection not in self.settled:
                return objection
        return None

    @property
    def buyer_sentences(self) -> set[str]:
        return {s.text.lower() for line in self.buyer_lines for s in texts.split(line)}


def opening_line(scenario: ScenarioBrief) -> str:
    return str(scenario.persona.get("openingLine") or "")


def severe(act: Act) -> bool:
    """A severe harm the reading is sure of (a threat, harassment, discrimination, a data grab):
    the buyer's trust falls furthest, and a demanding buyer ends the conversation at once. One
    the model only half reads as that kind cools the buyer as any harm does: out of fold on the
    train writers, about half of such verdicts fell on clean replies, and a false one must not
    end a session."""
    return act.sure_harm and act.harm in SEVERE_HARMS


def trust_step(act: Act, difficulty: str) -> float:
    """How much one reply moves the buyer's trust (the buyer's side of the rubric)."""
    d = level(difficulty)
    if act.harm:
        return -5.0 if severe(act) else -3.0
    step = max(-1.5, min(1.5, (act.score - d.bar) / 4))
    if {"repeat", "reask", "ignores"} & set(act.flaws):
        step -= 0.5
    if "broken_promise" in act.flaws:
        step -= 1.0
    if act.discount:
        # An easy buyer warms to money off; a demanding one wonders what the first price was.
        step += 0.5 if d.start_trust > 0 else -0.5
    return step


def apply_act(state: State, act: Act, message: str, *, live: bool = True) -> None:
    """Fold one trainee message into the state (before the buyer answers it).

    ``live``: the buyer is about to answer, and decides now whether this reply shuts the door.
    Replaying a history, the buyer's own line says whether it did (its stored move, or its
    words for a hand-written one): a history in which the buyer went on talking is not shut.
    """
    d = level(state.difficulty)
    state.acts.append(act)
    state.trainee_lines.append(message)
    state.asked.extend(t for t in act.asked if t not in state.asked)
    state.promises.update(act.promises)
    state.next_step_offered |= act.next_step
    state.trust = max(
        -TRUST_RANGE, min(TRUST_RANGE, state.trust + trust_step(act, state.difficulty))
    )
    at_once = severe(act) and d.start_trust <= 0
    # Below its limit, a buyer shuts the door on a harm, or on a second weak reply in a row:
    # one clumsy reply is not the end of a conversation, even with a demanding buyer. A harm
    # the reading is not sure of (see `severe`) shuts it only as a second strike, so that a
    # plain first line misread as a harm does not end a demanding buyer's session at once.
    weak_twice = len(state.acts) >= 2 and all(a.score < PAR for a in state.acts[-2:])
    struck = act.sure_harm or (
        act.harm is not None and any(a.harm is not None for a in state.acts[:-1])
    )
    if live and (at_once or (state.trust < d.shut_below and (struck or weak_twice))):
        _shut(state)
    state.exchange += 1


def _shut(state: State) -> None:
    if not state.shut:
        state.shut, state.shut_at = True, len(state.acts)


def apply_move(state: State, move: Move, line: str) -> None:
    state.buyer_lines.append(line)
    # the answer, not the objection raised after it (round 17: asked again what his wife would
    # ask about, the buyer reminded "Like I said: Whatever this is, I'm not signing up for it
    # today", the objection said after the first answer)
    answer = _without_objections(line, state) or line
    for topic in move.answered:
        state.facts.setdefault(topic, topics.fact_words(answer, topic))
    if move.raised and move.raised not in state.raised:
        state.raised.append(move.raised)
    state.settled.update(move.settled)
    if move.shut:
        _shut(state)
    # A yes to a next step, taken back if the buyer ends the conversation after it; the
    # closing reply has the last word (the buyer agrees there, or turns it down).
    closing = state.exchange > MAX_EXCHANGES
    state.agreed = (move.agreed if closing else state.agreed or move.agreed) and not state.shut


def _without_objections(line: str, state: State) -> str:
    said = {
        str(w).lower()
        for o in state.scenario.persona.get("objections", [])
        for w in o.get("says", [])
    }
    return " ".join(s.text for s in texts.split(line) if s.text.lower() not in said)


def buyer_move(line: str) -> Move:
    """A buyer line stored without its move (older engines, hand-written histories): its facts."""
    return Move(answered=topics.stated_topics(line), shut=_closes_door(line))


# A buyer line that ends the conversation, in a written history: a goodbye, "please go", "we're
# done here", "have a good day". "I have to go" is not one: a busy buyer says it and still
# takes a better time.
_CLOSES_DOOR = re.compile(
    r"\b(?:good)?bye\b|closing the door|please leave\b|get off my|\bgo away\b|leave me alone"
    r"|\bplease go(?: away| now)?\s*(?:[.!,]|$)|\b(?:i'd like|i want) you to (?:go|leave)\b"
    r"|\b(?:we'?re|i'?m|we are|i am) (?:all )?(?:done|finished)(?: here| now| talking)?"
    r"\s*(?:[.!,]|$)"
    r"|(?<!about )(?<!not )\b(?:done|finished) here\b"
    r"|\bhave a (?:good|nice|great) (?:day|one|evening|night|afternoon)\b",
    re.IGNORECASE,
)


def _closes_door(line: str) -> bool:
    return bool(_CLOSES_DOOR.search(line))


ReadAct = Callable[[State, str], Act]


def derive(
    scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], read_act: ReadAct
) -> State:
    """The state after ``history``; ``read_act`` reads a trainee turn stored without its act."""
    state = State(scenario, difficulty, trust=level(difficulty).start_trust)
    state.raised.append("opening")
    for turn in history:
        meta = turn.meta if isinstance(turn.meta, Mapping) else {}
        if turn.role == "user":
            act = Act.from_meta(meta) if meta.get("v") == 2 else read_act(state, turn.content)
            if turn.score is not None:
                act = replace(act, score=_score(turn.score))
            apply_act(state, act, turn.content, live=False)
        else:
            move = Move.from_meta(meta) if meta.get("v") == 2 else buyer_move(turn.content)
            apply_move(state, move, turn.content)
    return state
