"""Races on PostgreSQL (real row locks and unique constraints), each with the contract's outcome.

Each checks first that the contract's route is served, so a renamed route fails rather than
turning the race into a silent skip.
"""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

pytestmark = [pytest.mark.reliability, pytest.mark.postgres_only]

N = 8


def race(app, n: int, request: Callable[[Any, int], Any]) -> list[Any]:
    """Run ``request(client, i)`` in ``n`` threads released at the same instant."""
    barrier = threading.Barrier(n)

    def run(i: int):
        client = app.test_client()
        barrier.wait(timeout=10)
        return request(client, i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n), timeout=60))


def require(client, path: str) -> None:
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert path in paths, f"{path} (API.md) is not served: renamed or removed?"


def test_parallel_registrations_of_one_email(app, client):
    body = {"email": "Race@Example.com", "password": "race-password"}

    def register(c, i):
        email = body["email"] if i % 2 else body["email"].lower()  # case-insensitive too
        return c.post("/api/auth/register", json={**body, "email": email})

    responses = race(app, N, register)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 409: N - 1}, statuses
    assert {r.get_json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "email_taken"
    }
    login = client.post("/api/auth/login", json={**body, "email": "race@example.com"})
    assert login.status_code == 200


def test_parallel_messages_to_one_session(app, client, auth_headers):
    require(client, "/api/training/roleplay/start")
    started = client.post(
        "/api/training/roleplay/start",
        json={"scenarioId": "homeowner_objection", "scenarioTitle": "Race", "difficulty": "PRO"},
        headers=auth_headers,
    )
    assert started.status_code == 201, started.get_json()
    session_id = started.get_json()["data"]["sessionId"]
    n = 8  # more than five exchanges: some must be refused

    def send(c, i):
        return c.post(
            f"/api/training/roleplay/{session_id}/message",
            json={"message": f"Message {i}: I hear you, what would make the price work?"},
            headers=auth_headers,
        )

    responses = race(app, n, send)
    ok = [r.get_json()["data"] for r in responses if r.status_code == 200]
    refused = [r for r in responses if r.status_code != 200]
    assert len(ok) == 5, Counter(r.status_code for r in responses)
    assert all(r.status_code == 409 for r in refused), [r.get_json() for r in refused]
    assert {r.get_json()["error"]["code"] for r in refused} <= {"session_ended"}
    # Serialized: one success per exchange, and the running totals are the prefix sums of the
    # awards in exchange order (a repeated message may earn 0, so totals can tie).
    ok.sort(key=lambda d: d["exchange"])
    assert [d["exchange"] for d in ok] == [1, 2, 3, 4, 5]
    totals = [d["totalScore"] for d in ok]
    awards = [d["scoreAwarded"] for d in ok]
    assert totals == [sum(awards[: n + 1]) for n in range(5)]
    assert sum(d["sessionEnded"] for d in ok) == 1
    stored = client.get(f"/api/training/roleplay/sessions/{session_id}", headers=auth_headers)
    data = stored.get_json()["data"]
    assert len(data["messages"]) == 10
    assert Counter(m["role"] for m in data["messages"]) == {"user": 5, "assistant": 5}
    assert data["score"] == sum(d["scoreAwarded"] for d in ok) == max(totals)
    assert data["isActive"] is False


def test_parallel_upserts_of_one_new_key(app, client):
    require(client, "/chat-state-sessions")
    key = f"race-{uuid.uuid4().hex}"

    def upsert(c, i):
        return c.post(
            "/chat-state-sessions", json={"user_session_id": key, "chat_state": f'{{"n": {i}}}'}
        )

    responses = race(app, N, upsert)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {201: 1, 200: N - 1}, [r.get_json() for r in responses]
    versions = sorted(r.get_json()["version"] for r in responses)
    assert versions == list(range(1, N + 1))  # every write counted once
    final = client.get(f"/chat-state-sessions/{key}")
    assert final.status_code == 200 and final.get_json()["version"] == N


def test_parallel_if_match_writes(app, client):
    require(client, "/chat-state-sessions")
    key = f"ifmatch-{uuid.uuid4().hex}"
    created = client.post("/chat-state-sessions", json={"user_session_id": key, "chat_state": "{}"})
    assert created.status_code == 201 and created.headers["ETag"] == '"1"'

    def put(c, i):
        return c.put(
            f"/chat-state-sessions/{key}",
            json={"chat_state": f'{{"writer": {i}}}'},
            headers={"If-Match": '"1"'},
        )

    responses = race(app, N, put)
    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 1, 412: N - 1}, statuses
    assert {r.get_json()["error"]["code"] for r in responses if r.status_code == 412} == {
        "precondition_failed"
    }
    winner = next(r.get_json() for r in responses if r.status_code == 200)
    final = client.get(f"/chat-state-sessions/{key}").get_json()
    assert final["version"] == 2 and final["chat_state"] == winner["chat_state"]
