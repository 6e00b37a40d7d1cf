"""Per-record TTL: expires_at on every record, 404 the moment it passes, purged in batches."""

import time
from datetime import datetime, timedelta

import pytest

from roleplay_api.services import chat_state as records
from tests.api.chat_state_helpers import URL, count, error_of, save, stored_versions
from tests.api.test_chat_state_concurrency import run_together

MERGE = "application/merge-patch+json"


@pytest.fixture
def clock(monkeypatch):
    """Move the service's clock: clock.shift(seconds)."""

    class Clock:
        offset = timedelta()

        def shift(self, seconds):
            self.offset += timedelta(seconds=seconds)

        def set(self, when):
            self.offset = when - datetime.now(records.UTC)

    moved = Clock()
    real = records.now
    monkeypatch.setattr(records, "now", lambda: real() + moved.offset)
    return moved


def expires(record):
    return datetime.fromisoformat(record["expires_at"])


def test_ttl_sets_expires_at_and_a_write_without_one_clears_it(client):
    before = datetime.now(records.UTC)
    record = save(client, "t1", "{}", ttl_seconds=60).get_json()
    assert timedelta(seconds=59) < expires(record) - before < timedelta(seconds=61)
    assert client.get(f"{URL}/t1").get_json()["expires_at"] == record["expires_at"]
    assert client.put(f"{URL}/t1", json={"chat_state": "{}"}).get_json()["expires_at"] is None
    put = client.put(f"{URL}/t1", json={"chat_state": "{}", "ttl_seconds": 5}).get_json()
    assert put["expires_at"] is not None


def test_default_ttl_comes_from_configuration(make_app):
    client = make_app(CHAT_STATE_DEFAULT_TTL_SECONDS=30).test_client()
    record = save(client, "t2", "{}").get_json()
    assert expires(record) - datetime.fromisoformat(record["updated_at"]) == timedelta(seconds=30)
    longer = save(client, "t2", "{}", ttl_seconds=3600).get_json()
    assert expires(longer) - datetime.fromisoformat(longer["updated_at"]) == timedelta(hours=1)


@pytest.mark.parametrize("ttl", [0, -1, "5", 1.5, True, None, 10**12])
def test_bad_ttl_is_400_and_changes_nothing(client, ttl):
    save(client, "t3", "[1]")
    error_of(save(client, "t3", "[2]", ttl_seconds=ttl), 400, "validation_error")
    put = client.put(f"{URL}/t3", json={"chat_state": "[2]", "ttl_seconds": ttl})
    error_of(put, 400, "validation_error")
    assert client.get(f"{URL}/t3").get_json()["chat_state"] == "[1]"


def test_an_expired_record_is_absent_at_once_everywhere(client, clock):
    save(client, "t4", '{"a": 1}', ttl_seconds=60)
    save(client, "t4", '{"a": 2}', ttl_seconds=60)
    clock.shift(59)
    assert client.get(f"{URL}/t4").status_code == 200
    clock.shift(1)  # exactly expires_at: gone
    error_of(client.get(f"{URL}/t4"), 404, "not_found")
    error_of(client.get(f"{URL}/t4?version=1"), 404, "not_found")
    error_of(client.get(f"{URL}/t4/versions"), 404, "not_found")
    error_of(client.put(f"{URL}/t4", json={"chat_state": "{}"}), 404, "not_found")
    error_of(client.patch(f"{URL}/t4", data="{}", content_type=MERGE), 404, "not_found")
    error_of(client.post(f"{URL}/t4/restore", json={"version": 1}), 404, "not_found")
    error_of(client.delete(f"{URL}/t4"), 404, "not_found")
    error_of(client.post(URL, json={"user_session_id": "t4", "chat_state": "{}"},
                         headers={"If-Match": "*"}), 412, "precondition_failed")  # fmt: skip


def test_writing_an_expired_key_creates_a_new_record(client, app, clock):
    first = save(client, "t5", '{"old": 1}', ttl_seconds=10).get_json()
    save(client, "t5", '{"old": 2}', ttl_seconds=10)
    clock.shift(11)
    response = save(client, "t5", '{"new": 1}')
    assert response.status_code == 201
    record = response.get_json()
    assert record["version"] == 1
    assert record["session_id"] != first["session_id"]
    assert record["created_at"] != first["created_at"]
    assert record["expires_at"] is None
    assert stored_versions(app, "t5") == [1]
    assert client.get(f"{URL}/t5?version=1").get_json()["chat_state"] == '{"new": 1}'


def test_purge_deletes_expired_records_and_their_versions(app, client, runner, clock):
    for i in range(5):
        save(client, f"gone{i}", "{}", ttl_seconds=10)
    save(client, "later", "{}", ttl_seconds=1000)
    save(client, "never", "{}")
    clock.shift(11)
    dry = runner.invoke(args=["chat-state", "purge", "--dry-run"])
    assert "would delete 5 expired" in dry.output
    assert count(app) == 7
    result = runner.invoke(args=["chat-state", "purge"])
    assert result.exit_code == 0, result.output
    assert "deleted 5 expired" in result.output
    assert count(app) == 2
    assert stored_versions(app, "gone0") == []
    assert client.get(f"{URL}/later").status_code == 200


def test_purge_walks_batches(app, client, clock):
    from roleplay_api.services.chat_state_maintenance import purge_expired_chat_states

    for i in range(9):
        save(client, f"b{i}", "{}", ttl_seconds=5)
    clock.shift(6)
    with app.app_context():
        assert purge_expired_chat_states(batch_size=2) == 9
    assert count(app) == 0


@pytest.mark.postgres_only
def test_expiry_at_the_boundary_under_concurrent_writes(app, client):
    record = save(client, "edge", '{"old": true}', ttl_seconds=1).get_json()
    wait = (expires(record) - datetime.now(records.UTC)).total_seconds()
    time.sleep(max(wait, 0) + 0.05)

    def upsert(c, i):
        response = c.post(URL, json={"user_session_id": "edge", "chat_state": f'{{"n": {i}}}'})
        return response.status_code, response.get_json()

    results = run_together(app, upsert)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * (len(results) - 1) + [201]  # re-created exactly once
    assert sorted(body["version"] for _, body in results) == list(range(1, len(results) + 1))
    assert len({body["session_id"] for _, body in results}) == 1
    assert record["session_id"] not in {body["session_id"] for _, body in results}


@pytest.mark.postgres_only
def test_reads_flip_to_404_at_expiry_and_never_back(app, client):
    record = save(client, "flip", "{}", ttl_seconds=1).get_json()
    deadline = expires(record)

    def read_until_gone(c, i):
        seen = []
        while datetime.now(records.UTC) < deadline + timedelta(milliseconds=300):
            started = datetime.now(records.UTC)
            status = c.get(f"{URL}/flip").status_code
            seen.append((started, status))
        return seen

    for seen in run_together(app, read_until_gone, n=4):
        statuses = [status for _, status in seen]
        assert set(statuses) <= {200, 404}
        assert statuses == sorted(statuses)  # 200s, then 404s: never alive again
        assert all(status == 404 for started, status in seen if started >= deadline)
