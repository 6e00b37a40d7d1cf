"""Roleplay: concurrent messages to one session are serialized (none lost, none twice)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
import sqlalchemy as sa

from roleplay_api.extensions import db
from roleplay_api.models import RoleplaySession
from tests.api.roleplay_support import BASE, start

PARALLEL = 20


def fire(app, headers, session_id, count=PARALLEL):
    """``count`` messages at once, each thread with its own client; returns the responses."""
    barrier = Barrier(count)

    def one(n):
        client = app.test_client()
        barrier.wait(timeout=10)
        response = client.post(
            f"{BASE}/{session_id}/message", json={"message": f"Parallel {n}"}, headers=headers
        )
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def stored(app, session_id):
    with app.app_context():
        return db.session.scalar(
            sa.select(RoleplaySession).where(RoleplaySession.session_id == session_id)
        )


@pytest.mark.postgres_only
def test_twenty_parallel_messages_give_exactly_five_exchanges(app, client, auth_headers):
    session_id = start(client, auth_headers)["sessionId"]
    results = fire(app, auth_headers, session_id)

    ok = [body["data"] for status, body in results if status == 200]
    refused = [body["error"]["code"] for status, body in results if status != 200]
    assert len(ok) == 5
    assert refused == ["session_ended"] * (PARALLEL - 5)
    assert all(status in (200, 409) for status, _ in results)
    # Each success saw the one before it: running totals are the prefix sums of the awards.
    ok.sort(key=lambda d: d["exchange"])
    awards = [d["scoreAwarded"] for d in ok]
    assert [d["totalScore"] for d in ok] == [sum(awards[: n + 1]) for n in range(5)]
    assert [d["sessionEnded"] for d in ok].count(True) == 1

    session = stored(app, session_id)
    assert len(session.messages) == session.message_count == 10
    assert [m["role"] for m in session.messages] == ["user", "assistant"] * 5
    assert session.score == sum(awards)
    assert [m["score"] for m in session.messages if m["role"] == "user"] == awards
    contents = [m["content"] for m in session.messages if m["role"] == "user"]
    assert len(set(contents)) == 5  # five different messages, none stored twice
    assert session.completed_at is not None


def test_parallel_messages_never_exceed_five_on_any_database(app, client, auth_headers):
    """SQLite has no row locks: a racing write is judged again, so the outcome is the same."""
    session_id = start(client, auth_headers)["sessionId"]
    results = fire(app, auth_headers, session_id, count=8)
    ok = [body["data"] for status, body in results if status == 200]
    codes = [body["error"]["code"] for status, body in results if status != 200]
    assert len(ok) == 5
    assert codes == ["session_ended"] * 3
    session = stored(app, session_id)
    assert len(session.messages) == 10
    assert session.score == sum(d["scoreAwarded"] for d in ok)
