"""Helpers shared by the roleplay API tests: start a session, send messages, a fake coach."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from roleplay_api.services.coach import (
    Conclusion,
    FinalFeedback,
    Judgement,
    ScenarioBrief,
    Turn,
    xp_for,
)
from roleplay_api.services.coach.base import exchange_number

BASE = "/api/training/roleplay"
WALKTHROUGH = {"scenarioId": "test", "scenarioTitle": "Test Scenario", "difficulty": "BEGINNER"}


def error_of(response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    return body["error"]


def data_of(response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.get_json()
    body = response.get_json()
    assert body["success"] is True
    return body["data"]


def start(client, headers, **overrides: Any) -> dict[str, Any]:
    return data_of(client.post(f"{BASE}/start", json=WALKTHROUGH | overrides, headers=headers), 201)


def send(client, headers, session_id: str, message: str = "Hello"):
    return client.post(f"{BASE}/{session_id}/message", json={"message": message}, headers=headers)


def finish(client, headers, session_id: str, count: int = 5) -> list[dict[str, Any]]:
    return [data_of(send(client, headers, session_id, f"Message {n}")) for n in range(count)]


class FakeCoach:
    """A deterministic engine: exchange n scores ``scores[n-1]`` and replies "reply n"."""

    name = "fake"
    rubric_version = "fake-1"

    def __init__(self, scores: Sequence[int] = (3, 7, 11, 15, 20)) -> None:
        self.scores = list(scores)
        self.judged: list[tuple[str, str, int, str]] = []
        self.concluded: list[list[Turn]] = []

    def judge(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn], message: str
    ) -> Judgement:
        number = exchange_number(history)
        self.judged.append((scenario.id, difficulty, len(history), message))
        return Judgement(
            response=f"reply {number}",
            feedback=f"note {number}",
            score=self.scores[number - 1],
            skills=("acknowledge",),
            engine="fake",
        )

    def conclude(
        self, scenario: ScenarioBrief, difficulty: str, history: Sequence[Turn]
    ) -> Conclusion:
        self.concluded.append(list(history))
        scores = [t.score or 0 for t in history if t.role == "user"]
        feedback = FinalFeedback(["listened"], ["ask more"], [f"tip for {scenario.id}"])
        return Conclusion(feedback, xp_for(scores, difficulty), agreed=False)


def use_coach(client, monkeypatch, coach: Any) -> Any:
    """Make ``coach`` the app's (create_app built one) for this test; restored afterwards."""
    monkeypatch.setitem(client.application.extensions, "coach", coach)
    return coach
