"""``make serve`` (migrations, then gunicorn.conf.py) behind the shipped nginx site config.

Requests come from 127.0.0.2 while nginx reaches gunicorn from 127.0.0.1, so the client
address the app logs proves it came from X-Forwarded-For through ProxyFix.
"""

from __future__ import annotations

import gzip
import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.e2e.conftest import app_env, new_request_id
from tests.e2e.harness import call
from tests.processes import wait_until

pytestmark = pytest.mark.e2e

CLIENT = "127.0.0.2"
MAX_BODY = 2 * 1024 * 1024  # the app's default MAX_BODY_BYTES, and nginx's client_max_body_size


@pytest.fixture(scope="module")
def stack(start_stack, e2e_database_url):
    # What the README tells an operator to run.
    return start_stack(app_env(e2e_database_url), instances=1, workers=2, make_serve=True)


@pytest.fixture(scope="module")
def user(stack):
    email = f"e2e-{new_request_id('u')}@example.com"
    reply = stack.call(
        "POST",
        "/api/auth/register",
        json_body={"email": email, "password": "correct horse"},
        source=CLIENT,
    )
    assert reply.status == 201, reply.body
    data = reply.json()["data"]
    return {"id": data["user"]["id"], "headers": {"Authorization": f"Bearer {data['accessToken']}"}}


def test_health_and_readiness(stack):
    healthz = stack.call("GET", "/healthz", source=CLIENT)
    assert (healthz.status, healthz.json()) == (200, {"status": "ok"})
    readyz = stack.call("GET", "/readyz", source=CLIENT)
    assert (readyz.status, readyz.json()) == (200, {"status": "ok"})


def test_request_id_is_echoed_and_one_id_names_both_logs(stack):
    given = new_request_id("e2e")
    reply = stack.call("GET", "/healthz", headers={"X-Request-ID": given}, source=CLIENT)
    assert reply.headers["X-Request-ID"] == given

    reply = stack.call("GET", "/readyz", source=CLIENT)
    generated = reply.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)  # nginx's $request_id, kept by the app
    # the worker and nginx write their access lines after the reply has gone: wait for both
    wait_until(lambda: stack.instances[0].access(generated), "the app's access line", timeout=5)
    wait_until(lambda: stack.nginx.access(generated), "nginx's access line", timeout=5)
    assert [r["path"] for r in stack.instances[0].access(generated)] == ["/readyz"]
    assert [r["uri"] for r in stack.nginx.access(generated)] == ["/readyz"]


def test_app_logs_the_forwarded_client_and_the_user(stack, user):
    request_id = new_request_id("who")
    headers = user["headers"] | {"X-Request-ID": request_id, "X-Forwarded-For": "203.0.113.9"}
    reply = stack.call("GET", "/api/auth/me", headers=headers, source=CLIENT)
    assert reply.status == 200
    wait_until(lambda: stack.instances[0].access(request_id), "the app's access line", timeout=5)
    (record,) = stack.instances[0].access(request_id)
    # The forged header is kept by nginx but only the address nginx saw is believed.
    assert record["client"] == CLIENT
    assert record["user_id"] == str(user["id"])
    assert (record["method"], record["path"], record["status"]) == ("GET", "/api/auth/me", 200)
    assert record["duration_ms"] >= 0
    assert record["level"] == "INFO" and record["ts"]


def test_register_then_start_a_roleplay_session(stack, user):
    stack.require_route("/api/training/roleplay/start")
    body = {"scenarioId": "homeowner_objection", "scenarioTitle": "Price", "difficulty": "pro"}
    reply = stack.call(
        "POST", "/api/training/roleplay/start", json_body=body, headers=user["headers"]
    )
    assert reply.status == 201, reply.body
    data = reply.json()["data"]
    assert re.fullmatch(r"session_[A-Za-z0-9_-]{16,}", data["sessionId"])
    assert (data["difficulty"], data["score"], data["isActive"]) == ("PRO", 0, True)
    assert data["maxExchanges"] == 5 and data["openingLine"]


def test_chat_state_upsert_and_read(stack):
    stack.require_route("/chat-state-sessions")
    key = new_request_id("widget")
    body = {"user_session_id": key, "chat_state": '{"step": 1}'}
    created = stack.call("POST", "/chat-state-sessions", json_body=body, source=CLIENT)
    assert created.status == 201, created.body
    assert created.json()["version"] == 1
    body["chat_state"] = '{"step": 2}'
    updated = stack.call("POST", "/chat-state-sessions", json_body=body, source=CLIENT)
    assert (updated.status, updated.json()["version"]) == (200, 2)
    read = stack.call("GET", f"/chat-state-sessions/{key}", source=CLIENT)
    assert read.status == 200
    assert (read.json()["chat_state"], read.json()["version"]) == ('{"step": 2}', 2)
    assert read.headers["ETag"] == '"2"'


def test_oversized_body_is_refused_by_nginx_in_the_error_envelope(stack):
    request_id = new_request_id("big")
    reply = stack.call(
        "POST",
        "/api/auth/register",
        body=b"x" * (MAX_BODY + 1),
        headers={"Content-Type": "application/json", "X-Request-ID": request_id},
        source=CLIENT,
    )
    assert reply.status == 413
    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json() == {
        "success": False,
        "error": {"code": "payload_too_large", "message": "Request body is too large"},
    }
    assert reply.headers["X-Request-ID"] == request_id
    assert stack.instances[0].access(request_id) == []  # the app never saw it


def test_body_just_under_the_limit_reaches_the_app(stack):
    # Same limit on both sides: nginx passes a body just under it and the app takes it
    # (an unknown field is ignored), so nginx's limit is not the smaller one.
    request_id = new_request_id("under")
    body = {"email": f"{request_id}@example.com", "password": "correct horse"}
    body["pad"] = "a" * (MAX_BODY - 200)
    reply = stack.call(
        "POST",
        "/api/auth/register",
        json_body=body,
        headers={"X-Request-ID": request_id},
        source=CLIENT,
    )
    assert reply.status == 201, reply.body[:300]
    assert [r["status"] for r in stack.instances[0].access(request_id)] == [201]


def test_json_is_gzipped(stack):
    reply = stack.call("GET", "/api/openapi.json", headers={"Accept-Encoding": "gzip"})
    assert reply.status == 200
    assert reply.headers["Content-Encoding"] == "gzip"
    assert b'"openapi"' in gzip.decompress(reply.body)


def test_metrics_are_refused_to_outsiders_in_json(stack):
    # /metrics is for the host only; anyone else gets nginx's 403 in the envelope.
    reply = stack.call("GET", "/metrics", source=CLIENT)
    assert reply.status == 403
    assert reply.json()["error"]["code"] == "forbidden"


def _count(text: str, path: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if line.startswith("flask_http_request_duration_seconds_count{") and (
            f'url_rule="{path}"' in line
        ):
            total += float(line.rsplit(" ", 1)[1])
    return total


def test_metrics_add_up_across_workers(stack):
    path = "/api/openapi.json"
    before = _count(stack.call("GET", "/metrics").body.decode(), path)
    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(lambda _: stack.call("GET", path).status, range(30)))
    assert statuses == [200] * 30
    # Any worker answers /metrics (direct to gunicorn, new connection each time): all agree.
    gunicorn = stack.instances[0].port
    seen = {_count(call(gunicorn, "GET", "/metrics").body.decode(), path) for _ in range(6)}
    assert seen == {before + 30}
    files = list(stack.instances[0].process.log.parent.glob("gunicorn0-metrics/*.db"))
    assert files, "multiprocess mode writes one file per worker and metric type"


# Through nginx: 6 KB (over gunicorn's 4,094 bytes) reaches gunicorn, which answers; 12 KB (over
# nginx's 8 KB buffers) nginx answers itself. Straight at gunicorn, both are gunicorn's.
@pytest.mark.parametrize("length", [6_000, 12_000])
def test_an_overlong_request_line_gets_414_in_the_error_envelope(stack, length):
    path = "/chat-state-sessions/x/versions?" + "&".join(["limit=1"] * (length // 8))
    for port in (stack.port, stack.instances[0].port):  # through nginx, and straight at gunicorn
        reply = call(port, "GET", path, source=CLIENT if port == stack.port else "127.0.0.1")
        assert reply.status == 414, (port, reply.body[:200])
        assert reply.headers["Content-Type"].startswith("application/json")
        assert reply.json() == {
            "success": False,
            "error": {"code": "uri_too_long", "message": "Request line is too long"},
        }
        assert re.fullmatch(r"[0-9a-f]{32}", reply.headers["X-Request-ID"])
