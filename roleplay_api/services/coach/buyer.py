"""The buyer: what the homeowner says back, from the conversation state and the reply's act.

The buyer answers the question asked (and says so when it was already answered), reacts to a
harm, a discount, a broken promise or a repeat and says why it cools, lets go of an objection a
reply settled, raises the objections still open (how many depends on the difficulty), remembers
what it said, never says a sentence twice in a session, and once it has shut the door it stays
shut. Variants are chosen by a hash of the inputs: the same conversation always gets the same
replies.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from roleplay_api.difficulty import DIFFICULTIES, level
from roleplay_api.services.coach import phrases, topics
from roleplay_api.services.coach import text as texts
from roleplay_api.services.coach.base import MAX_EXCHANGES
from roleplay_api.services.coach.state import Act, Move, State, opening_line

# The reaction the buyer leads with, most serious first.
_REACTION_ORDER = (
    "threat",
    "harassment",
    "discrimination",
    "data_grab",
    "insult",
    "deception",
    "pressure",
    "broken_promise",
    "premature_close",
    "reask",
    "repeat",
    "technique_talk",
    "echo",
    "ignores",
    "feature_dump",
    "monologue",
    "empty",
)


# Reactions after which the buyer still takes up the question asked.
_STILL_LISTENING = frozenset({None, "ignores", "feature_dump", "monologue", "assurance"})

# Trust asked for with nothing to check ("We're not like that though, we're one of the good
# ones", "trust me"): the buyer says so, won over or not (round 17: "Okay. I appreciate
# that." from a buyer whose sister was scammed). Negated words are not it ("I'm not asking
# you to trust me"), nor an assurance with something checkable beside it.
_ASSURES = re.compile(
    r"\b(?:we're|we are|i'm|i am|im)\s+(?:not like (?:that|them|those|the others)|"
    r"(?:one of )?the good (?:ones|guys)|(?:totally |completely )?(?:different|legit|"
    r"trustworthy|reputable|the real deal))\b|\btrust me(?: on (?:this|that))?\s*(?:[.!]|$)|"
    r"\byou can trust (?:me|us)\b|"
    r"\byou have my word\b",
    re.IGNORECASE,
)
_CHECK = re.compile(
    rf"{phrases.VERIFIABLE.pattern}|\blook (?:me|it) up\b|\bbetter business\b|\bcancel|"
    r"\bcontract\b|\bcard\b|\bwebsite\b|\bcall\b|\bcheck\b|\bverify\b|\bnumber\b|\binsur|"
    r"\bwarrant",
    re.IGNORECASE,
)


def _bare_assurance(said: str) -> bool:
    return bool(texts.affirmed(_ASSURES, said)) and not _CHECK.search(said)


@lru_cache(maxsize=1)
def general_lines() -> dict[str, Any]:
    text = resources.files("roleplay_api.data").joinpath("buyer.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _variants(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or ()]


@dataclass(frozen=True)
class Objection:
    id: str
    says: tuple[str, ...]
    level: int  # raised from this difficulty on (0 BEGINNER .. 4 NIGHTMARE)


def objections(persona: Mapping[str, Any]) -> list[Objection]:
    """The persona's objections; a plain list of lines (older libraries) is read in order."""
    found = []
    for i, item in enumerate(persona.get("objections") or ()):
        if isinstance(item, Mapping):
            found.append(
                Objection(
                    str(item["id"]), tuple(_variants(item.get("says"))), int(item.get("level", 0))
                )
            )
        else:
            found.append(Objection(f"o{i + 1}", (str(item),), min(i, len(DIFFICULTIES) - 1)))
    return found


def answers(persona: Mapping[str, Any], topic: str) -> list[str]:
    own = (persona.get("answers") or {}).get(topic)
    return _variants(own) or _variants(general_lines()["answers"].get(topic))


def lines(persona: Mapping[str, Any], key: str, group: str | None = None) -> list[str]:
    """A persona's own lines for ``key`` (under ``group`` if given), else the general ones."""
    own = persona.get(group, {}) if group else persona
    found = _variants((own or {}).get(key)) if isinstance(own, Mapping) else []
    if found:
        return found
    general = general_lines()
    return _variants((general.get(group) or {}).get(key) if group else general.get(key))


class Speaker:
    """Picks lines for one reply, never a sentence already said in the session."""

    def __init__(self, state: State, seed: str) -> None:
        self.said = state.buyer_sentences
        self.seed = seed
        self.parts: list[str] = []

    def fresh(self, options: Sequence[str]) -> list[str]:
        return [o for o in options if not any(s.text.lower() in self.said for s in texts.split(o))]

    def say(self, options: Sequence[str], salt: str, **values: str) -> bool:
        candidates = self.fresh([o.format(**values) if values else o for o in options])
        if not candidates:
            return False
        digest = hashlib.sha256(f"{self.seed}|{salt}".encode()).digest()
        choice = candidates[int.from_bytes(digest[:4], "big") % len(candidates)]
        self.parts.append(choice)
        self.said |= {s.text.lower() for s in texts.split(choice)}
        return True

    @property
    def text(self) -> str:
        return " ".join(self.parts)


def _reaction(act: Act) -> str | None:
    events = {act.harm, *act.flaws}
    if act.discount:
        events.add("discount")
    return next((e for e in _REACTION_ORDER if e in events), None) or (
        "discount" if act.discount else None
    )


def _first_sentence(line: str) -> str:
    return texts.split(line)[0].text


@lru_cache(maxsize=1)
def _stock_sentences() -> frozenset[str]:
    """The general lines that carry no fact ("Alright, I'm okay with that.", "Okay, that's
    fair."): never quoted back as what the buyer said."""
    general = general_lines()
    found = [*general["settled"], *general["softening"], *general["guarded"], *general["parting"]]
    found += [line for key in ("yes", "maybe", "no") for line in general["proposal"][key]]
    return frozenset(s.text.lower() for line in found for s in texts.split(line))


def _fact_sentence(fact: str, asked: str = "", state: State | None = None) -> str:
    """The sentence of a fact the buyer gave that the message ``asked`` is about ("What did
    your neighbor pay?" gets "my neighbor said he paid twenty-two", not the bill before it),
    else the first that says something (a stock "Sure, we can do that." said with it is not
    the fact). The words of its questions count first, then the rest of the message; on a tie,
    one the buyer has not yet said twice (``state``), then the first."""
    stock = _stock_sentences()
    told = [s.text for s in texts.split(fact) if s.text.lower() not in stock]
    if not told:
        return _first_sentence(fact)
    question = " ".join(s.text for s in texts.split(asked) if s.question)

    def rank(sentence: str) -> tuple[int, int, bool]:
        fresh = state is None or _told(sentence, state) < 2
        return len(_shared(sentence, question)), len(_shared(sentence, asked)), fresh

    return max(told, key=rank)


def respond(
    state: State, act: Act, *, settles: bool, was_shut: bool, seed: str, parting: bool = False
) -> tuple[str, Move]:
    """The buyer's reply to the trainee message just folded into ``state`` (apply_act).

    ``settles``: the reply dealt with the buyer's open objection; ``was_shut``: the buyer had
    already ended the conversation before this message; ``parting``: the message leaves
    gracefully after it did (a civil goodbye back, not another "please go").
    """
    persona = state.scenario.persona
    d = level(state.difficulty)
    speak = Speaker(state, seed)
    if was_shut:
        key = "parting" if parting and act.harm is None else "after_goodbye"
        speak.say(lines(persona, key), "after") or speak.say(
            lines(persona, "after_goodbye"), "after-again"
        ) or speak.say(["..."], "dots")
        return speak.text, Move(shut=True)

    said = state.trainee_lines[-1] if state.trainee_lines else ""
    reaction = _reaction(act)
    if reaction is None and _bare_assurance(said):
        reaction = "assurance"
    if reaction == "discount":
        key = "discount_warm" if d.start_trust > 0 else "discount"
        speak.say(lines(persona, key, "reactions"), "discount")
    elif reaction == "reask":
        topic = next((t for t in act.asked if t in state.facts), None)
        fact = _fact_sentence(state.facts[topic], said, state) if topic else ""
        # The fact once, and once again when asked again; after that, no third time.
        again = bool(fact) and _told(fact, state) < 2
        if not (again and speak.say(lines(persona, "reask", "reactions"), "reask", fact=fact)):
            speak.say(lines(persona, "reask_again", "reactions"), "reask-again")
    elif reaction == "ignores" and "?" not in state.last_buyer_line:
        # "That's not what I asked" only when the buyer did ask something
        speak.say(lines(persona, "ignores_statement", "reactions"), reaction)
    elif reaction:
        speak.say(lines(persona, reaction, "reactions"), reaction)

    if state.shut:
        speak.say(lines(persona, "goodbye"), "goodbye")
        return speak.text, Move(shut=True)

    if state.exchange > MAX_EXCHANGES:  # this was the last message: conclude
        # A buyer who was lied to, pressured or insulted in this visit does not agree in it (a
        # harm the reading is not sure of only cools it: trust must be won back), nor in the
        # breath after pushing back on this very message, sure or not ("I'm not signing
        # anything on my front step. Okay, Wednesday it is." read as two buyers, round 15).
        # A buyer that said yes to a step earlier in the visit, or is offered a time it named
        # itself ("Saturday at ten, then?" after "our Saturdays are usually open"), does not
        # turn it down at the close (round 15: "Thanks, but we're not ready" to its own times).
        offered_own = _own_day(said, state) and (
            offers_step(said)
            or any(s.question and _CONFIRMS.search(s.text) for s in texts.split(said))
        )
        agreed = (
            (state.trust >= d.agree_at or state.agreed or offered_own)
            and act.harm is None
            and not any(a.sure_harm for a in state.acts)
        )
        key = "agree" if agreed else "decline"
        options = lines(persona, key, "closing")
        day = _day_named(state) if agreed else None
        if day:  # the day the trainee named, not the persona's own ("Saturday at eleven, then")
            options = [o for o in options if _fits_day(o, day)] or [
                o.format(day=day) for o in lines(persona, "agree_on", "closing")
            ]
        speak.say(options, key) or speak.say(
            _variants(general_lines()["closing"][key]), key + "-general"
        )
        return speak.text, Move(agreed=agreed)

    # the trainee takes its leave (not as its opening line): so does the buyer
    if reaction is None and len(state.trainee_lines) > 1 and _leaving(said):
        speak.say(lines(persona, "parting"), "parting") or speak.say(["Okay."], "okay")
        return speak.text, Move()
    # Won over: trust at the level's bar and no harm in this visit (as at the close).
    won = state.trust >= d.agree_at and not any(a.sure_harm for a in state.acts)
    listening = reaction in _STILL_LISTENING
    asks = act.asks
    replied = said_yes = offered = False
    # A next step offered as a question ("Could I come by Thursday at six?") gets yes, maybe or
    # no first; the facts it touches (when they are free, who attends) follow as the condition
    # (after a yes, not its own times again).
    # Where to send it ("What email should I send it to?", "Can I grab your email to send
    # it?"): the buyer gives it or keeps it; not a yes or no to it as an offer, nor "Like I
    # said: I'll actually notice an email" (the info topic it routes to is not answered).
    contact = listening and act.harm is None and _asks_contact(said)
    if contact:
        willing = state.trust > 0 or _wants_it_sent(state)
        replied = speak.say(
            lines(persona, "willing" if willing else "guarded", "contact"), "contact"
        )
    if not contact and reaction is None and offers_step(said) and set(act.asked) <= _STEP_TOPICS:
        # coming back when the buyer itself said to ("Thursday after five") is not refused
        # A time the buyer named itself is taken, unless it was lied to or pushed hard in
        # this visit (then no step is agreed in it, as at the close).
        own_time = (
            _own_day(said, state)
            or ("time" in state.facts and _takes_up(said, state.facts["time"]))
        ) and not any(a.sure_harm for a in state.acts)
        replied, said_yes = _answer_offer(speak, persona, won or own_time, state.trust)
        asks, offered = "", True
    # "If the monthly came in under your bill, would the total still be a sticking point?":
    # a question about what would follow, not about the bill (round 15: "As I said: We pay
    # around two-ten a month"); it gets how the buyer would take it.
    supposes = (
        not contact and not offered and reaction is None and _supposes(said) and act.harm is None
    )
    if supposes:
        key = "yes" if won else "maybe" if state.trust >= 0 else "no"
        replied = speak.say(lines(persona, key, "hypothetical"), f"suppose-{key}")
        asks = ""

    answered: list[str] = []
    for topic, fact in ((t, state.facts.get(t)) for t in _asked(act, said, state)):
        if topic in answered or (contact and replied and topic == "info"):
            continue  # where to send it was the question (not recorded as the info fact)
        if supposes and replied and fact is not None:
            continue  # what the buyer told is the premise, not the question
        if said_yes and topic == "time" and _DAY.search(said):
            # yes to "Could I drop it off on Thursday?" is the answer; not "Okay, that works
            # for me. A weekend, with my wife home." (round 16); who attends, asked, still is
            continue
        if fact is not None:
            if reaction == "reask":
                continue  # the reaction above already gave the fact again
            if offered and topic in _STEP_TOPICS:
                # the yes, maybe or no to the visit is the answer: not "Like I said: Saturdays
                # are usually free" after "Maybe" to "Could I come by Saturday morning?"
                continue
            if _takes_up(said, fact):
                # The trainee took the fact up ("so around two-ten a month: if the payment came
                # in under that, would it change things?", "So we're set for Thursday at five?"):
                # the question is a yes/no about what follows.
                if offers_step(said) or any(
                    s.question and _CONFIRMS.search(s.text) for s in texts.split(said)
                ):
                    asks = asks or "proposal"
                continue
            # Asked again in other words, or a follow-up on it: the buyer says what it said,
            # as a reminder, once; not as news in other words.
            first = _fact_sentence(fact, said, state)
            if _told(first, state) < 2:
                reminded = speak.say(
                    lines(persona, "reminder", "reactions"), f"remind-{topic}", fact=first
                )
            else:  # said twice already: not a third time
                reminded = speak.say(lines(persona, "reask_again", "reactions"), "reask-again")
            if reminded:
                answered.append(topic)
            continue
        options = answers(persona, topic)
        if d.short_answers and state.trust < d.agree_at:  # a guarded buyer says the least
            options = [_first_sentence(o) for o in options]
        # The wording about what was asked ("does the upstairs get hot?" gets the upstairs,
        # not how long they have lived there), when one is.
        about = [o for o in options if _about(o, said)]
        if speak.say(about, f"answer-{topic}") or speak.say(options, f"answer-{topic}"):
            answered.append(topic)

    # A question no topic covers is not let pass: a yes/no offer gets yes, maybe or no, any
    # other a guarded "Why do you ask?" (unless a reaction to the reply came first).
    replied = replied or bool(answered)
    if not replied and asks and listening:
        if asks == "proposal":
            replied, said_yes = _answer_offer(speak, persona, won, state.trust)
        elif not won and not settles:  # a won-over buyer does not deflect
            replied = speak.say(lines(persona, "open_question"), "open")

    # One stance a turn, after the answer: a grudging step toward the trainee (an objection
    # settled, or won over a little), or the next objection; never "that's fair" and a new
    # objection in one breath, and no stock agreement tacked onto an answer.
    # The persona's own softening line about what the trainee said ("A license I can check
    # with the state is a start") may come before a demanding buyer's next objection; a stock
    # one ("Okay, that's fair.") may not.
    settled: tuple[str, ...] = ()
    open_objection = state.open_objection
    settles = settles and open_objection is not None and act.harm is None
    if settles:
        settled = (open_objection,)
    own = [line for line in _variants(persona.get("softening")) if _about(line, said)]
    quiet = replied or reaction is not None  # an answer or a reaction is the buyer's say
    conceded = (won or settles) and not quiet and not said_yes and speak.say(own, "soft")
    stock = False
    if settles and not quiet and not conceded and not said_yes:
        stock = speak.say(lines(persona, "settled"), "settled")

    raised = None
    if act.harm:
        speak.say(lines(persona, "hardening"), "hard")
    elif said_yes or stock:
        pass
    elif won:
        if d.short_answers:  # a demanding buyer, won over a little, still has its say
            # ... but not the opening stance again right after a concession ("Alright, show me
            # the monthly math. That's way more than I expected to pay.")
            raised = _raise_next(
                state, set(settled), speak, answered, unraised_only=True, from_level=int(conceded)
            )
        if raised is None and not quiet and not conceded:
            speak.say(_variants(general_lines()["softening"]), "soft-gen")
    else:
        raised = _raise_next(state, set(settled), speak, answered, from_level=int(conceded))
        if raised is None and not replied:
            speak.say(lines(persona, "guarded"), "guarded")
    if not speak.parts:
        speak.say(lines(persona, "guarded"), "guarded-last") or speak.say(["Hm."], "hm")
    return speak.text, Move(
        answered=tuple(answered), raised=raised, settled=settled, agreed=said_yes
    )


# A question for where to reach the buyer: its email, address or number ("What email should I
# send it to?", "Can I grab your number?", "Where should I mail it?"). A message that also asks
# for anything personal (a licence, a date of birth, income, an account, when the house is
# empty) is not one: the buyer gives nothing to it.
_CONTACT = re.compile(
    r"\b(?:what|which)(?:'s| is)? (?:the |your )?(?:best |right |good )?(?:e-?mail|address|"
    r"(?:cell |phone |mobile )?number (?:to|for|i can) (?:reach|call|text))\b|"
    r"\b(?:your|ur) (?:e-?mail|(?:mailing |home |e-?mail )?address|(?:cell |phone |mobile )?"
    r"number)\b|\bwhere (?:should|do|can|would) (?:i|we) (?:send|mail|e-?mail|drop)\b|"
    r"\be-?mail (?:address )?(?:should|do|can) (?:i|we)\b",
    re.IGNORECASE,
)
_PERSONAL = re.compile(
    r"\b(?:account|social|security|ssn|routing|licen[cs]e|policy|bank|utility|pin|birth|dob|"
    r"income|salary|deed|lender|loan|mortgage|credit|card number|password|login|away|alone|"
    r"vacation)\b",
    re.IGNORECASE,
)


def _asks_contact(said: str) -> bool:
    return not _PERSONAL.search(said) and any(
        s.question and _CONTACT.search(s.text) for s in texts.split(said)
    )


# The buyer asks for something to be sent ("Just mail me something", "email it"): the engine
# reads a goodbye's "where should I send it?" as leaving, and the buyer gives its address.
SEND_IT = re.compile(
    r"\b(?:e-?mail|mail|send|text)\s+(?:it|me|us|something|that|them|one|the \w+)\b",
    re.IGNORECASE,
)


def asks_for_it_sent(buyer_line: str) -> bool:
    return bool(texts.affirmed(SEND_IT, buyer_line))


def _wants_it_sent(state: State) -> bool:
    """The buyer asked for something to be sent, in its opening line or since."""
    return any(
        asks_for_it_sent(line) for line in (opening_line(state.scenario), *state.buyer_lines)
    )


# What a next step offered as a question may touch: when, who attends, how to send it.
_STEP_TOPICS = frozenset({"time", "decision", "info"})
_WOULD = re.compile(
    r"\b(?:would|could|can|will|shall|may)\s+(?:you|we|i|the two of you)\b", re.IGNORECASE
)
# A question that asks when: "When's...", "so when does...", "..., when does it renew?"
_ASKS_WHEN = re.compile(r"(?:^|[,;:-])\W*(?:\w+\W+){0,2}?when(?:'s|s)?\b", re.IGNORECASE)
# "When would you be free?" asks for a time; it offers nothing to say yes to.
_ASKS_WHAT = re.compile(r"^\W*(?:so\W+|and\W+)?(?:when|what|which|who|where|how)\b", re.IGNORECASE)
# A day or a time of day: "Thursday", "tomorrow at 6:30", "Saturday morning".
WHEN = re.compile(
    r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day|\b(?:tonight|tomorrow|weekend|morning|"
    r"afternoon|evening|next week)\b|\b\d{1,2}(?::\d\d)?\s*(?:am|pm|o'clock)\b",
    re.IGNORECASE,
)

# A question that confirms what was agreed ("So we're set for Thursday at five?").
_CONFIRMS = re.compile(
    r"^\W*(?:so|okay|ok|great|and)?\W*(?:we'?re|we are|are we|is that|is it|that's|it's)\b"
    r"[^?]*\b(?:set|still on|good|confirmed|a plan|a deal)\b",
    re.IGNORECASE,
)


# A time put forward as a question: "How about Saturday at ten?", "Saturday around ten then?",
# "Does Thursday at six work for you?" (round 15: taken for "when are you free?" and answered
# with the buyer's own times again). Not a question about a day ("Does Thursday evening traffic
# get bad?", "Is Saturday morning bad for you?").
_NAMES_TIME = re.compile(
    r"^\W*(?:(?:so|ok(?:ay)?|great|perfect|alright|then)\W+)?(?:how about|what about)\b|"
    r"\b(?:work|works|suit|suits|good|okay|ok|fine|better)"
    r"(?: for (?:you|u|y'all|you two|you both))?(?: then)?\W*$",
    re.IGNORECASE,
)
# "Saturday around ten then?", "Thursday at six?": a day and a time, or "then", and little else
_BARE_TIME = re.compile(
    r"^\W*(?:(?:so|ok(?:ay)?|great|perfect|alright)\W+)?(?:this |next )?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow)\b[^?]{0,30}?"
    r"\b(?:at|around|about|then|morning|evening|afternoon|\d)",
    re.IGNORECASE,
)
_NOT_A_TIME = re.compile(
    r"\b(?:bad|no good|impossible|busy|booked|can't|cannot|won't|traffic|weather|hard|tough)\b",
    re.IGNORECASE,
)


def _names_time(sentence: str) -> bool:
    """A question that puts a day forward as a time to meet."""
    if not _DAY.search(sentence) or _NOT_A_TIME.search(sentence):
        return False
    short = len(texts.words(sentence)) <= 8
    return bool(_NAMES_TIME.search(sentence)) or (short and bool(_BARE_TIME.search(sentence)))


_SUPPOSES = re.compile(
    r"^\W*(?:(?:and|so|but|okay|ok|fair|got it|right|then)\W+)?(?:if|suppose|supposing|"
    r"let's say|say)\b[^?,]{3,},\s*(?:would|will|could|does|do|is|are|can|should|wouldn't|"
    r"won't|isn't)\s+(?:that|it|you|the|this|we|they|your|he|she|there|i|y'all|u)\b",
    re.IGNORECASE,
)


def _supposes(said: str) -> bool:
    """Every question in the message asks what would follow if something were so ("If the
    payment came in under your bill, would the total still bother you?")."""
    questions = [s for s in texts.split(said) if s.question]
    return bool(questions) and all(_SUPPOSES.search(s.text) for s in questions)


def offers_step(said: str) -> bool:
    """A question of the trainee's that offers a next step: a yes/no offer ("Want me to email
    it?"), a visit at a time ("Could I come back Thursday at six?") or a time ("How about
    Saturday at ten?")."""
    return any(
        s.question
        and (
            (
                not _ASKS_WHAT.match(s.text)
                and (topics.proposes(s.text) or bool(_WOULD.search(s.text) and WHEN.search(s.text)))
            )
            or _names_time(s.text)
        )
        for s in texts.split(said)
    )


def _answer_offer(
    speak: Speaker, persona: Mapping[str, Any], won: bool, trust: float
) -> tuple[bool, bool]:
    """Yes once won over, maybe while not cold, no while it is: (said something, said yes)."""
    key = "yes" if won else "maybe" if trust >= 0 else "no"
    replied = speak.say(lines(persona, key, "proposal"), f"proposal-{key}")
    return replied, replied and key == "yes"


_DAY = re.compile(
    r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow)\b", re.IGNORECASE
)
_SOME_DAY = re.compile(
    r"\b(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|weekend|next week)\b",
    re.IGNORECASE,
)


def _own_day(said: str, state: State) -> bool:
    """The trainee names a day the buyer itself said it is free, at a time of day that fits
    ("Saturday at ten, then?" after "Try Thursday after five, or a Saturday morning"; not
    "Saturday at 9pm", nor "Thursday at nine in the morning")."""
    fact = state.facts.get("time")
    if fact is None:
        return False
    days, parts = _daynames(said), _dayparts(said)
    for clause in re.split(r"[,;]|\bor\b|\band\b", fact):
        free_days, free_parts = _daynames(clause), _dayparts(clause)
        if free_days and days & free_days:  # "Thursday after five": that day, at that time
            if not (free_parts and parts) or free_parts & parts:
                return True
        elif not free_days and free_parts and parts & free_parts:  # "evenings after six"
            return True
    return False


_WEEKDAY = re.compile(r"\b((?:mon|tues|wednes|thurs|fri|satur|sun)day|weekend)s?\b", re.IGNORECASE)


def _daynames(text: str) -> set[str]:
    """The days a line names ("our Saturdays", "a weekend": Saturday and Sunday)."""
    found = {d.lower() for d in _WEEKDAY.findall(text)}
    if "weekend" in found:
        found |= {"saturday", "sunday"}
    return found


_CLOCK = re.compile(r"\b(\d{1,2})(?::\d\d)?\s*(am|pm|a\.m\.|p\.m\.)", re.IGNORECASE)
_AFTER = re.compile(r"\bafter (?:five|six|seven|5|6|7)\b", re.IGNORECASE)


def _dayparts(text: str) -> set[str]:
    """The parts of the day a line names: "Saturday morning", "after six", "at 9pm"."""
    parts = {
        p.lower().rstrip("s")
        for p in re.findall(r"\b(morning|afternoon|evening|night|tonight)s?\b", text, re.IGNORECASE)
    }
    parts = {"evening" if p in ("night", "tonight") else p for p in parts}
    if _AFTER.search(text):
        parts.add("evening")
    for hour, half in _CLOCK.findall(text):
        h = int(hour) % 12 + (12 if half.lower().startswith("p") else 0)
        parts.add("morning" if h < 12 else "afternoon" if h < 17 else "evening")
    return parts


def _day_named(state: State) -> str | None:
    """The day the trainee last proposed in the session, not denied ("Saturday at eleven?", "I
    can come tomorrow"; not "not Thursday"): what the close agrees to, also when the yes came
    earlier in the visit."""
    for line in reversed(state.trainee_lines):
        if found := texts.affirmed(_DAY, line):
            day = found[-1].group(1).lower()
            return day if day == "tomorrow" else day.capitalize()
    return None


def _fits_day(line: str, day: str) -> bool:
    """A closing line that names that day, or no day at all ("a weekend" fits Saturday)."""
    if day.lower() in line.lower():
        return True
    weekend = day in ("Saturday", "Sunday") and "weekend" in line.lower()
    return weekend or not _SOME_DAY.search(line)


# A question of two asks ("what your bill runs and what kind of roof you have?"): the topic the
# words of the second name is asked too.
_SECOND_ASK = re.compile(
    r",?\s+(?:and|or|plus)\s+(?=(?:what|how|when|who|where|which|whether|if|is|are|do|does)\b)",
    re.IGNORECASE,
)


def _asked(act: Act, said: str, state: State) -> list[str]:
    """The topics to answer: the router's (the first two), and a second ask's topic. A "when"
    question routed to a topic already answered asks when ("When's your contract up?" after
    "Brightline, six years"; "When does the committee meet?"): the answer, or the reminder, is
    about time."""
    when = any(s.question and _ASKS_WHEN.search(s.text) for s in texts.split(said))
    asked: list[str] = []
    for topic in act.asked[:2]:
        if when and topic in state.facts:
            topic = "time"
        if topic not in asked:
            asked.append(topic)
    for sentence in texts.split(said):
        if len(asked) >= 2 or not sentence.question:
            continue
        for clause in _SECOND_ASK.split(sentence.text)[1:]:
            extra = [t for t in topics.lexical_topics(clause) if t not in asked]
            asked += extra[:1]
    return asked[:2]


# A day (or days: "Saturdays are usually free" names Saturday), or a capitalised word of five
# letters or more inside a sentence: a name, a company.
_NAME = re.compile(
    r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day(?=s?\b)|(?<=[\w,;] )[A-Z][a-z']{4,}"
)


def _takes_up(said: str, fact: str) -> bool:
    """The trainee's message uses what the buyer said: a figure of it, or in a statement two of
    its distinctive words (topics.mentions_fact) or a name (a day, a company: "On Thursday I'd
    bring..." after "Try Thursday after five"). The words a question asks with are not taken up
    ("Solar can bring an electric bill down. What does yours run in summer?")."""
    if topics.keys(fact)[0] & topics.keys(said)[0]:
        return True
    stated = " ".join(s.text for s in texts.split(said) if not s.question)
    names = {w.lower() for w in _NAME.findall(fact)}  # "Thursday", "Brightline", "Lena"
    return topics.mentions_fact(stated, fact) or bool(names & topics.keys(stated)[1])


def _told(fact: str, state: State) -> int:
    return sum(fact.lower() in line.lower() for line in state.buyer_lines)


def _taken_up(objection: Objection, state: State) -> bool:
    """The trainee already answered this objection before it came up ("nothing up front"
    before "I'm not paying a deposit up front"): the buyer does not raise it."""
    return any(
        topics.mentions_fact(line, said) for line in state.trainee_lines for said in objection.says
    )


# Words too plain to tie a persona's line to what the trainee said ("Alright, thanks for your
# time" is not about "Alright, show me how the monthly math works"); topics.keys keeps words of
# five letters or more, and topics.COMMON has the rest.
# fmt: off
_FILLER = frozenset((
    "that's", "what's", "there's", "you're", "we're", "you'll", "we'll", "let's", "didn't",
    "doesn't", "can't", "wouldn't", "without", "alright", "actually", "totally", "great", "sorry",
    "please", "happy", "thanks", "thank", "appreciate", "makes", "sense", "sounds", "understand",
    "might", "works", "changes", "different", "guess", "something", "while", "suppose", "admit",
    "better", "first", "around", "under", "comes", "looks", "start",
))
# fmt: on


def _about(line: str, said: str) -> bool:
    """A persona line is about what the trainee said: they share a distinctive word (a
    possessive is its word: "your neighbor's system" is about "my neighbor")."""
    return bool(_shared(line, said))


def _shared(line: str, said: str) -> set[str]:
    return (_keywords(line) & _keywords(said)) - topics.COMMON - _FILLER


def _keywords(text: str) -> set[str]:
    """A text's distinctive words, a possessive as its word when that is still one of five
    letters or more ("neighbor's" is "neighbor"; "that's" stays "that's", a filler)."""
    return {w[:-2] if w.endswith("'s") and len(w) >= 7 else w for w in topics.keys(text)[1]}


# The trainee takes its leave, in its last words ("Alright, thanks for your time.", "ok, have
# a good one"; not "thanks for your time, I'm Sam with SunCo...", "we take care of the permits",
# "I'll let you go over the numbers").
_LEAVING = re.compile(
    r"\b(?:bye|goodbye|see (?:ya|you)(?: later| around)?\W*$|take care(?! of)|"
    r"have a (?:good|great|nice|lovely) (?:day|one|evening|night|weekend|afternoon|rest of)|"
    r"thank(?:s| you)(?: so much| again)? for (?:your time|taking the time)|"
    r"see (?:ya|you) (?:on |next )?(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|"
    r"then|soon|next week)\b[^.?!]{0,20}\W*$|"
    r"(?:get|i'm|im|i am) out of your (?:hair|way)|(?:i'll|i will|ill) let you get back to\b|"
    r"(?:i'll|i will|ill) (?:leave you (?:be|to it|alone)|"
    r"take off|head out|get going|let you go\W*$))",
    re.IGNORECASE,
)


def _leaving(said: str) -> bool:
    sentences = texts.split(texts.expand(said))
    last = sentences[-1].text
    return (
        any(len(texts.words(last[m.end() :])) <= 5 for m in _LEAVING.finditer(last))
        and len(texts.words(said)) <= 30
        and not any(s.question for s in sentences)
    )


_SETTLED_BY_ANSWER = frozenset({"time", "info"})


def _raise_next(
    state: State,
    settling: set[str],
    speak: Speaker,
    answered: Sequence[str] = (),
    unraised_only: bool = False,
    from_level: int = 0,
) -> str | None:
    """The next objection this buyer brings up: one not yet raised, allowed at this level, and
    not about what it has just answered ("Thursday after five is better" is not followed by
    "Can you come back some other time?")."""
    index = DIFFICULTIES.index(state.difficulty)
    allowed = [o for o in objections(state.scenario.persona) if from_level <= o.level <= index]
    open_ones = [o for o in allowed if o.id not in state.settled and o.id not in settling]
    for objection in open_ones:
        if objection.id in state.raised or _taken_up(objection, state):
            continue
        about = {t for said in objection.says for t in topics.stated_topics(said)}
        # once it has said when to come back or how to send it, "Can you come back some other
        # time?" and "Just leave a flyer" are settled for good
        done = set(answered) | (set(state.facts) & _SETTLED_BY_ANSWER)
        if about and about <= done:
            continue
        if speak.say(objection.says, f"raise-{objection.id}"):
            return objection.id
    if unraised_only:
        return None
    # Nothing new: come back to one still open, in words not used yet.
    for objection in reversed(open_ones):
        if objection.id in state.raised and speak.say(objection.says, f"again-{objection.id}"):
            return objection.id
    return None
