"""Chat-state under concurrent requests: upserts never fail, If-Match lets exactly one win."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest

URL = "/chat-state-sessions"
WORKERS = 30


def run_together(app, request, n=WORKERS):
    """Call ``request(client, i)`` from ``n`` threads at once, each with its own test client."""
    barrier = Barrier(n)

    def one(i):
        client = app.test_client()
        barrier.wait(timeout=30)
        return request(client, i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(one, range(n)))


@pytest.mark.postgres_only
def test_parallel_upserts_of_one_new_key(app, client):
    def upsert(c, i):
        response = c.post(URL, json={"user_session_id": "race", "chat_state": f'{{"n": {i}}}'})
        return response.status_code, response.get_json()

    results = run_together(app, upsert)
    statuses = [status for status, _ in results]
    assert all(200 <= s < 300 for s in statuses), statuses
    assert statuses.count(201) == 1
    assert statuses.count(200) == WORKERS - 1
    assert sorted(body["version"] for _, body in results) == list(range(1, WORKERS + 1))
    assert len({body["session_id"] for _, body in results}) == 1
    final = client.get(f"{URL}/race")
    assert final.get_json()["version"] == WORKERS
    assert final.headers["ETag"] == f'"{WORKERS}"'


@pytest.mark.postgres_only
@pytest.mark.parametrize("method", ["put", "post"])
def test_parallel_writes_with_the_same_if_match_let_one_win(app, client, method):
    assert client.post(URL, json={"user_session_id": "cas", "chat_state": "{}"}).status_code == 201

    def write(c, i):
        body = {"chat_state": f'{{"writer": {i}}}'}
        if method == "post":
            response = c.post(
                URL, json={"user_session_id": "cas", **body}, headers={"If-Match": '"1"'}
            )
        else:
            response = c.put(f"{URL}/cas", json=body, headers={"If-Match": '"1"'})
        return response.status_code, response.get_json()

    results = run_together(app, write)
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] + [412] * (WORKERS - 1)
    (winner,) = [body for status, body in results if status == 200]
    assert all(body["error"]["code"] == "precondition_failed" for s, body in results if s == 412)
    final = client.get(f"{URL}/cas").get_json()
    assert final["version"] == 2
    assert final["chat_state"] == winner["chat_state"]


@pytest.mark.postgres_only
def test_parallel_deletes_delete_once(app, client):
    assert client.post(URL, json={"user_session_id": "gone", "chat_state": "{}"}).status_code == 201
    statuses = run_together(app, lambda c, i: c.delete(f"{URL}/gone").status_code, n=10)
    assert sorted(statuses) == [204] + [404] * 9


def test_parallel_upserts_never_fail_on_either_database(app, client):
    def upsert(c, i):
        return c.post(URL, json={"user_session_id": "both", "chat_state": "[]"}).status_code

    statuses = run_together(app, upsert, n=8)
    assert sorted(statuses) == [200] * 7 + [201]
    assert client.get(f"{URL}/both").get_json()["version"] == 8
