"""Crash: kill -9 gunicorn (master and workers) under write load, restart, and audit every write.

Writes are chat-state upserts (one key per writer, a sequence number in the state) and roleplay
messages (sessions of five exchanges). Every write the client saw acknowledged must be stored;
a write cut off by the crash may be stored or not, but never in part.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from tests.reliability.figures import record
from tests.reliability.servers import Gunicorn, ThrowawayPostgres, migrate, server_env

pytestmark = [pytest.mark.reliability_full, pytest.mark.e2e]

WRITERS = 4
ROUNDS = 2
LOAD_SECONDS = 3.0
MAX_WRITES_PER_WRITER = 400  # bounds the load even if the server is very fast


@dataclass
class Writer:
    """One client thread's view of what it wrote and what was acknowledged."""

    index: int
    headers: dict[str, str]
    chat_key: str
    chat_acked_seq: int = -1  # last seq acknowledged
    chat_sent_seq: int = -1  # last seq sent (acknowledged or cut off)
    chat_acked_version: int = 0
    chat_acks: int = 0
    # Writes cut off by a crash, once an audit has seen whether they were applied.
    chat_resolved_seq: int = -1
    chat_cutoffs_applied: int = 0
    # session id -> list of (message, acknowledged?, totalScore)
    sessions: dict[str, list[tuple[str, bool, int | None]]] = field(default_factory=dict)
    current: str | None = None
    message_acks: int = 0


def _write(base: str, writer: Writer, stop: threading.Event) -> None:
    http = requests.Session()
    for n in range(MAX_WRITES_PER_WRITER):
        if stop.is_set():
            return
        try:
            if n % 2 == 0:
                seq = writer.chat_sent_seq + 1
                writer.chat_sent_seq = seq
                state = json.dumps({"writer": writer.index, "seq": seq, "pad": "x" * 200})
                r = http.post(
                    f"{base}/chat-state-sessions",
                    json={"user_session_id": writer.chat_key, "chat_state": state},
                    timeout=10,
                )
                assert r.status_code in (200, 201), (r.status_code, r.text[:300])
                writer.chat_acked_seq, writer.chat_acked_version = seq, r.json()["version"]
                writer.chat_acks += 1
            else:
                _send_message(base, http, writer)
        except requests.RequestException:
            return  # the server died under us: this write is "cut off"


def _send_message(base: str, http: requests.Session, writer: Writer) -> None:
    if writer.current is None or len(writer.sessions[writer.current]) >= 5:
        r = http.post(
            f"{base}/api/training/roleplay/start",
            json={
                "scenarioId": "homeowner_objection",
                "scenarioTitle": "Crash",
                "difficulty": "PRO",
            },
            headers=writer.headers,
            timeout=10,
        )
        assert r.status_code == 201, r.text[:300]
        writer.current = r.json()["data"]["sessionId"]
        writer.sessions[writer.current] = []
    sent = writer.sessions[writer.current]
    message = f"writer {writer.index} message {len(sent)}: what would make this work for you?"
    sent.append((message, False, None))
    r = http.post(
        f"{base}/api/training/roleplay/{writer.current}/message",
        json={"message": message},
        headers=writer.headers,
        timeout=10,
    )
    assert r.status_code == 200, r.text[:300]
    sent[-1] = (message, True, r.json()["data"]["totalScore"])
    writer.message_acks += 1


def _audit(base: str, writers: list[Writer]) -> dict[str, int]:
    checked = {"chat_state_records": 0, "roleplay_sessions": 0, "acked_writes": 0}
    for w in writers:
        if w.chat_sent_seq >= 0:
            r = requests.get(f"{base}/chat-state-sessions/{w.chat_key}", timeout=10)
            if w.chat_acked_seq >= 0:
                assert r.status_code == 200, (w.chat_key, r.status_code)
            if r.status_code == 200:
                body = r.json()
                state = json.loads(body["chat_state"])  # whole JSON, never a torn write
                # The write in flight at the kill (if any) may or may not have been applied.
                last = max(w.chat_acked_seq, w.chat_resolved_seq)
                pending = w.chat_sent_seq if w.chat_sent_seq > last else None
                applied = pending is not None and state["seq"] == pending
                assert state["seq"] == (pending if applied else w.chat_acked_seq), (w, state)
                # One version per applied write, so the counter and the writes agree.
                expected = w.chat_acks + w.chat_cutoffs_applied + applied
                assert body["version"] == expected, (w.chat_key, body["version"], expected)
                assert body["version"] >= w.chat_acked_version
                if pending is not None:
                    w.chat_resolved_seq, w.chat_cutoffs_applied = pending, expected - w.chat_acks
                checked["chat_state_records"] += 1
            checked["acked_writes"] += w.chat_acks
        for session_id, sent in w.sessions.items():
            r = requests.get(
                f"{base}/api/training/roleplay/sessions/{session_id}", headers=w.headers, timeout=10
            )
            assert r.status_code == 200, (session_id, r.status_code)
            data = r.json()["data"]
            messages = data["messages"]
            # Exchanges are whole: a trainee message always has its persona reply.
            assert len(messages) % 2 == 0, (session_id, messages)
            assert [m["role"] for m in messages] == ["user", "assistant"] * (len(messages) // 2)
            acked = [m for m, ok, _ in sent if ok]
            stored = [m["content"] for m in messages[0::2]]
            # What is stored is what was sent, in order: every acknowledged message, plus
            # perhaps the one cut off by a kill; nothing else.
            remaining = iter(m for m, _, _ in sent)
            assert all(m in remaining for m in stored), (session_id, stored, sent)
            assert set(acked) <= set(stored), (session_id, stored, acked)
            assert len(acked) <= len(stored) <= len(sent), (session_id, len(stored), len(sent))
            acked_scores = [score for _, ok, score in sent if ok]
            if acked_scores and len(stored) == len(acked):
                assert data["score"] == acked_scores[-1], (session_id, data["score"])
            assert data["isActive"] == (len(messages) < 10)
            checked["roleplay_sessions"] += 1
            checked["acked_writes"] += len(acked)
    return checked


def test_kill_9_under_write_load_loses_no_acknowledged_write(
    pg_cluster: ThrowawayPostgres, artifacts: Path
) -> None:
    url = pg_cluster.create_database("crash")
    migrate(url)
    env = server_env(url)
    server = Gunicorn(env, artifacts / "gunicorn.log").__enter__()
    try:
        base = server.base_url
        paths = requests.get(f"{base}/api/openapi.json", timeout=10).json()["paths"]
        assert "/chat-state-sessions" in paths, "chat-state (API.md) is not served: renamed?"
        writers = []
        for i in range(WRITERS):
            account = {"email": f"crash{i}@example.com", "password": "crash-password"}
            r = requests.post(f"{base}/api/auth/register", json=account, timeout=10)
            token = r.json()["data"]["accessToken"]
            writers.append(Writer(i, {"Authorization": f"Bearer {token}"}, f"crash-writer-{i}"))

        killed, totals = 0, {}
        for _ in range(ROUNDS):
            stop = threading.Event()
            with ThreadPoolExecutor(WRITERS) as pool:
                futures = [pool.submit(_write, base, w, stop) for w in writers]
                time.sleep(LOAD_SECONDS)
                killed += len(server.kill9())  # mid-load: requests are in flight
                stop.set()
                for future in futures:
                    future.result(timeout=60)
            server = Gunicorn(env, artifacts / "gunicorn.log").__enter__()
            base = server.base_url
            totals = _audit(base, writers)
    finally:
        server.stop()

    acked = sum(w.message_acks for w in writers) + sum(w.chat_acks for w in writers)
    assert acked > 50, f"the load acknowledged only {acked} writes"
    assert totals["acked_writes"] == acked
    sent = sum(w.chat_sent_seq + 1 for w in writers) + sum(
        len(messages) for w in writers for messages in w.sessions.values()
    )
    record(
        "crash",
        writes_cut_off_by_kill=sent - acked,
        rounds=ROUNDS,
        processes_killed=killed,
        acknowledged_writes_checked=acked,
        chat_state_upserts_acked=sum(w.chat_acks for w in writers),
        roleplay_messages_acked=sum(w.message_acks for w in writers),
        chat_state_records=totals["chat_state_records"],
        roleplay_sessions=totals["roleplay_sessions"],
        chat_state_part_ran=True,
    )
