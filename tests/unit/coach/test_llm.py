"""The LLM coach against a stub chat-completions server on 127.0.0.1 (never the internet)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from roleplay_api.services.coach import LLMCoach, MeaningCoach, Turn, get_coach
from roleplay_api.services.coach.library import bundled_brief
from roleplay_api.services.coach.llm import ChatClient

GOOD = {
    "reply": "Okay, tell me more.",
    "feedback": "Nice question.",
    "skills": {
        "acknowledge": {"points": 3, "evidence": "That makes sense."},
        "discover": {"points": 5, "evidence": "What are you comparing the price to?"},
        "made_up": {"points": 6, "evidence": "That makes sense."},
    },
    "harm": None,
}
HIGH = {
    name: {"points": 6, "evidence": "sign today"} for name in ("value", "next_step", "discover")
}
MESSAGE = "That makes sense. What are you comparing the price to?"


class Stub:
    """What the stub answers (mode) and what it was asked (requests)."""

    def __init__(self) -> None:
        self.mode = "good"
        self.requests: list[dict[str, Any]] = []
        self.url = ""


def _handler(stub: Stub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            stub.requests.append(
                {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
            )
            if stub.mode == "error":
                self._send(500, b'{"error": "boom"}')
            elif stub.mode == "slow":
                time.sleep(1.0)
                self._send(200, self._completion(GOOD))
            elif stub.mode == "garbage":
                self._send(200, self._completion("this is not JSON at all"))
            elif stub.mode == "bad_schema":
                self._send(200, self._completion({"reply": "hi", "score": 99}))
            elif stub.mode == "nul":
                self._send(200, self._completion(GOOD | {"reply": "Sure.\u0000 Tell me more."}))
            elif stub.mode == "surrogate":
                self._send(200, self._completion(GOOD | {"feedback": "Nice \ud83d"}))
            elif stub.mode == "harmful_high":
                self._send(200, self._completion(GOOD | {"skills": HIGH}))
            else:
                self._send(200, self._completion(GOOD))

        def _completion(self, content: Any) -> bytes:
            text = content if isinstance(content, str) else json.dumps(content)
            return json.dumps(
                {"choices": [{"message": {"role": "assistant", "content": text}}]}
            ).encode()

        def _send(self, status: int, body: bytes) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up (timeout test)
                pass

    return Handler


@pytest.fixture
def stub() -> Iterator[Stub]:
    state = Stub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _coach(stub: Stub, retries: int = 1, timeout: float = 2.0) -> LLMCoach:
    config = {
        "COACH_ENGINE": "llm",
        "LLM_BASE_URL": stub.url,
        "LLM_API_KEY": "sk-test",
        "LLM_MODEL": "tiny",
        "LLM_TIMEOUT_SECONDS": timeout,
        "LLM_MAX_RETRIES": retries,
    }
    coach = get_coach(config)
    assert isinstance(coach, LLMCoach)
    return coach


def test_good_answer_is_used_and_the_request_is_openai_shaped(stub: Stub) -> None:
    scenario = bundled_brief("homeowner_objection")
    history = [
        Turn("user", "Hi there, I understand.", 8, ("acknowledge",)),
        Turn("assistant", "Hm."),
    ]
    judgement = _coach(stub).judge(scenario, "PRO", history, MESSAGE)
    assert (judgement.engine, judgement.score, judgement.response) == (
        "llm",
        8,
        "Okay, tell me more.",
    )
    assert judgement.skills == ("acknowledge", "discover")  # unknown skill names are dropped
    assert judgement.points == {"acknowledge": 3, "discover": 5}
    assert judgement.evidence["discover"] == "What are you comparing the price to?"
    assert judgement.fallback_reason is None
    [request] = stub.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test"
    body = request["body"]
    assert (body["model"], body["temperature"]) == ("tiny", 0)
    assert body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in body["messages"]] == [
        "system",
        "assistant",
        "user",
        "assistant",
        "user",
    ]
    assert body["messages"][-1]["content"] == MESSAGE
    assert "Dana Whitfield" in body["messages"][0]["content"]


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("garbage", "invalid json"),
        ("error", "http 500"),
        ("bad_schema", "invalid: feedback,skills"),
        ("nul", "invalid: reply"),
        ("surrogate", "invalid: feedback"),
    ],
)
def test_unusable_answers_fall_back_to_the_coach_after_retrying(
    stub: Stub, mode: str, reason: str
) -> None:
    stub.mode = mode
    scenario = bundled_brief("homeowner_objection")
    judgement = _coach(stub, retries=2).judge(scenario, "PRO", [], MESSAGE)
    engine = MeaningCoach().judge(scenario, "PRO", [], MESSAGE)
    assert judgement.engine == "coach-fallback"
    assert judgement.fallback_reason == reason
    assert (judgement.score, judgement.response, judgement.feedback) == (
        engine.score,
        engine.response,
        engine.feedback,
    )
    assert len(stub.requests) == 3  # one attempt and two retries
    assert len(judgement.engine) <= 32


def test_slow_answer_times_out_within_the_bound(stub: Stub) -> None:
    stub.mode = "slow"
    started = time.monotonic()
    judgement = _coach(stub, retries=0, timeout=0.2).judge(
        bundled_brief("bad_timing"), "PRO", [], MESSAGE
    )
    assert judgement.engine == "coach-fallback"
    assert judgement.fallback_reason == "timeout"
    assert time.monotonic() - started < 0.9


def test_unreachable_server_falls_back() -> None:
    client = ChatClient("http://127.0.0.1:9/v1", "", "m", timeout=0.5, retries=0)
    judgement = LLMCoach(client).judge(bundled_brief("bad_timing"), "PRO", [], MESSAGE)
    assert (judgement.engine, judgement.fallback_reason) == ("coach-fallback", "unreachable")


def test_the_harm_cap_holds_whatever_the_model_says(stub: Stub) -> None:
    stub.mode = "harmful_high"
    message = "I understand, but honestly you'd be crazy not to sign today."
    judgement = _coach(stub).judge(bundled_brief("homeowner_objection"), "PRO", [], message)
    assert judgement.engine == "llm"
    assert judgement.score == 5
    assert "pressure" in judgement.penalties


def test_conclude_uses_the_engine(stub: Stub) -> None:
    history = [Turn("user", MESSAGE, 12, ("acknowledge", "discover")), Turn("assistant", "Hm.")]
    scenario = bundled_brief("homeowner_objection")
    assert _coach(stub).conclude(scenario, "PRO", history) == MeaningCoach().conclude(
        scenario, "PRO", history
    )
    assert stub.requests == []


@pytest.mark.parametrize(
    "config",
    [{}, {"COACH_ENGINE": "rules"}, {"COACH_ENGINE": "llm", "LLM_BASE_URL": "", "LLM_MODEL": "m"}],
)
def test_default_engine_unless_the_llm_is_fully_configured(config: dict[str, Any]) -> None:
    coach = get_coach(config)
    assert isinstance(coach, MeaningCoach)
    assert (coach.name, coach.rubric_version) == ("coach", "coach-2.0")


def test_llm_names_fit_the_columns(stub: Stub) -> None:
    coach = _coach(stub)
    assert coach.name == "llm"
    assert len(coach.rubric_version) <= 32
