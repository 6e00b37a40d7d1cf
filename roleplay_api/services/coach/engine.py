"""The coach (``coach-2``): reads each reply by meaning in its conversation, scores it as a
trainer would, and answers as a buyer who listens. Deterministic, offline, one embedding pass
per message.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from roleplay_api.difficulty import level
from roleplay_api.services.coach import buyer, features, lexical, phrases, rubric, topics
from roleplay_api.services.coach import text as texts
from roleplay_api.services.coach.base import (
    MAX_EXCHANGES,
    MAX_SCORE,
    PAR,
    Coach,
    Conclusion,
    Judgement,
    ScenarioBrief,
    Turn,
)
from roleplay_api.services.coach.embedding import Embedder, get_embedder
from roleplay_api.services.coach.feedback import Reviewed, final_feedback, message_feedback
from roleplay_api.services.coach.model import Model, shipped
from roleplay_api.services.coach.reading import Reading, discounts, read, sentence_reading
from roleplay_api.services.coach.state import Act, State, apply_act, derive

RUBRIC_VERSION = "coach-2.0"
AFTER_SHUT_SHARE = 0.5  # what a point above par earns once the buyer has shut the door


@dataclass(frozen=True)
class Read:
    """One reply as the engine read it."""

    reading: Reading
    result: rubric.Score
    act: Act
    evidence: dict[str, str]
    graceful: bool = False  # a short, graceful exit after the buyer's goodbye


def xp_for(
    scores: Sequence[int], difficulty: str, shut_at: int | None = None, harmed: bool = False
) -> int:
    """XP: how far the session's replies were above PAR in all (a reply under par takes its
    shortfall back), never below 0, times the difficulty's multiplier; rounded half up.

    A weak session (replies around or under PAR) earns nothing whatever the level; a harmful
    reply (5 or less) costs what good replies earned; a strong session earns in proportion.
    Once the buyer has shut the door (after reply ``shut_at``), a reply's points above par
    count half (the sale is lost; leaving well still shows some skill), a shortfall in full.
    A session with a harm in it (``harmed``) earns no difficulty bonus: its multiplier is 1, so a
    harmful session at ELITE never outearns a clean one at BEGINNER for the level alone.
    """

    def earned(n: int, score: int) -> float:
        above = int(score) - PAR
        after = shut_at is not None and n > shut_at
        return above * AFTER_SHUT_SHARE if after and above > 0 else above

    net = max(0.0, sum(earned(n, s) for n, s in enumerate(scores, 1)))
    multiplier = 1.0 if harmed else level(difficulty).xp_multiplier
    return int(net * multiplier + 0.5)


def play(
    coach: Coach, scenario: ScenarioBrief, difficulty: str, messages: Iterable[str]
) -> Iterator[tuple[Judgement, list[Turn]]]:
    """Judge a session's messages in turn as the service does (each turn kept with what was read
    in it); yields each judgement and the history after it (the CLI's and the tests' session)."""
    history: list[Turn] = []
    for message in messages:
        j = coach.judge(scenario, difficulty, history, message)
        history = [
            *history,
            Turn("user", message, j.score, j.skills, j.user_meta),
            Turn("assistant", j.response, meta=j.reply_meta),
        ]
        yield j, history


class MeaningCoach:
    name = "coach"
    rubric_version = RUBRIC_VERSION

    def __init__(self, model: Model | None = None, embedder: Embedder | None = None) -> None:
        self._model = model
        self._embedder = embedder

    @property
    def model(self) -> Model:
        if self._model is None:
            self._model = shipped()
        return self._model

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.model.embedder)
        return self._embedder

    def warm(self) -> None:
        """Load the model and the embedder now, at start (wsgi.py), not on a first message."""
        # a question too, so the router is loaded and checked against the embedder at start
        self.read(State(_BLANK, "BEGINNER", trust=0.0), "Hello there, is now a good time?")

    # ---- reading one reply --------------------------------------------------------------

    def read(self, state: State, message: str) -> Read:
        embedder, model = self.embedder, self.model
        reading = read(message, embedder)
        asked, asks = topics.questions(list(reading.sentences), reading.vectors, embedder)
        ctx = features.context(reading, asked, state, embedder)
        x = features.vector(reading, ctx, embedder)
        probs = model.probabilities(x, lexical.grams(message))
        if phrases.only_leaving([s.text for s in reading.sentences]):
            # "Going now.", "That came out wrong and I'm sorry. I'm leaving now.": a message
            # that only takes its leave does nothing a harm could (round 16: read as pressure)
            probs.update(dict.fromkeys(rubric.HARMS, 0.0))
        if not phrases.hands_over(message):
            # nothing of the buyer's is handed over, so no data grab, whatever the head reads
            # in the words ("can you pull up the utility account on your phone?" read 0.996)
            probs["data_grab"] = 0.0
        rules = phrases.harms(list(reading.sentences))
        promised = {"no_pressure", "no_decision_today"} & state.promises
        broken = (bool(promised) and (ctx.closing or probs["pressure"] >= 0.5)) or (
            "brief" in state.promises and reading.words >= 110
        )
        result = rubric.score(
            model,
            probs,
            x[-features.N_SIGNS :],
            ctx,
            state.difficulty,
            rules,
            broken,
            claims=any(not s.question or _CLAIMS.search(s.text) for s in reading.sentences),
            technique_talk=phrases.technique_talk(message),
        )
        graceful = state.shut and _leaves_gracefully(
            reading, asked, asks, probs, state.last_buyer_line
        )
        if state.shut:
            result = rubric.after_goodbye(result, graceful, bare=bool(_BARE_GOODBYE.match(message)))
        evidence = self._evidence(reading, ctx, result, rules)
        act = Act(
            score=result.total,
            skills=tuple(result.points),
            harm=result.harm,
            harm_sure=result.harm is None
            or bool(rules)
            or probs.get(result.harm, 0.0) >= rubric.SURE_AT,
            asked=asked,
            asks=asks,
            tried=tuple(
                h
                for h in rubric.SKILLS
                if h not in result.points
                and result.harm is None
                and (
                    probs[h] >= HINT_DONE_AT
                    or (h == "discover" and bool(asked))
                    or (h == "acknowledge" and _echoes(reading, state.last_buyer_line))
                    # what the words plainly do, where a long reply drowned the head (round 15:
                    # "Could I bring the contract by Tuesday evening...? No is a fine answer."
                    # read 0.08 next step, and the session was told no reply offered one)
                    or (h == "next_step" and buyer.offers_step(message))
                    or (h == "respect" and bool(_LEAVES_IT.search(message)))
                )
            ),
            promises=features.promises(message),
            # the costliest first: the final feedback names a session's main cost by it
            flaws=tuple(sorted(result.flaws, key=lambda f: -result.costs.get(f, 0))),
            next_step=probs["next_step"] >= rubric.CREDIT_AT and result.harm is None,
            closing=ctx.closing,
            # money off for the buyer, not a deposit taken "off the table" (round 17: "Well, a
            # lower number helps" to no money until work starts)
            discount=reading.discount and discounts(_OFF_THE_TABLE.sub("", message)),
        )
        return Read(reading, result, act, evidence, graceful)

    def _evidence(
        self,
        reading: Reading,
        ctx: features.Context,
        result: rubric.Score,
        rules: dict[str, str],
    ) -> dict[str, str]:
        """The sentence that shows each credited skill and the harm (the trainee's words)."""
        wanted = [*result.points, *([result.harm] if result.harm else []), *result.flaws]
        if len(reading.sentences) == 1 or not wanted:
            return dict.fromkeys(wanted, texts.original(reading.text, reading.sentences[0].text))
        heads = self.model.heads
        ranked: dict[str, list[tuple[float, float, str]]] = {}  # name -> (rank, prob, words)
        for i, sentence in enumerate(reading.sentences):
            part = sentence_reading(reading, i)
            x = features.vector(part, ctx, self.embedder)
            probs = self.model.probabilities(x, lexical.grams(sentence.text))
            for name in wanted:
                if name not in heads:
                    continue
                # Discovery quotes a question whenever there is one, an acknowledgement a
                # statement (the opening one, unless another is much clearer); a next step
                # prefers a question, but is often a statement with "Would that work?" after it.
                fits = name in rubric.SKILLS and sentence.question == (name in _ASKED_SKILLS)
                if name == "acknowledge":
                    fits = i == 0 and not sentence.question
                formal = name in ("acknowledge", "discover")
                must = 1.0 if formal and sentence.question == (name == "discover") else 0.0
                if name == "acknowledge" and fits:
                    must += 0.25
                rank = probs[name] + (0.05 if fits else 0.0) + must
                ranked.setdefault(name, []).append((rank, probs[name], sentence.text))
        evidence: dict[str, str] = {}
        used: set[str] = set()

        # Each credited skill quotes its own sentence where the model reads another one as
        # showing it too (>= EVIDENCE_AT): one sentence is not the evidence for three skills.
        # The acknowledgement first (it opens the reply), then the questions' skills, then the
        # rest, each by how clearly a sentence shows it.
        def order(name: str) -> tuple[int, float]:
            first = 0 if name == "acknowledge" else 1 if name in _ASKED_SKILLS else 2
            return first, -max(r for r, _, _ in ranked[name])

        for name in sorted(ranked, key=order):
            options = sorted(ranked[name], reverse=True)
            shown = [o for o in options if _shows(name, o[2]) and o[1] >= EVIDENCE_AT]
            if shown:
                # the words that leave it to them, not the apology before them (round 17: "Go,
                # go, sorry." was quoted while "...so you and your husband can say yes or no"
                # showed it), quoted for another skill too or not, a question or not
                options = shown[:1] + options
            elif name in rubric.SKILLS:
                # of the same form as the best (a question for a question, ...)
                form = options[0][0] >= 1.0
                fitting = [o for o in options if o[1] >= EVIDENCE_AT and (o[0] >= 1.0) == form]
                own = [o for o in fitting if o[2] not in used]
                options = own[:1] + options
            evidence[name] = options[0][2]
            if name in rubric.SKILLS:
                used.add(options[0][2])
        evidence.update(rules)
        return {name: texts.original(reading.text, part) for name, part in evidence.items()}

    def _read_act(self, state: State, message: str) -> Act:
        return self.read(state, message).act

    # ---- the interface ----------------------------------------------------------------

    def judge(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], message: str
    ) -> Judgement:
        state = derive(scenario, difficulty, history, self._read_act)
        was_shut = state.shut
        seen = self.read(state, message)
        probs = seen.result.probabilities
        open_before = state.open_objection
        settles = seen.act.harm is None and (
            probs["address"] >= 0.5
            or (probs["acknowledge"] >= 0.5 and max(probs["discover"], probs["value"]) >= 0.5)
        )
        # "Nothing today, I promise" settles "I'm not signing up for it today" (round 17: the
        # buyer said "Like I said: ... not today" right after the promise).
        settles = settles or (
            seen.act.harm is None and _promises_not_today(message, scenario, open_before)
        )
        # A buyer already won over (it said yes) is not holding an objection against the reply.
        won = state.trust >= level(difficulty).agree_at
        objection_left = open_before is not None and not settles and not won
        done = _already_done(seen, state, message)
        hints = [
            h
            for h in _hint_order(scenario, state, objection_left)
            if probs.get(h, 0.0) < HINT_DONE_AT and not done.get(h, False)
        ]
        apply_act(state, seen.act, message)
        seed = f"{scenario.id}|{difficulty}|{state.exchange}|{message}"
        response, move = buyer.respond(
            state, seen.act, settles=settles, was_shut=was_shut, seed=seed, parting=seen.graceful
        )
        result = seen.result
        feedback = message_feedback(result, seen.evidence, hints)
        if was_shut and result.harm is None:
            # The door was already shut: whatever the words, say what the situation is.
            who = scenario.persona.get("name") or "The homeowner"
            if seen.graceful:
                after = "Leaving gracefully was the right call."
            else:
                after = (
                    "Next time: when they say goodbye, thank them and leave the door open for "
                    "another day."
                )
            feedback = (
                f"{result.total}/{MAX_SCORE}: {who} had already said goodbye, so this "
                f"changes nothing today. {after}"
            )
        return Judgement(
            response=response,
            feedback=feedback,
            score=result.total,
            skills=tuple(result.points),
            penalties=tuple(result.costs),
            engine=self.name,
            points={**result.points, **{k: -v for k, v in result.costs.items()}},
            harm=result.harm,
            evidence=seen.evidence,
            user_meta={**seen.act.as_meta(), "evidence": seen.evidence},
            reply_meta=move.as_meta(),
        )

    def conclude(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn]
    ) -> Conclusion:
        state = derive(scenario, difficulty, history, self._read_act)
        reviewed = []
        user_turns = [t for t in history if t.role == "user"]
        for number, (turn, act) in enumerate(zip(user_turns, state.acts, strict=True), 1):
            meta = turn.meta if isinstance(turn.meta, Mapping) else {}
            stored = meta.get("evidence")
            evidence = {
                k: v
                for k, v in (stored.items() if isinstance(stored, Mapping) else ())
                if isinstance(k, str) and isinstance(v, str)
            }
            reviewed.append(
                Reviewed(
                    number,
                    turn.content,
                    act.score,
                    act.skills,
                    act.harm,
                    act.flaws,
                    evidence,
                    act.tried,
                )
            )
        # "ended the conversation before the end" only when it did: not on the fifth reply
        early = state.shut_at is not None and state.shut_at < len(reviewed)
        feedback = final_feedback(scenario, reviewed, state.agreed, early, state.shut_at)
        harmed = any(r.harm for r in reviewed)
        xp = xp_for([r.score for r in reviewed], difficulty, state.shut_at, harmed)
        return Conclusion(feedback, xp, state.agreed)


# A question that states something ("The government pays for it, right?", "Did you know the
# state covers it all?"): a claim, for judging a lie.
_CLAIMS = re.compile(
    r",\s*(?:right|correct|yeah|you know|isn't (?:it|that)|aren't (?:they|you)|"
    r"(?:didn't|doesn't|don't|won't|wasn't|hasn't|haven't) (?:he|she|it|they|you|we))\s*\?\s*$|"
    r"^\W*(?:did you (?:know|hear)|didn't you (?:know|hear)|isn't it true|you know that|"
    r"wouldn't you agree)\b",
    re.IGNORECASE,
)


# Leaving something behind ("I'll leave my card in the door", "Mind if I drop a flyer?").
_LEAVE_BEHIND = re.compile(
    r"\b(?:leave|drop|put)\b[^.?!]{0,25}\b(?:card|sheet|flyer|brochure|info\w*|number|note|"
    r"packet|something)\b|\b(?:card|flyer|note) (?:in|on|at) (?:your|the) (?:door|mailbox|step)",
    re.IGNORECASE,
)
_GRACEFUL = re.compile(
    r"\b(?:thanks?|thank you|appreciate|have a (?:good|great|nice)|take care|bye|goodbye|"
    r"sorry|apologi[sz]e|my apologies|no problem|no worries|my card|understood|fair enough|"
    r"respect that|that's (?:totally |completely )?fine|enjoy your (?:day|evening|night|weekend)|"
    # taking the no, owning the push ("I'll go.", "I'm leaving now.", "Going now.", "I won't
    # knock again", "that's on me")
    # as its own clause: "That's on me, I'll go." (not "tell me your bill and I'll go")
    # and ending it: "I'll go." (not "I'll go grab the contract from my truck")
    r"(?:^|(?<=[,;:] ))(?:(?:ok(?:ay)?|alright|sure|fine),? )?(?:(?:i'll|i will|ill) (?:go|get "
    r"going|head out|let you go|leave you (?:be|alone)|get out of your (?:way|hair))|"
    r"(?:(?:i'm|im|i am) )?(?:going|leaving|heading out|off))"
    r"(?= ?(?:now|then)?\s*(?:[.!;,]|$))|"
    r"(?:i|we) won't (?:knock|bother you|call|come back)|that's on me|my bad|i was wrong|"
    r"out of line|see (?:you|ya)(?: later| around)?(?=\s*(?:[.!,]|$)))\b|" + _LEAVE_BEHIND.pattern,
    re.IGNORECASE,
)
# A goodbye and nothing else: no thanks, no apology, no card ("ok bye", "Goodbye.").
_BARE_GOODBYE = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|k|alright|fine|sure|fair|right)\W+)*(?:bye|goodbye|bye bye|see (?:you|"
    r"ya)(?: later| around)?)(?:\W+(?:then|now))?\W*$",
    re.IGNORECASE,
)
# A parting jab ("Thanks, but you're making a mistake not going solar"): its "not" denies
# nothing, so it is not read as a pitch is.
_JAB = re.compile(
    r"\b(?:making a (?:big |huge )?mistake|you'll regret|your loss|missing out)\b|"
    # reopening on the way out ("Last thing, promise: we put together the whole packet...",
    # "Thanks. One more thing: ..."), not "Last thing I want is to pressure you"
    r"(?:^|(?<=[.!?] ))\W*(?:(?:ok(?:ay)?|alright|oh|and|but),? )?(?:one more|one last|last|just "
    r"one) thing(?:,? promise)?\s*[:,\-\u2013\u2014]|"
    # coming back unasked ("I'm leaving, but I'll be back Thursday with my manager.")
    r"\b(?:i'll|i will|we'll|ill) (?:be back|come back|return|swing (?:back )?by|stop by)\b|"
    r"\bsee me again\b",
    re.IGNORECASE,
)
# A pitch tucked into a goodbye ("our windows are the best, have a great day!", "we also offer
# free monitoring", "the offer is valid tomorrow too", "great value, real savings"): a claim for
# the offer that its clause does not deny. (On the train writers' replies after a goodbye it
# matched seven, labelled 1 to 3, before the rates and the coming-back words were added.)
_PITCHES = re.compile(
    r"\b(?:we|our|it|they|panels?|windows?|system|this)\b[^.?!]{0,30}\b(?:best|free|"
    r"guarantee\w*|price match|save|saves|savings|efficien\w*|warranty|financing|zero down|"
    r"discount|deal)\b|\bsavings? (?:are|is)\b|"
    r"\b(?:great|big|amazing|special) deals\b|\b(?:we have|we've got|we're running|running) "
    r"(?:a |some )?(?:\w+ )?(?:deals|specials?|promo\w*)\b|"
    r"\bsave (?:you )?(?:money|big|a lot|a ton)\b|"
    # the crowd as a selling point ("solar is really popular right now", "lots of people are
    # switching")
    r"\b(?:solar|it|panels?|they|this|we)(?:'s|'re| is| are) (?:really |very |super |so )?"
    r"popular\b|\b(?:lots of|many|a lot of|tons of|most) "
    r"(?:people|folks|homeowners|neighbou?rs|families)\b[^.?!]{0,15}\b(?:switching to solar|"
    r"switching over|going solar|signing up|getting (?:solar|panels))\b|"
    r"\bsavings?\b[^.?!]{0,20}\b(?:big|huge|great|real|massive)\b|"
    r"\b(?:big|huge|great|real|massive) (?:savings|value)\b|"
    r"\btrusted (?:local )?(?:company|installer|business)\b|"
    # the rates as a reason to call ("remember, rates only go one direction", "before the
    # next hike", "electricity prices only go up")
    r"\b(?:rates?|prices?|bills?)\b[^.?!]{0,15}?\b(?:only|will|keep|are|always|just)\b[^.?!]{0,10}?"
    r"\b(?:go(?:es|ing)? up|rise|rising|climb(?:s|ing)?|go(?:es|ing)? one (?:way|direction))\b|"
    r"\b(?:next|another|a|the) rate hike\b|\b(?:next|another) hike\b|"
    r"\b(?:neighbou?rs|customers|folks) love (?:it|us|them|ours)\b"
    r"(?!\s+(?:here|there|when|if)\b)|"
    r"\b(?:offer|deal|price|pricing|discount|rebate)\b[^.?!]{0,25}\b(?:valid|good (?:until|till|"
    r"through|for)|ends?|expires?|stands|still on|only)\b|"
    # what it would do for the bill ("on a house like yours the bill drops like eighty percent")
    r"\b(?:bills?|payments?)\b[^.?!]{0,20}\b(?:drops?|dropping|goes down|go down|falls?|"
    r"shrinks?|halves|cut in half)\b|"
    r"\bhelp (?:you )?(?:with|on|lower|cut) (?:your|the) (?:power |electric |energy )?bills?\b|"
    r"\bkeep (?:it|us|this|solar) in mind\b",
    re.IGNORECASE,
)


# After the goodbye, the one question that is still leaving: whether to leave something behind
# ("Mind if I leave a card anyway?"); asking for an email or offering to send the numbers is
# pushing on, unless the buyer asked for it to be sent ("I asked you to mail it. Please go.",
# "Just email me something"; not "...makes me trust what you send less", "Don't email me").
def _leaves_gracefully(
    reading: Reading,
    asked: Sequence[str],
    asks: str,
    probs: Mapping[str, float],
    buyer_line: str = "",
) -> bool:
    """A short goodbye after the buyer's: thanks or a card, asking nothing but whether to leave
    something (or where to send it, when the buyer asked for it to be sent), no pitch (after
    the door shut, the only good reply)."""
    invited = buyer.asks_for_it_sent(buyer_line)
    return (
        reading.words <= 45
        and all(invited or _LEAVE_BEHIND.search(s.text) for s in reading.sentences if s.question)
        # "sorry, I should've taken the first no" is sorry all the same: the word's own clause
        and bool(texts.affirmed(_GRACEFUL, reading.text))
        and set(asked) <= {"info"}
        and not asks
        # where to send what the buyer asked for reads as a next step: it is the buyer's own
        and all(probs.get(h, 0.0) < 0.5 for h in _PITCH if not (invited and h == "next_step"))
        # a pitch word its clause does not deny ("great value, no obligation" pitches; "it's
        # not the best time" does not)
        and not _JAB.search(reading.text)
        and not any(
            not texts.negated_clause(s.text, m.start())
            for s in reading.sentences
            for m in _PITCHES.finditer(s.text)
        )
    )


_PITCH = ("value", "feature_dump", "next_step", "premature_close")


# Words too plain to show the buyer was heard.
_PLAIN = re.compile(
    r"the|and|you|your|you're|that|this|for|with|are|was|but|not|have|has|had|its|it's|our|all|"
    r"any|can|get|got|just|one|out|now|too|very|what|when|who|how|why|yes|solar|panels?|"
    r"from|about|here|there|really|good|time"
)


def _echoes(reading: Reading, buyer_line: str) -> bool:
    """The reply opens with a statement that takes up a word of the buyer's last line, before
    going on: it showed it heard them, whatever the acknowledgement head made of it."""
    first = reading.sentences[0] if reading.sentences else None
    if first is None or first.question or len(reading.sentences) < 2:
        return False
    words = set(re.findall(r"\b[a-z]{3,}", first.text.lower()))
    theirs = set(re.findall(r"\b[a-z]{3,}", buyer_line.lower()))
    return any(not _PLAIN.fullmatch(w) for w in (words & theirs) - topics.COMMON)


def _already_done(seen: Read, state: State, message: str) -> dict[str, bool]:
    """The skills this reply (or, for something to check, the session) already went for: never
    suggested to it, even where it did not quite earn the credit."""
    # A reply that asks a question is not told to ask one; one that proposes a time is not
    # told to propose a next step; a good one is not told it left the objection standing.
    return {
        # an opening statement in the buyer's own words ("Absolutely, it can wait.")
        "acknowledge": _echoes(seen.reading, state.last_buyer_line),
        "discover": seen.reading.questions > 0,
        # a question about when, a yes/no offer, or a day and time named ("I can come by
        # tomorrow at 6:30")
        "next_step": "time" in seen.act.asked
        or seen.act.asks == "proposal"
        or bool(buyer.WHEN.search(message)),
        # a good reply, or a question about a concern the buyer stated (not asked): asking
        # about it is taking it up ("What would the monthly need to be?" after "That's way
        # more than I expected to pay" was told to answer the objection, round 16)
        "address": seen.result.total >= GOOD_REPLY
        or (seen.reading.questions > 0 and "?" not in state.last_buyer_line),
        # a reply that names their bill or takes up a figure they gave is not told to
        "value": bool(_THEIR_TERMS.search(message))
        or any(topics.mentions_fact(message, fact) for fact in state.facts.values()),
        "social_proof": bool(_REFERENCES.search(message)),
        # something to check, offered in this reply or an earlier one (the licence number)
        "transparency": any(
            phrases.VERIFIABLE.search(line) for line in (*state.trainee_lines, message)
        ),
    }


_THEIR_TERMS = re.compile(
    r"\b(?:bills?|monthly|a month|per month|budget|utility|what you pay|payments?)\b",
    re.IGNORECASE,
)
# Customers they could ask ("two customers nearby you could call", "references").
_REFERENCES = re.compile(
    r"\breferences?\b|\b(?:customers?|clients?|homeowners?|neighbou?rs?|families)\b"
    r"[^.?!]{0,40}\b(?:call|ring|talk to|speak (?:to|with)|contact|visit|ask)\b",
    re.IGNORECASE,
)
_ASKED_SKILLS = frozenset({"discover", "next_step"})
# The decision and its timing left to the buyer, in so many words.
_LEAVES_IT = re.compile(
    rf"{features.LEAVES_CHOICE.pattern}|\bno is (?:a |an )?(?:fine|ok|okay|good|real)\b|"
    r"\b(?:you can|free to|fine to|okay to|ok to) say no\b|\bno pressure\b|\btake your time\b",
    re.IGNORECASE,
)
# What shows the decision left to them in so many words: the choice, the real decision-maker,
# the buyer's time (a sentence with these words is quoted for it before any other).
_SHOWS_RESPECT = re.compile(
    rf"{_LEAVES_IT.pattern}|\b(?:husband|wife|spouse|landlord|board|committee|"
    r"both of you|you two|the two of you)\b|\byes or no\b|\bno (?:rush|hurry)\b|"
    r"\bwhenever (?:you|it)\b|\bnot for you\b|\bi'll (?:go|leave|get out)\b",
    re.IGNORECASE,
)


def _shows(name: str, sentence: str) -> bool:
    return name == "respect" and bool(_SHOWS_RESPECT.search(sentence))


_OFF_THE_TABLE = re.compile(r"\boff the table\b", re.IGNORECASE)
# A promise that nothing is decided or signed today, and an objection about today.
_NOT_TODAY = re.compile(
    rf"{features.PROMISES['no_decision_today'].pattern}|"
    r"\bnothing (?:(?:to (?:sign|decide)|signed|decided) )?(?:today|tonight|right now)\b",
    re.IGNORECASE,
)
_TODAY = re.compile(r"\b(?:today|tonight|right now|on the spot|right away)\b", re.IGNORECASE)
_COMMIT = re.compile(r"\b(?:sign\w*|commit\w*|agree\w*|decid\w*|decision)\b", re.IGNORECASE)


def _promises_not_today(message: str, scenario: ScenarioBrief, objection: str | None) -> bool:
    if objection is None or not _NOT_TODAY.search(message):
        return False
    said = next(
        (
            o.get("says", [])
            for o in scenario.persona.get("objections", [])
            if o.get("id") == objection
        ),
        [],
    )
    return any(_TODAY.search(line) and _COMMIT.search(line) for line in said)


EVIDENCE_AT = 0.3  # a sentence read at least this likely to show a skill may be quoted for it
HINT_DONE_AT = 0.3  # a skill the model reads at least this likely was tried: no hint for it
GOOD_REPLY = 12


def _hint_order(scenario: ScenarioBrief, state: State, objection_open: bool) -> list[str]:
    order = ["address"] if objection_open else []
    if state.exchange <= 2:
        order += ["acknowledge", "discover", "value", "respect"]
    elif state.exchange < MAX_EXCHANGES:
        order += ["value", "discover", "transparency", "social_proof", "next_step"]
    else:
        order += ["next_step", "respect"]
    wanted = set(scenario.skills) | {"address", "acknowledge", "discover"}
    return [s for s in dict.fromkeys(order) if s in wanted]


_BLANK = ScenarioBrief("warm-up", "", "", {"openingLine": "Hello?"})
