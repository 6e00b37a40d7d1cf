"""The rules-based coach: deterministic and offline; the default engine."""

from __future__ import annotations

from collections.abc import Sequence

from roleplay_api.services.coach import persona as homeowner
from roleplay_api.services.coach.base import (
    FinalFeedback,
    Judgement,
    ScenarioBrief,
    Turn,
    exchange_number,
)
from roleplay_api.services.coach.feedback import Reviewed, final_feedback, message_feedback
from roleplay_api.services.coach.scoring import score
from roleplay_api.services.coach.signals import Signals, detect

RUBRIC_VERSION = "rules-1.0"


def keywords(scenario: ScenarioBrief) -> list[str]:
    """Words that show a reply is about this homeowner's concern."""
    words = list(scenario.persona.get("keywords") or [])
    for concern in scenario.persona.get("concerns") or []:
        words.extend(w for w in str(concern).lower().split() if len(w) > 3)
    return words


class RulesCoach:
    name = "rules"
    rubric_version = RUBRIC_VERSION

    def read(self, scenario: ScenarioBrief, message: str) -> Signals:
        return detect(message, keywords(scenario))

    def _steps(self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn]) -> list:
        steps = []
        for turn in history:
            if turn.role == "user":
                harmful = bool(self.read(scenario, turn.content).harmful)
                steps.append(homeowner.step(turn.score, harmful, difficulty))
        return steps

    def judge(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], message: str
    ) -> Judgement:
        signals = self.read(scenario, message)
        result = score(signals, scenario.skills, difficulty)
        number = exchange_number(history)
        steps = self._steps(scenario, difficulty, history)
        steps.append(homeowner.step(result.total, bool(signals.harmful), difficulty))
        warmth = homeowner.warmth(difficulty, steps)
        seed = f"{scenario.id}|{difficulty}|{number}|{message}"
        said = [turn.content for turn in history if turn.role != "user"]
        response = homeowner.reply(
            scenario.persona, difficulty, number, signals, warmth, seed, said
        )
        return Judgement(
            response=response,
            feedback=message_feedback(signals, result, scenario),
            score=result.total,
            skills=tuple(result.earned),
            penalties=tuple(result.lost),
            engine=self.name,
        )

    def conclude(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn]
    ) -> FinalFeedback:
        reviewed = []
        number = 0
        for turn in history:
            if turn.role != "user":
                continue
            number += 1
            signals = self.read(scenario, turn.content)
            result = score(signals, scenario.skills, difficulty)
            total = result.total if turn.score is None else turn.score
            reviewed.append(Reviewed(number, total, signals, result.lost))
        steps = self._steps(scenario, difficulty, history)
        last_harmful = bool(reviewed and reviewed[-1].signals.harmful)
        agreed = homeowner.agrees(homeowner.warmth(difficulty, steps), last_harmful)
        return final_feedback(scenario, reviewed, agreed)
