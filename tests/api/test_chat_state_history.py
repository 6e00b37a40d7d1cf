"""Kept versions: list them, read one, restore one; DELETE and purge take them along."""

import json

import pytest

from tests.api.chat_state_helpers import URL, error_of, save
from tests.api.test_chat_state_concurrency import run_together


def write_versions(client, key, n):
    for i in range(1, n + 1):
        assert save(client, key, json.dumps({"step": i})).status_code in (200, 201)


def test_versions_list_newest_first_and_pages(client):
    write_versions(client, "h1", 4)
    body = client.get(f"{URL}/h1/versions").get_json()
    assert body["version"] == 4 and body["total"] == 4
    assert [v["version"] for v in body["versions"]] == [4, 3, 2, 1]
    assert set(body["versions"][0]) == {"version", "last_activity", "updated_at", "size"}
    assert body["versions"][0]["size"] == len(json.dumps({"step": 4}))
    page = client.get(f"{URL}/h1/versions?limit=2&offset=1").get_json()
    assert [v["version"] for v in page["versions"]] == [3, 2]
    assert page["total"] == 4
    error_of(client.get(f"{URL}/h1/versions?limit=0"), 400, "validation_error")
    error_of(client.get(f"{URL}/h1/versions?offset=-1"), 400, "validation_error")
    error_of(client.get(f"{URL}/nobody/versions"), 404, "not_found")


def test_only_the_last_n_are_kept(make_app):
    client = make_app(CHAT_STATE_HISTORY=3).test_client()
    write_versions(client, "h2", 6)
    body = client.get(f"{URL}/h2/versions").get_json()
    assert [v["version"] for v in body["versions"]] == [6, 5, 4]
    error_of(client.get(f"{URL}/h2?version=3"), 404, "not_found")
    assert json.loads(client.get(f"{URL}/h2?version=4").get_json()["chat_state"]) == {"step": 4}


def test_history_off_keeps_nothing_but_the_current_version_reads(make_app):
    client = make_app(CHAT_STATE_HISTORY=0).test_client()
    write_versions(client, "h3", 3)
    body = client.get(f"{URL}/h3/versions").get_json()
    assert body == {"user_session_id": "h3", "version": 3, "versions": [], "total": 0}
    assert client.get(f"{URL}/h3?version=3").status_code == 200
    error_of(client.get(f"{URL}/h3?version=2"), 404, "not_found")


def test_read_an_old_version(client):
    write_versions(client, "h4", 3)
    response = client.get(f"{URL}/h4?version=2")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    body = response.get_json()
    assert json.loads(body["chat_state"]) == {"step": 2}
    assert body["version"] == 2
    error_of(client.get(f"{URL}/h4?version=0"), 400, "validation_error")
    error_of(client.get(f"{URL}/h4?version=x"), 400, "validation_error")
    error_of(client.get(f"{URL}/h4?version=9"), 404, "not_found")


def test_restore_writes_a_new_version_equal_to_the_old_one(client):
    write_versions(client, "h5", 3)
    response = client.post(f"{URL}/h5/restore", json={"version": 1})
    assert response.status_code == 200, response.get_json()
    record = response.get_json()
    assert record["version"] == 4
    assert response.headers["ETag"] == '"4"'
    assert json.loads(record["chat_state"]) == {"step": 1}
    assert client.get(f"{URL}/h5").get_json()["chat_state"] == record["chat_state"]
    versions = client.get(f"{URL}/h5/versions").get_json()["versions"]
    assert [v["version"] for v in versions] == [4, 3, 2, 1]


def test_restore_honours_if_match_and_refuses_bad_input(client):
    write_versions(client, "h6", 2)
    error = error_of(
        client.post(f"{URL}/h6/restore", json={"version": 1}, headers={"If-Match": '"1"'}),
        412,
        "precondition_failed",
    )
    assert error["details"]["version"] == 2
    ok = client.post(f"{URL}/h6/restore", json={"version": 1}, headers={"If-Match": '"2"'})
    assert ok.status_code == 200
    for body in ({}, {"version": "1"}, {"version": 0}, {"version": 1.5}, [1]):
        error_of(client.post(f"{URL}/h6/restore", json=body), 400, "validation_error")
    error_of(client.post(f"{URL}/h6/restore", json={"version": 99}), 404, "not_found")
    error_of(client.post(f"{URL}/nobody/restore", json={"version": 1}), 404, "not_found")
    assert client.get(f"{URL}/h6").get_json()["version"] == 3


def test_delete_removes_the_history_and_a_new_record_starts_over(client, app):
    from tests.api.chat_state_helpers import stored_versions

    write_versions(client, "h7", 3)
    assert client.delete(f"{URL}/h7").status_code == 204
    assert stored_versions(app, "h7") == []
    write_versions(client, "h7", 1)
    assert [v["version"] for v in client.get(f"{URL}/h7/versions").get_json()["versions"]] == [1]


def test_patch_put_and_restore_are_recorded(client):
    save(client, "h8", '{"a": 1}')
    client.put(f"{URL}/h8", json={"chat_state": '{"a": 2}'})
    client.patch(f"{URL}/h8", data='{"b": 1}', content_type="application/merge-patch+json")
    client.post(f"{URL}/h8/restore", json={"version": 1})
    states = [
        json.loads(client.get(f"{URL}/h8?version={v}").get_json()["chat_state"])
        for v in (1, 2, 3, 4)
    ]
    assert states == [{"a": 1}, {"a": 2}, {"a": 2, "b": 1}, {"a": 1}]


@pytest.mark.postgres_only
def test_restore_under_concurrent_writes(make_app):
    app = make_app(CHAT_STATE_HISTORY=50)  # keeps every version this test writes
    client = app.test_client()
    write_versions(client, "busy", 3)  # version 1 is {"step": 1}

    def write_or_restore(c, i):
        if i % 5 == 0:
            response = c.post(f"{URL}/busy/restore", json={"version": 1})
        else:
            response = c.post(URL, json={"user_session_id": "busy", "chat_state": f'{{"w": {i}}}'})
        return i, response.status_code, response.get_json()

    results = run_together(app, write_or_restore, n=20)
    assert all(status == 200 for _, status, _ in results), results
    versions = sorted(body["version"] for _, _, body in results)
    assert versions == list(range(4, 24))  # every write got its own version, none lost
    for i, _, body in results:
        expected = {"step": 1} if i % 5 == 0 else {"w": i}
        assert json.loads(body["chat_state"]) == expected
        kept = client.get(f"{URL}/busy?version={body['version']}").get_json()
        assert json.loads(kept["chat_state"]) == expected


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("put", "versions", {"GET", "HEAD", "OPTIONS"}),
        ("delete", "versions", {"GET", "HEAD", "OPTIONS"}),
        ("get", "restore", {"POST", "OPTIONS"}),
        ("patch", "restore", {"POST", "OPTIONS"}),
    ],
)
def test_sub_resources_answer_405_with_their_own_methods(client, method, path, allow):
    save(client, "sub", "{}")
    response = client.open(f"{URL}/sub/{path}", method=method.upper(), json={"chat_state": "{}"})
    error_of(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) == allow
    options = client.options(f"{URL}/sub/{path}")
    assert set(options.headers["Allow"].split(", ")) == allow
    assert client.get(f"{URL}/sub").get_json()["version"] == 1
