"""The rules-based coach: deterministic, offline. (A first version; issue 5 makes it good.)"""

from __future__ import annotations

import re
from collections.abc import Sequence

from roleplay_api.services.coach.base import (
    MAX_EXCHANGES,
    MAX_SCORE,
    FinalFeedback,
    Judgement,
    ScenarioBrief,
    Turn,
    exchange_number,
)

RUBRIC_VERSION = "rules-0.1"

# skill -> (points, patterns)
SKILLS = {
    "acknowledge": (5, r"\b(understand|hear you|makes sense|fair (point|question)|appreciate)\b"),
    "discover": (5, r"\?|\b(what|how|which|when|why)\b.*\b(you|your)\b"),
    "value": (4, r"\b(save|savings|value|invest|return|bill|worth)\b"),
    "next_step": (4, r"\b(next step|schedule|appointment|come back|call you|follow up|meet)\b"),
    "concise": (2, None),
}
PENALTIES = {
    "pressure": (8, r"\b(today only|sign (now|today)|last chance|limited time|right now)\b"),
    "insult": (15, r"\b(stupid|idiot|dumb|crazy)\b"),
}
RESISTANCE = {"BEGINNER": 8, "ROOKIE": 10, "PRO": 12, "ELITE": 14, "NIGHTMARE": 16}


class RulesCoach:
    name = "rules"
    rubric_version = RUBRIC_VERSION

    def judge(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], message: str
    ) -> Judgement:
        text = message.lower()
        skills = tuple(
            skill
            for skill, (_, pattern) in SKILLS.items()
            if (pattern and re.search(pattern, text)) or (skill == "concise" and len(text) < 400)
        )
        penalties = tuple(p for p, (_, pattern) in PENALTIES.items() if re.search(pattern, text))
        score = sum(SKILLS[s][0] for s in skills) - sum(PENALTIES[p][0] for p in penalties)
        score = max(0, min(MAX_SCORE, score))
        if penalties:
            score = min(score, 5)
        number = exchange_number(history)
        persona = scenario.persona
        if number >= MAX_EXCHANGES:
            won = score >= RESISTANCE[difficulty]
            response = (
                "Alright, you've convinced me to take the next step."
                if won
                else "I don't think this is for us. Thanks for your time."
            )
        elif score >= RESISTANCE[difficulty]:
            response = "Okay, that's fair. Tell me more."
        else:
            objections = persona.get("objections") or ["I'm still not convinced."]
            response = objections[(number - 1) % len(objections)]
        if penalties:
            feedback = f"That came across as {', '.join(penalties)}; it cost you points."
        elif skills:
            feedback = f"Credited for: {', '.join(skills)}."
        else:
            feedback = "Acknowledge the concern and ask a question to learn more."
        return Judgement(response, feedback, score, skills, penalties, self.name)

    def conclude(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn]
    ) -> FinalFeedback:
        used = {skill for turn in history if turn.role == "user" for skill in turn.skills}
        strengths = [f"You used {skill}." for skill in sorted(used)]
        strengths = strengths or ["You finished the session."]
        missing = [s for s in scenario.skills if s not in used]
        improvements = [f"Work on {skill}." for skill in missing] or ["Keep practising."]
        return FinalFeedback(strengths, improvements, list(scenario.tips))
