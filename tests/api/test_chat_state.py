"""The chat-state section of API.md: the source document's examples, versions, ETags, If-Match."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.api.chat_state_helpers import (
    RECORD_KEYS,
    STATE,
    URL,
    count,
    error_of,
    save,
    save_if,
    stored,
)

# ---- the source document's examples ----------------------------------------------------------


def test_document_curl_create_then_get(client):
    # curl -X POST .../chat-state-sessions -H "Content-Type: application/json" -d '{...}'
    body = (
        '{\n    "user_session_id": "test_session_123",\n'
        '    "chat_state": "{\\"messages\\": [], \\"currentStep\\": \\"language\\"}",\n'
        '    "last_activity": "2025-10-02T10:00:00Z"\n  }'
    )
    response = client.post(URL, data=body, content_type="application/json")
    assert response.status_code == 201
    record = response.get_json()
    assert set(record) == RECORD_KEYS
    assert record["user_session_id"] == "test_session_123"
    assert record["chat_state"] == STATE
    assert record["last_activity"] == "2025-10-02T10:00:00+00:00"
    assert record["version"] == 1
    assert response.headers["ETag"] == '"1"'

    # curl http://localhost:3000/chat-state-sessions/test_session_123
    response = client.get(f"{URL}/test_session_123")
    assert response.status_code == 200
    assert response.get_json() == {
        "chat_state": STATE,
        "last_activity": "2025-10-02T10:00:00+00:00",
        "version": 1,
        "updated_at": record["updated_at"],
        "expires_at": None,
    }
    assert response.headers["ETag"] == '"1"'


def test_document_http_examples_in_order(client):
    response = save(client, last_activity="2025-10-02T10:00:00Z")
    assert response.status_code == 201
    response = client.get(f"{URL}/session_12345")
    assert response.get_json()["chat_state"] == STATE
    assert response.get_json()["last_activity"] == "2025-10-02T10:00:00+00:00"
    # The document's PUT example holds a literal "[...]", which is not JSON.
    literal = '{"messages": [...], "currentStep": "gender"}'
    error = error_of(
        client.put(f"{URL}/session_12345", json={"chat_state": literal}), 400, "validation_error"
    )
    assert "chat_state" in error["details"]
    assert client.get(f"{URL}/session_12345").get_json()["version"] == 1
    fixed = '{"messages": [], "currentStep": "gender"}'
    response = client.put(f"{URL}/session_12345", json={"chat_state": fixed})
    assert response.status_code == 200
    assert response.get_json()["chat_state"] == fixed
    assert response.get_json()["version"] == 2
    assert client.delete(f"{URL}/session_12345").status_code == 204
    error_of(client.get(f"{URL}/session_12345"), 404, "not_found")


# ---- upsert, versions, ETags ----------------------------------------------------------------


def test_post_creates_201_then_updates_200_and_counts_versions(client, app):
    first = save(client, "k1")
    assert first.status_code == 201
    for version in (2, 3):
        response = save(client, "k1", json.dumps({"step": version}))
        assert response.status_code == 200
        assert response.get_json()["version"] == version
        assert response.headers["ETag"] == f'"{version}"'
    record = response.get_json()
    assert record["session_id"] == first.get_json()["session_id"]
    assert record["created_at"] == first.get_json()["created_at"]
    assert record["updated_at"] > first.get_json()["updated_at"]
    assert count(app) == 1
    assert stored(app, "k1").version == 3


def test_record_shape_and_types(client):
    record = save(client, "shape").get_json()
    assert set(record) == RECORD_KEYS
    assert len(record["session_id"]) == 36
    for field in ("last_activity", "created_at", "updated_at"):
        assert datetime.fromisoformat(record[field]).utcoffset() == timedelta(0)


def test_last_activity_is_kept_when_given_and_set_when_not(client, app):
    given = save(client, "la", last_activity="2025-10-02T12:30:00+02:00").get_json()
    assert given["last_activity"] == "2025-10-02T10:30:00+00:00"
    assert stored(app, "la").last_activity == datetime(2025, 10, 2, 10, 30, tzinfo=UTC)
    before = datetime.now(UTC)
    updated = save(client, "la").get_json()
    assert before <= datetime.fromisoformat(updated["last_activity"]) <= datetime.now(UTC)
    put = client.put(f"{URL}/la", json={"chat_state": "{}", "last_activity": "2024-01-01T00:00Z"})
    assert put.get_json()["last_activity"] == "2024-01-01T00:00:00+00:00"
    put = client.put(f"{URL}/la", json={"chat_state": "{}"})
    assert datetime.fromisoformat(put.get_json()["last_activity"]) >= before


@pytest.mark.parametrize(
    "state",
    [
        '{"text": "héllo wörld ✓ 中文 עברית"}',
        '{"emoji": "😀🎉👩‍👩‍👧"}',
        '{"nul": "a\\u0000b"}',
        '  {"spacing" :[1 , 2.50,  1e3 ], "order": {"z": 1, "a": 2}}  ',
        '"just a string"',
        "null",
        '{"escaped": "\\ud83d\\ude00 \\n \\" \\\\"}',
        '{"cut_emoji": "\\ud83d", "huge": 1e400}',
    ],
)
def test_chat_state_is_returned_byte_for_byte(client, app, state):
    response = save(client, "bytes", state)
    assert response.status_code == 201
    assert response.get_json()["chat_state"] == state
    assert client.get(f"{URL}/bytes").get_json()["chat_state"] == state
    assert stored(app, "bytes").chat_state == state
    assert client.put(f"{URL}/bytes", json={"chat_state": state}).get_json()["chat_state"] == state


# ---- If-Match ----------------------------------------------------------------------------------


def test_put_with_current_if_match_wins_and_stale_gets_412(client, app):
    save(client, "im")
    response = client.put(f"{URL}/im", json={"chat_state": "[1]"}, headers={"If-Match": '"1"'})
    assert response.status_code == 200
    assert response.headers["ETag"] == '"2"'
    stale = client.put(f"{URL}/im", json={"chat_state": "[2]"}, headers={"If-Match": '"1"'})
    error_of(stale, 412, "precondition_failed")
    assert stored(app, "im").chat_state == "[1]"
    assert stored(app, "im").version == 2


@pytest.mark.parametrize("tag", ['W/"1"', '"01"', '"one"', '"99999999999"', 'W/"1", "0"'])
def test_weak_or_foreign_if_match_never_matches(client, app, tag):
    save(client, "weak")
    response = client.put(f"{URL}/weak", json={"chat_state": "[9]"}, headers={"If-Match": tag})
    error_of(response, 412, "precondition_failed")
    error_of(client.delete(f"{URL}/weak", headers={"If-Match": tag}), 412, "precondition_failed")
    error_of(save_if(client, "weak", tag), 412, "precondition_failed")
    assert stored(app, "weak").version == 1


@pytest.mark.parametrize("tag", ["1", "", '"1', "one", '"1",,"2"', "* , *"])
def test_malformed_if_match_is_400_and_changes_nothing(client, app, tag):
    save(client, "bad")
    for response in (
        client.put(f"{URL}/bad", json={"chat_state": "[9]"}, headers={"If-Match": tag}),
        client.delete(f"{URL}/bad", headers={"If-Match": tag}),
        save_if(client, "bad", tag),
    ):
        error = error_of(response, 400, "validation_error")
        assert "If-Match" in error["message"]
        assert "If-Match" in error["details"]
    assert stored(app, "bad").version == 1


def test_412_names_the_current_etag(client):
    save(client, "cur")
    client.put(f"{URL}/cur", json={"chat_state": "[1]"})
    for response in (
        client.put(f"{URL}/cur", json={"chat_state": "[2]"}, headers={"If-Match": '"1"'}),
        client.delete(f"{URL}/cur", headers={"If-Match": '"1"'}),
        save_if(client, "cur", '"1"'),
    ):
        error = error_of(response, 412, "precondition_failed")
        assert error["message"] == "If-Match does not match the current version"
        assert response.headers["ETag"] == '"2"'
        assert error["details"] == {"etag": '"2"', "version": 2}


def test_delete_answers_204_with_no_body_type(client):
    save(client, "gone")
    response = client.delete(f"{URL}/gone")
    assert response.status_code == 204
    assert response.data == b""
    assert "Content-Type" not in response.headers


def test_if_match_star_and_lists(client):
    save(client, "star")
    assert (
        client.put(f"{URL}/star", json={"chat_state": "[]"}, headers={"If-Match": "*"}).status_code
        == 200
    )
    response = client.put(
        f"{URL}/star", json={"chat_state": "[]"}, headers={"If-Match": '"7", "2"'}
    )
    assert response.status_code == 200
    assert response.get_json()["version"] == 3


def test_post_with_if_match(client, app):
    error_of(save_if(client, "absent", "*"), 412, "precondition_failed")
    error_of(save_if(client, "absent", '"1"'), 412, "precondition_failed")
    assert count(app) == 0
    save(client, "present")
    response = save_if(client, "present", '"1"')
    assert response.status_code == 200
    assert response.get_json()["version"] == 2
    error_of(save_if(client, "present", '"1"'), 412, "precondition_failed")
    assert save_if(client, "present", "*").get_json()["version"] == 3


def test_delete_with_if_match(client, app):
    save(client, "del")
    error_of(client.delete(f"{URL}/del", headers={"If-Match": '"2"'}), 412, "precondition_failed")
    assert count(app) == 1
    assert client.delete(f"{URL}/del", headers={"If-Match": '"1"'}).status_code == 204
    assert count(app) == 0


def test_absent_record_is_404_even_with_if_match(client):
    for headers in ({}, {"If-Match": '"1"'}, {"If-Match": "*"}):
        error_of(
            client.put(f"{URL}/nobody", json={"chat_state": "{}"}, headers=headers),
            404,
            "not_found",
        )
        error_of(client.delete(f"{URL}/nobody", headers=headers), 404, "not_found")
    error_of(client.get(f"{URL}/nobody"), 404, "not_found")
