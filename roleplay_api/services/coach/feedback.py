"""Words for the trainee: feedback on one message, and the session's final feedback."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from roleplay_api.services.coach.base import MAX_SCORE, FinalFeedback, ScenarioBrief
from roleplay_api.services.coach.scoring import HARMFUL_CAP, Score
from roleplay_api.services.coach.signals import Signals
from roleplay_api.services.coach.text import quote

SKILL_LABELS = {
    "acknowledge": "acknowledged the concern",
    "discover": "asked a discovery question",
    "value": "put the value in their own terms",
    "social_proof": "used honest social proof",
    "next_step": "proposed a low-pressure next step",
    "respect": "respected their time and decision",
    "transparency": "offered facts they can verify",
    "concise": "kept it short",
    "polite": "stayed polite",
}
SKILL_HINTS = {
    "acknowledge": "open by reflecting their concern back in your own words",
    "discover": "ask one open question about their situation (what, how, when)",
    "value": "tie the offer to their bill, budget or comfort rather than to features",
    "social_proof": "mention real, checkable experience with homes like theirs",
    "next_step": "offer a small next step they can say no to, with a specific time",
    "respect": "say plainly that the decision and the timing are theirs",
    "transparency": "offer something they can check: licence number, reviews, a written quote",
    "concise": "say it in two or three sentences",
    "polite": "a thank-you costs nothing",
}
PENALTY_LABELS = {
    "pressure": "pressure or false urgency",
    "argue": "arguing with the homeowner",
    "insult": "an insult",
    "threat": "a threat",
    "discrimination": "a discriminatory or demeaning remark",
    "deception": "a misleading claim",
    "data_request": "asking for personal data",
    "shouting": "shouting",
    "dismissive": "brushing the concern aside",
    "leading": "a leading, rhetorical question",
    "feature_dump": "a list of product features",
    "monologue": "a monologue",
    "ignored_objection": "not answering what they said",
}
PENALTY_FIXES = {
    "pressure": "drop the deadline and offer a next step they can refuse",
    "argue": "ask what makes them see it that way instead of contradicting them",
    "insult": "never judge the homeowner; stay courteous even when they are not",
    "threat": "never threaten; if it is a no, leave gracefully",
    "discrimination": "speak to the person in front of you as the decision-maker they are",
    "deception": "claim only what is true and checkable",
    "data_request": "never ask for personal or financial data at the door",
    "shouting": "lower your voice; calm earns trust",
    "dismissive": "treat the concern as real before moving on",
    "leading": "ask an honest open question instead of a rhetorical one",
    "feature_dump": "pick one benefit that matters to them, not the spec sheet",
    "monologue": "stop after a few sentences and let them talk",
    "ignored_objection": "answer the objection they raised before anything else",
}


def _quoted(evidence: str) -> str:
    return f" (\u201c{quote(evidence, 40)}\u201d)" if evidence else ""


def message_feedback(signals: Signals, result: Score, scenario: ScenarioBrief) -> str:
    """One or two sentences: what earned points, what cost them, what to try next."""
    if signals.harmful:
        names = list(signals.harmful)
        hit = signals.harmful[names[0]]
        cost = " and ".join(PENALTY_LABELS[n] for n in names)
        return (
            f"{cost[0].upper()}{cost[1:]}{_quoted(hit.evidence)} caps this reply at "
            f"{HARMFUL_CAP} points whatever else it does. Next time: {PENALTY_FIXES[names[0]]}."
        )
    earned = sorted(result.earned.items(), key=lambda item: -item[1])
    if earned:
        listed = ", ".join(f"{SKILL_LABELS[n]} (+{p})" for n, p in earned[:4])
        first = f"{result.total}/{MAX_SCORE}: you {listed}."
    else:
        first = f"{result.total}/{MAX_SCORE}: nothing in this reply moved the conversation."
    if result.lost:
        name = max(result.lost, key=lambda n: result.lost[n])
        second = f"Cost: {PENALTY_LABELS[name]} (-{result.lost[name]}); {PENALTY_FIXES[name]}."
    else:
        missing = [s for s in scenario.skills if s in SKILL_HINTS and s not in result.earned]
        second = f"Next: {SKILL_HINTS[missing[0]]}." if missing else ""
    return f"{first} {second}".strip()


@dataclass(frozen=True)
class Reviewed:
    """One scored trainee message, re-read for the final feedback."""

    number: int
    score: int
    signals: Signals
    lost: dict[str, int]


def final_feedback(
    scenario: ScenarioBrief, reviewed: Sequence[Reviewed], agreed: bool
) -> FinalFeedback:
    """What went well, what to change (with the message and the words), and tips."""
    name = scenario.persona.get("name", "The homeowner")
    strengths: list[str] = []
    improvements: list[str] = []
    seen: set[str] = set()
    for item in reviewed:
        for skill, hit in item.signals.skills.items():
            if skill in seen or skill in ("concise", "polite"):
                continue
            seen.add(skill)
            strengths.append(
                f"Message {item.number}: you {SKILL_LABELS[skill]}{_quoted(hit.evidence)}."
            )
    if any("concise" in r.signals.skills for r in reviewed):
        seen.add("concise")
        count = sum("concise" in r.signals.skills for r in reviewed)
        strengths.append(f"{count} of {len(reviewed)} replies were short and clean.")
    if reviewed:
        best = max(reviewed, key=lambda r: (r.score, -r.number))
        if best.score > 0:
            strengths.append(f"Your best reply was message {best.number} ({best.score}/20).")
    if agreed:
        strengths.append(f"{name} agreed to a next step at the end.")
    else:
        improvements.append(
            f"{name} declined at the end: the conversation never earned enough trust."
        )
    for item in reviewed:
        for penalty, points in item.lost.items():
            hit = item.signals.penalties[penalty]
            improvements.append(
                f"Message {item.number}: {PENALTY_LABELS[penalty]}{_quoted(hit.evidence)} "
                f"cost {points} points; {PENALTY_FIXES[penalty]}."
            )
    for skill in scenario.skills:
        if skill not in seen and skill in SKILL_HINTS:
            improvements.append(f"You never {SKILL_LABELS[skill]}: {SKILL_HINTS[skill]}.")
    if not improvements:
        improvements.append("Nothing cost you points; try the same scenario one level harder.")
    if not strengths:
        strengths.append("You stayed in the conversation to the end.")
    missing = [s for s in scenario.skills if s not in seen and s in SKILL_HINTS]
    tips = [f"Practise this: {SKILL_HINTS[s]}." for s in missing[:2]] + list(scenario.tips)
    return FinalFeedback(strengths[:6], improvements[:6], tips[:5])
