"""PATCH /chat-state-sessions/{id}: JSON Merge Patch (RFC 7396), atomic, conditional."""

import json

import pytest

from tests.api.chat_state_helpers import RECORD_KEYS, URL, error_of, save
from tests.api.test_chat_state_concurrency import run_together

MERGE = "application/merge-patch+json"


def patch(client, key, body, headers=None, content_type=MERGE, query=""):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.patch(
        f"{URL}/{key}{query}", data=data, content_type=content_type, headers=headers or {}
    )


def state_of(client, key):
    return json.loads(client.get(f"{URL}/{key}").get_json()["chat_state"])


def test_patch_merges_removes_and_bumps_the_version(client):
    save(client, "p1", json.dumps({"a": 1, "b": {"c": 2, "d": 3}, "gone": True}))
    response = patch(client, "p1", {"b": {"c": 20, "d": None, "e": [1]}, "gone": None, "n": 5})
    assert response.status_code == 200, response.get_json()
    record = response.get_json()
    assert set(record) == RECORD_KEYS
    assert record["version"] == 2
    assert response.headers["ETag"] == '"2"'
    assert json.loads(record["chat_state"]) == {"a": 1, "b": {"c": 20, "e": [1]}, "n": 5}
    assert state_of(client, "p1") == {"a": 1, "b": {"c": 20, "e": [1]}, "n": 5}


def test_patch_honours_if_match(client):
    save(client, "p2", "{}")
    stale = patch(client, "p2", {"x": 1}, headers={"If-Match": '"7"'})
    error = error_of(stale, 412, "precondition_failed")
    assert error["details"] == {"etag": '"1"', "version": 1}
    assert state_of(client, "p2") == {}
    assert patch(client, "p2", {"x": 1}, headers={"If-Match": '"1"'}).status_code == 200
    assert patch(client, "p2", {"y": 1}, headers={"If-Match": "*"}).status_code == 200
    error_of(patch(client, "p2", {"y": 1}, headers={"If-Match": "3"}), 400, "validation_error")


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "application/json-patch+json"]
)
def test_patch_needs_the_merge_patch_type(client, content_type):
    save(client, "p3", "{}")
    error_of(
        patch(client, "p3", {"x": 1}, content_type=content_type), 415, "unsupported_media_type"
    )
    assert state_of(client, "p3") == {}


def test_patch_without_a_body_type_is_415(client):
    save(client, "p3b", "{}")
    error_of(client.patch(f"{URL}/p3b"), 415, "unsupported_media_type")


@pytest.mark.parametrize(
    "body", ["[1, 2]", '"text"', "null", "3", "", "{", "[{]", b"\xff\xfe", b'{"a": "\xe9"}']
)
def test_a_patch_that_is_not_a_json_object_is_400(client, body):
    save(client, "p4", '{"keep": 1}')
    error_of(patch(client, "p4", body), 400, "validation_error")
    assert state_of(client, "p4") == {"keep": 1}
    assert client.get(f"{URL}/p4").get_json()["version"] == 1


@pytest.mark.parametrize("stored", ["[1]", '"s"', "3", "null", "true"])
def test_a_stored_state_that_is_not_an_object_is_400(client, stored):
    save(client, "p5", stored)
    error = error_of(patch(client, "p5", {"x": 1}), 400, "validation_error")
    assert "not a JSON object" in error["message"]
    assert client.get(f"{URL}/p5").get_json()["chat_state"] == stored


def test_a_patch_past_the_size_limit_is_413_and_changes_nothing(make_app):
    app = make_app(CHAT_STATE_MAX_BYTES=100)
    client = app.test_client()
    save(client, "p6", '{"a": 1}')
    error_of(patch(client, "p6", {"big": "x" * 200}), 413, "payload_too_large")
    assert state_of(client, "p6") == {"a": 1}


def test_patch_of_an_absent_key_is_404_and_a_bad_id_400(client):
    error_of(patch(client, "nobody", {"x": 1}), 404, "not_found")
    error_of(patch(client, "bad%20id", {"x": 1}), 400, "validation_error")


def test_patch_sets_ttl_from_the_query(client):
    save(client, "p7", "{}")
    record = patch(client, "p7", {"x": 1}, query="?ttl_seconds=60").get_json()
    assert record["expires_at"] is not None
    error_of(patch(client, "p7", {"x": 1}, query="?ttl_seconds=0"), 400, "validation_error")
    error_of(patch(client, "p7", {"x": 1}, query="?ttl_seconds=x"), 400, "validation_error")


def test_patch_keeps_unicode_and_nested_nulls_out(client):
    save(client, "p8", '{"name": "Zoë"}')
    patch(client, "p8", {"new": {"a": None, "b": "日本"}})
    assert state_of(client, "p8") == {"name": "Zoë", "new": {"b": "日本"}}


@pytest.mark.postgres_only
def test_parallel_patches_of_different_keys_all_land(app, client):
    assert save(client, "merge", "{}").status_code == 201

    def add_key(c, i):
        response = patch(c, "merge", {f"k{i}": i})
        return response.status_code

    statuses = run_together(app, add_key)
    assert statuses == [200] * len(statuses)
    final = client.get(f"{URL}/merge").get_json()
    assert final["version"] == 1 + len(statuses)
    assert json.loads(final["chat_state"]) == {f"k{i}": i for i in range(len(statuses))}


def test_concurrent_patches_lose_nothing_on_either_database(app, client):
    assert save(client, "both", "{}").status_code == 201
    statuses = run_together(app, lambda c, i: patch(c, "both", {f"k{i}": i}).status_code, n=8)
    assert statuses == [200] * 8
    final = client.get(f"{URL}/both").get_json()
    assert final["version"] == 9
    assert json.loads(final["chat_state"]) == {f"k{i}": i for i in range(8)}
