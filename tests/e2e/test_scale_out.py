"""Two stateless gunicorn instances behind one nginx upstream: any instance serves any request.

Sessions, chat state and token revocations live in the database and rate-limit counts in
Redis, so a conversation may hop between instances. Which instance served a request is read
from the instances' own access logs by request id.
"""

from __future__ import annotations

import uuid

import pytest

from tests.e2e.conftest import app_env, new_request_id
from tests.e2e.harness import start_redis

pytestmark = pytest.mark.e2e

AUTH_LIMIT = 4


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    url, process = start_redis(tmp_path_factory.mktemp("redis"))
    yield url
    process.stop()


@pytest.fixture(scope="module")
def stack(start_stack, e2e_database_url, redis_url):
    env = app_env(
        e2e_database_url,
        RATELIMIT_STORAGE_URI=redis_url,
        RATELIMIT_KEY_PREFIX=f"e2e-{uuid.uuid4().hex}",
        RATELIMIT_AUTH=f"{AUTH_LIMIT} per minute",
    )
    return start_stack(env, instances=2, workers=1)


def register(stack, source: str) -> dict[str, str]:
    body = {"email": f"{new_request_id('scale')}@example.com", "password": "correct horse"}
    reply = stack.call("POST", "/api/auth/register", json_body=body, source=source)
    assert reply.status == 201, reply.body
    return {"Authorization": f"Bearer {reply.json()['data']['accessToken']}"}


def call_until_other_instance(stack, first: int, method: str, path: str, **kwargs):
    """Repeat a request until the instance that was not ``first`` serves it (bounded)."""
    for _ in range(8):
        request_id = new_request_id("hop")
        headers = kwargs.pop("headers", {}) | {"X-Request-ID": request_id}
        reply = stack.call(method, path, headers=headers, **kwargs)
        kwargs["headers"] = {k: v for k, v in headers.items() if k != "X-Request-ID"}
        if stack.served_by(request_id) != first:
            return reply
    raise AssertionError("nginx never sent the request to the other instance")


def test_roleplay_session_started_on_one_instance_continues_on_the_other(stack):
    stack.require_route("/api/training/roleplay/start")
    headers = register(stack, "127.0.0.4")
    request_id = new_request_id("start")
    body = {"scenarioId": "spouse_decision", "scenarioTitle": "Spouse", "difficulty": "rookie"}
    started = stack.call(
        "POST",
        "/api/training/roleplay/start",
        json_body=body,
        headers=headers | {"X-Request-ID": request_id},
    )
    assert started.status == 201, started.body
    session_id = started.json()["data"]["sessionId"]
    first = stack.served_by(request_id)

    message = {"message": "I understand. What would help you both feel sure about it?"}
    reply = call_until_other_instance(
        stack,
        first,
        "POST",
        f"/api/training/roleplay/{session_id}/message",
        json_body=message,
        headers=headers,
    )
    assert reply.status == 200, reply.body
    data = reply.json()["data"]
    assert data["response"] and data["sessionEnded"] is False
    assert data["totalScore"] == data["scoreAwarded"]  # the first exchange of this session

    detail = stack.call("GET", f"/api/training/roleplay/sessions/{session_id}", headers=headers)
    assert detail.status == 200
    messages = detail.json()["data"]["messages"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert messages[0]["content"] == message["message"]


def test_chat_state_written_through_one_is_read_through_the_other(stack):
    stack.require_route("/chat-state-sessions")
    key = new_request_id("widget")
    request_id = new_request_id("write")
    body = {"user_session_id": key, "chat_state": '{"cart": [1, 2]}'}
    written = stack.call(
        "POST", "/chat-state-sessions", json_body=body, headers={"X-Request-ID": request_id}
    )
    assert written.status == 201, written.body
    first = stack.served_by(request_id)
    read = call_until_other_instance(stack, first, "GET", f"/chat-state-sessions/{key}")
    assert read.status == 200
    assert read.json()["chat_state"] == '{"cart": [1, 2]}'
    assert read.json()["version"] == 1


def test_logout_on_one_instance_holds_on_the_other(stack):
    headers = register(stack, "127.0.0.5")
    request_id = new_request_id("logout")
    out = stack.call("POST", "/api/auth/logout", headers=headers | {"X-Request-ID": request_id})
    assert out.status == 200
    first = stack.served_by(request_id)
    reply = call_until_other_instance(stack, first, "GET", "/api/auth/me", headers=headers)
    assert reply.status == 401
    assert reply.json()["error"]["code"] == "unauthorized"


def test_login_limit_is_shared_through_redis(stack):
    client = "127.0.0.3"  # its own address, so no other test spends this budget
    body = {"email": "nobody@example.com", "password": "wrong password"}
    served = []
    for _ in range(AUTH_LIMIT):
        request_id = new_request_id("login")
        reply = stack.call(
            "POST",
            "/api/auth/login",
            json_body=body,
            headers={"X-Request-ID": request_id},
            source=client,
        )
        assert reply.status == 401
        served.append(stack.served_by(request_id))
    # Both instances took a share: neither alone has seen AUTH_LIMIT requests.
    assert set(served) == {0, 1}
    reply = stack.call("POST", "/api/auth/login", json_body=body, source=client)
    assert reply.status == 429
    assert reply.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(reply.headers["Retry-After"]) <= 60
    # Another client address is not affected.
    other = stack.call("POST", "/api/auth/login", json_body=body, source="127.0.0.6")
    assert other.status == 401


def test_one_instance_stopping_gracefully_leaves_the_other_serving(stack):
    # Last in this module: it stops the instances for good.
    headers = register(stack, "127.0.0.7")
    leaving = stack.instances[1].process
    leaving.stop()
    assert leaving.popen.returncode == 0, leaving.tail()
    assert "Shutting down: Master" in leaving.tail()
    # nginx retries a refused connection on the other instance: nobody sees an error.
    replies = [stack.call("GET", "/api/auth/me", headers=headers) for _ in range(6)]
    assert [r.status for r in replies] == [200] * 6

    # With no instance left, nginx answers 503 in the envelope, never its HTML page.
    stack.instances[0].process.stop()
    reply = stack.call("GET", "/api/auth/me", headers=headers)
    assert reply.status == 503
    assert reply.json()["error"]["code"] == "unavailable"
    assert reply.headers["Retry-After"] == "1"
