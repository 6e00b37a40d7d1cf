"""Words for the trainee: a note on each message, and the session's final feedback.

Every line is true of what was scored: a skill is named only when it was credited, with the
trainee's own words; a cost only when it was charged; a hint never asks for what the message
just did. Quotes are verbatim (shortened with an ellipsis when long), never re-spelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from roleplay_api.services.coach import rubric
from roleplay_api.services.coach.base import MAX_SCORE, PAR, FinalFeedback, ScenarioBrief
from roleplay_api.services.coach.rubric import (
    HARM_CAP,
    HARMS,
    SEVERE_CAP,
    SEVERE_HARMS,
    Score,
)
from roleplay_api.services.coach.text import quote

SKILL_LABELS = {
    "acknowledge": "acknowledged what they said",
    "address": "answered their concern head-on",
    "discover": "asked a useful question about their situation",
    "value": "put the value in their own terms",
    "social_proof": "gave honest, checkable proof",
    "transparency": "offered something they can verify",
    "next_step": "proposed a small, refusable next step",
    "respect": "respected their time and left the decision to them",
}
SKILL_HINTS = {
    "acknowledge": "show you heard the concern in your own words before moving on",
    "address": "answer the objection they raised before moving on",
    "discover": "ask one open question about their situation",
    "value": "tie the offer to their bill, budget or comfort, not to features",
    "social_proof": "mention real, checkable experience with homes like theirs",
    "transparency": "offer something they can check: a licence number, reviews, a written quote",
    "next_step": "offer a small next step they can say no to, with a time",
    "respect": "say plainly that the decision and the timing are theirs",
}
COST_LABELS = {
    "pressure": "pressure",
    "deception": "a claim that is not true or not checkable",
    "data_grab": "asking for personal or financial data",
    "harassment": "a personal, inappropriate remark",
    "discrimination": "a demeaning remark",
    "threat": "a threat",
    "insult": "an insult",
    "ignores": "not answering what they said",
    "generic": "a generic line that could be said to anyone",
    "stock_stack": "a pile of stock phrases",
    "technique_talk": "naming your technique instead of using it",
    "echo": "handing their own words back without adding anything",
    "reask": "asking again what they already told you",
    "repeat": "repeating yourself",
    "premature_close": "asking for the sale before earning it",
    "off_topic": "going off topic",
    "feature_dump": "a list of product features",
    "dismissive": "brushing their concern aside",
    "vague": "a vague answer",
    "monologue": "a monologue",
    "leading": "a leading question",
    "discount_dump": "throwing money off at the first objection",
    "broken_promise": "going back on what you promised",
}
COST_FIXES = {
    "pressure": "leave the decision and its timing to them, with a next step they can refuse",
    "deception": "claim only what is true and they can check",
    "data_grab": "never ask for personal or financial details at the door",
    "harassment": "keep it about the house and the offer, nothing personal",
    "discrimination": "speak to the person in front of you as the decision-maker they are",
    "threat": "never threaten; if it is a no, leave gracefully",
    "insult": "stay courteous even when they are not",
    "ignores": "answer what they just said first",
    "generic": "say something only this buyer would hear",
    "stock_stack": "one honest acknowledgement is enough; then say something specific",
    "technique_talk": "say it to them in plain words: what you heard, and one real question",
    "echo": "after a short reflection, answer them or add something of your own",
    "reask": "use what they told you instead of asking again",
    "repeat": "move the conversation on instead of saying it again",
    "premature_close": "earn the next step first: find out what matters to them",
    "off_topic": "stay on what they care about",
    "feature_dump": "pick the one benefit that matters to them",
    "dismissive": "treat the concern as real before moving on",
    "vague": "be specific: a number, a time, a fact",
    "monologue": "stop after two or three sentences and let them talk",
    "leading": "ask an honest, open question instead",
    "discount_dump": "find out what the price means to them before you touch it",
    "broken_promise": "keep the promise you made, or don't make it",
}


HARM_RANK = {name: rank for rank, name in enumerate(HARMS)}  # rubric.HARMS: gravest first


def _quoted(words: str | None) -> str:
    return f" (\u201c{quote(words)}\u201d)" if words else ""


def message_feedback(result: Score, evidence: dict[str, str], hint_order: Sequence[str]) -> str:
    """One or two sentences: what earned points, what cost them, what to try next.

    ``hint_order``: the skills worth suggesting now, best first (the engine orders them by
    the conversation: an open objection first, a next step near the end).
    """
    if result.harm:
        cap = SEVERE_CAP if result.harm in SEVERE_HARMS else HARM_CAP
        label = COST_LABELS[result.harm]
        return (
            f"{result.total}/{MAX_SCORE}: {label[0].upper()}{label[1:]}"
            f"{_quoted(evidence.get(result.harm))} holds this reply to {cap} points or less, "
            f"whatever else it does. Next time: {COST_FIXES[result.harm]}."
        )
    earned = sorted(result.points.items(), key=lambda item: -item[1])
    if earned:
        named = [f"{SKILL_LABELS[s]}{_quoted(evidence.get(s))}" for s, _ in earned[:2]]
        first = f"{result.total}/{MAX_SCORE}: you " + " and ".join(named) + "."
    else:
        first = f"{result.total}/{MAX_SCORE}: no one skill in this reply stood out clearly."
    if result.costs:
        name = max(result.costs, key=lambda n: result.costs[n])
        # a stack of stock phrases that scored under its cap anyway cost nothing: named, not
        # charged
        lead = "It cost you" if result.costs[name] > 0 else "What held it back"
        second = f"{lead}: {COST_LABELS[name]}; {COST_FIXES[name]}."
    else:
        hints = [s for s in hint_order if s not in result.points]
        second = f"Next: {SKILL_HINTS[hints[0]]}." if hints else ""
    return f"{first} {second}".strip()


@dataclass(frozen=True)
class Reviewed:
    """One scored trainee message, as the final feedback sees it."""

    number: int
    text: str
    score: int
    skills: tuple[str, ...]
    harm: str | None
    flaws: tuple[str, ...]
    evidence: dict[str, str]
    tried: tuple[str, ...] = ()  # skills it went for without earning the credit


_NO_NAME = "The homeowner"  # a persona without a name (the sentence's start)


def final_feedback(
    scenario: ScenarioBrief,
    reviewed: Sequence[Reviewed],
    agreed: bool,
    shut: bool,
    shut_at: int | None = None,
) -> FinalFeedback:
    """Strengths in the trainee's own words, the session's main cost, and tips.

    ``shut_at``: the reply after which the buyer had shut the door; what came later is never
    named a strength or the best reply (the sale was lost by then)."""
    # Stored acts may come from older or damaged rows: only names this rubric knows are used.
    reviewed = [
        replace(
            r,
            skills=tuple(s for s in r.skills if s in SKILL_LABELS),
            harm=r.harm if r.harm in COST_LABELS else None,
            flaws=tuple(f for f in r.flaws if f in COST_LABELS),
        )
        for r in reviewed
    ]
    name = str(scenario.persona.get("name") or _NO_NAME)
    strengths: list[str] = []
    improvements: list[str] = []
    credited = {skill for item in reviewed for skill in item.skills}
    listed: set[str] = set()
    quoted: set[str] = set()  # one quote is the evidence of one strength
    before = [r for r in reviewed if shut_at is None or r.number <= shut_at]
    main = _main_cost(reviewed)
    # the reply named the weakest, or the session's main cost, below is not also quoted as a
    # strength (round 15)
    worst = (
        min(reviewed, key=lambda r: (r.score, r.number))
        if main is None and reviewed and min(r.score for r in reviewed) < PAR
        else None
    )
    blamed = worst if main is None else main[0]
    for item in sorted(before, key=lambda r: -r.score):
        if item is blamed:
            continue
        for skill in item.skills:
            words = item.evidence.get(skill) or item.text
            if skill in listed or words in quoted or len(strengths) >= 3:
                continue
            listed.add(skill)
            quoted.add(words)
            strengths.append(f"Message {item.number}: you {SKILL_LABELS[skill]}{_quoted(words)}.")
    if before:
        best = max(before, key=lambda r: (r.score, -r.number))
        # a higher score after the door shut is not the best reply (the sale was lost), and
        # the line says so rather than seem to overlook it
        later = any(r.score > best.score for r in reviewed if shut_at and r.number > shut_at)
        who = "the homeowner" if name == _NO_NAME else name
        when = f" before {who} closed the door" if later else ""
        if best.score >= 10:
            strengths.append(
                f"Your best reply{when} was message {best.number} ({best.score}/{MAX_SCORE}): "
                f"\u201c{quote(best.text)}\u201d."
            )
    if agreed:
        strengths.append(f"{name} agreed to a next step at the end.")

    if main is not None:
        item, cost = main
        what = "most serious mistake" if item.harm == cost else "biggest cost"
        improvements.append(
            f"The {what} was message {item.number} ({item.score}/{MAX_SCORE}): "
            f"{COST_LABELS[cost]}{_quoted(item.evidence.get(cost) or item.text)}; "
            f"{COST_FIXES[cost]}."
        )
    elif worst is not None:
        improvements.append(
            f"Your weakest reply was message {worst.number} ({worst.score}/{MAX_SCORE})"
            f"{_quoted(worst.text)}: it earned little; make every reply do one clear thing."
        )
    for item in reviewed:
        if main is not None and item is main[0]:
            continue
        if item.harm:
            improvements.append(
                f"Message {item.number}: {COST_LABELS[item.harm]}"
                f"{_quoted(item.evidence.get(item.harm) or item.text)}."
            )
    if shut:
        improvements.append(f"{name} ended the conversation before the end.")
    elif not agreed:
        improvements.append(f"{name} did not agree to a next step.")
    tried = {skill for item in reviewed for skill in item.tried}
    # Never "you never did X" about a skill a reply went for: only what no reply attempted.
    missing = [
        s for s in scenario.skills if s in SKILL_HINTS and s not in credited and s not in tried
    ]
    for skill in missing[:2]:
        improvements.append(f"No reply showed this clearly: {SKILL_HINTS[skill]}.")
    if not improvements and reviewed:
        # A clean session still has a weakest reply: say what would have lifted it.
        low = min(reviewed, key=lambda r: (r.score, r.number))
        lift = next(
            (
                s
                for s in SKILL_HINTS
                if s in scenario.skills and s not in low.skills and s not in low.tried
            ),
            None,
        )
        improvements.append(
            f"Your lowest reply was message {low.number} ({low.score}/{MAX_SCORE})"
            f"{_quoted(low.text)}" + (f": next time, {SKILL_HINTS[lift]}." if lift else ".")
        )
    if not strengths:
        # Never praise pushing on past a goodbye: after the door shut, only leaving well counts,
        # and only when every reply after it left well (not a pitch, then a thank-you).
        after = [r for r in reviewed if shut_at is not None and r.number > shut_at]
        left_well = bool(after) and all(
            r.score >= (rubric.GOODBYE_BARE_FLOOR or PAR) and not r.harm for r in after
        )
        if left_well:
            strengths.append(f"You left gracefully once {name} had said goodbye.")
        elif shut_at is None:
            strengths.append("You kept going to the end of the conversation.")
        else:
            strengths.append("You finished the session.")
    tips = [f"Practise this: {SKILL_HINTS[s]}." for s in missing[:2]] + list(scenario.tips)
    return FinalFeedback(strengths[:5], improvements[:5], tips[:5])


def _main_cost(reviewed: Sequence[Reviewed]) -> tuple[Reviewed, str] | None:
    """The session's costliest mistake: a harm first, else the lowest reply's worst flaw."""
    harmful = [r for r in reviewed if r.harm]
    if harmful:
        # The gravest kind first (a threat before a data grab before pressure), then the lowest.
        worst = min(harmful, key=lambda r: (HARM_RANK.get(str(r.harm), 99), r.score, r.number))
        return worst, str(worst.harm)
    if not reviewed:
        return None
    # The lowest reply is the costliest; named by its flaw when it has one (else the caller
    # names it as the weakest reply).
    worst = min(reviewed, key=lambda r: (r.score, r.number))
    return (worst, worst.flaws[0]) if worst.flaws else None
