"""The chat-state section of API.md: the source document's examples, statuses, versions, ETags."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from roleplay_api.extensions import db
from roleplay_api.models import ChatStateSession

URL = "/chat-state-sessions"
STATE = '{"messages": [], "currentStep": "language"}'
RECORD_KEYS = {
    "session_id",
    "user_session_id",
    "chat_state",
    "last_activity",
    "created_at",
    "updated_at",
    "version",
}


def error_of(response, status, code):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    return body["error"]


def save(client, key="session_12345", state=STATE, **extra):
    return client.post(URL, json={"user_session_id": key, "chat_state": state, **extra})


def stored(app, key):
    with app.app_context():
        db.session.remove()
        return db.session.scalar(
            db.select(ChatStateSession).where(ChatStateSession.user_session_id == key)
        )


def count(app):
    with app.app_context():
        db.session.remove()
        return db.session.scalar(db.select(db.func.count()).select_from(ChatStateSession))


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


@pytest.mark.parametrize("tag", ['W/"1"', "1", '"01"', '"one"', "", '"1', '"99999999999"'])
def test_weak_or_malformed_if_match_never_matches(client, app, tag):
    save(client, "weak")
    response = client.put(f"{URL}/weak", json={"chat_state": "[9]"}, headers={"If-Match": tag})
    error_of(response, 412, "precondition_failed")
    error_of(client.delete(f"{URL}/weak", headers={"If-Match": tag}), 412, "precondition_failed")
    error_of(save_if(client, "weak", tag), 412, "precondition_failed")
    assert stored(app, "weak").version == 1


def save_if(client, key, tag, state="[5]"):
    return client.post(
        URL, json={"user_session_id": key, "chat_state": state}, headers={"If-Match": tag}
    )


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


# ---- validation: every failure is a 4xx in the envelope and changes nothing ----------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"chat_state": STATE}, "user_session_id"),
        ({"user_session_id": "k"}, "chat_state"),
        ({"user_session_id": "", "chat_state": STATE}, "user_session_id"),
        ({"user_session_id": "a" * 256, "chat_state": STATE}, "user_session_id"),
        ({"user_session_id": "has space", "chat_state": STATE}, "user_session_id"),
        ({"user_session_id": "slash/id", "chat_state": STATE}, "user_session_id"),
        ({"user_session_id": "trailing\n", "chat_state": STATE}, "user_session_id"),
        ({"user_session_id": "ünï", "chat_state": STATE}, "user_session_id"),
        ({"user_session_id": 12345, "chat_state": STATE}, "user_session_id"),
        ({"user_session_id": "k", "chat_state": {"messages": []}}, "chat_state"),
        ({"user_session_id": "k", "chat_state": 42}, "chat_state"),
        ({"user_session_id": "k", "chat_state": None}, "chat_state"),
        ({"user_session_id": "k", "chat_state": "not json"}, "chat_state"),
        ({"user_session_id": "k", "chat_state": ""}, "chat_state"),
        ({"user_session_id": "k", "chat_state": '{"a": NaN}'}, "chat_state"),
        ({"user_session_id": "k", "chat_state": "{}\x00"}, "chat_state"),
        (
            {"user_session_id": "k", "chat_state": "{}", "last_activity": "2025-10-02T10:00:00"},
            "last_activity",
        ),
        (
            {"user_session_id": "k", "chat_state": "{}", "last_activity": "2025-10-02"},
            "last_activity",
        ),
        (
            {"user_session_id": "k", "chat_state": "{}", "last_activity": "yesterday"},
            "last_activity",
        ),
        (
            {"user_session_id": "k", "chat_state": "{}", "last_activity": 1727863200},
            "last_activity",
        ),
        ({"user_session_id": "k", "chat_state": "{}", "last_activity": None}, "last_activity"),
        (
            {
                "user_session_id": "k",
                "chat_state": "{}",
                "last_activity": "0001-01-01T00:00:00+01:00",
            },
            "last_activity",
        ),
    ],
)
def test_post_rejects_bad_fields(client, app, body, field):
    error = error_of(client.post(URL, json=body), 400, "validation_error")
    assert field in error["details"]
    assert count(app) == 0


def test_valid_id_characters_and_length(client):
    key = "Aa0_-.:" + "x" * 248
    assert len(key) == 255
    assert save(client, key).status_code == 201
    assert client.get(f"{URL}/{key}").status_code == 200


@pytest.mark.parametrize("path", ["has%20space", "a" * 256, "a%2Fb", "ünï", "bad%00id", "x%0A"])
def test_bad_path_id_is_400_not_404(client, path):
    for response in (
        client.get(f"{URL}/{path}"),
        client.put(f"{URL}/{path}", json={"chat_state": "{}"}),
        client.delete(f"{URL}/{path}"),
    ):
        error = error_of(response, 400, "validation_error")
        assert "user_session_id" in error["details"]


def test_put_rejects_bad_body_and_changes_nothing(client, app):
    save(client, "pb")
    for body in ({}, {"chat_state": "nope"}, {"chat_state": "{}", "last_activity": "noon"}):
        error_of(client.put(f"{URL}/pb", json=body), 400, "validation_error")
    assert stored(app, "pb").version == 1
    assert stored(app, "pb").chat_state == STATE


def test_chat_state_size_limit_is_413(make_app):
    app = make_app(CHAT_STATE_MAX_BYTES=64)
    client = app.test_client()
    fits = json.dumps({"t": "x" * 55})
    assert len(fits) == 64
    assert save(client, "big", fits).status_code == 201
    # 40 two-byte characters: 49 characters of text but 89 bytes of UTF-8.
    over = json.dumps({"t": "é" * 40}, ensure_ascii=False)
    assert len(over) <= 64 < len(over.encode())
    error_of(save(client, "big", over), 413, "payload_too_large")
    error_of(client.put(f"{URL}/big", json={"chat_state": over}), 413, "payload_too_large")
    assert client.get(f"{URL}/big").get_json()["chat_state"] == fits


def test_default_size_limit_is_one_mebibyte(client):
    filler = "x" * (1024 * 1024 - 9)
    fits = json.dumps({"a": filler})
    assert len(fits) == 1024 * 1024
    assert save(client, "mib", fits).status_code == 201
    error_of(save(client, "mib", json.dumps({"ab": filler})), 413, "payload_too_large")


def test_non_json_and_malformed_bodies(client):
    response = client.post(URL, data="user_session_id=x", content_type="text/plain")
    error_of(response, 415, "unsupported_media_type")
    response = client.post(URL, data='{"user_session_id": ', content_type="application/json")
    error_of(response, 400, "validation_error")
    response = client.post(URL, data="[]", content_type="application/json")
    error_of(response, 400, "validation_error")


def test_wrong_method_is_405(client):
    response = client.delete(URL)
    error_of(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


# ---- access ----------------------------------------------------------------------------------


def test_open_by_default(client):
    assert save(client, "open").status_code == 201
    assert client.get(f"{URL}/open", headers={"X-API-Key": "anything"}).status_code == 200


def test_api_keys_when_configured(make_app):
    client = make_app(CHAT_STATE_API_KEYS=["k1", "k2"]).test_client()
    body = {"user_session_id": "locked", "chat_state": "{}"}
    error_of(client.post(URL, json=body), 401, "unauthorized")
    error_of(client.post(URL, json=body, headers={"X-API-Key": ""}), 401, "unauthorized")
    for wrong in ("k3", "k", "k1k2", "K1", "ключ"):
        error_of(client.post(URL, json=body, headers={"X-API-Key": wrong}), 403, "forbidden")
    assert client.post(URL, json=body, headers={"X-API-Key": "k1"}).status_code == 201
    assert client.get(f"{URL}/locked", headers={"X-API-Key": "k2"}).status_code == 200
    error_of(client.get(f"{URL}/locked"), 401, "unauthorized")
    error_of(client.get(f"{URL}/locked", headers={"X-API-Key": "no"}), 403, "forbidden")
    error_of(client.put(f"{URL}/locked", json={"chat_state": "[]"}), 401, "unauthorized")
    error_of(client.delete(f"{URL}/locked", headers={"X-API-Key": "no"}), 403, "forbidden")
    assert client.delete(f"{URL}/locked", headers={"X-API-Key": "k2"}).status_code == 204


def test_openapi_documents_every_operation(client):
    spec = client.get("/api/openapi.json").get_json()
    one = spec["paths"]["/chat-state-sessions/{user_session_id}"]
    assert {"get", "put", "delete"} <= set(one)
    assert set(spec["paths"]["/chat-state-sessions"]) >= {"post"}
    path_param = next(p for p in one["parameters"] if p["in"] == "path")
    assert path_param["schema"]["pattern"] == r"^[A-Za-z0-9_\-.:]{1,255}$"
    post = spec["paths"]["/chat-state-sessions"]["post"]
    assert {"200", "201", "400", "401", "403", "412", "413"} <= set(post["responses"])
    assert any(p["name"] == "If-Match" for p in post["parameters"])
    assert "204" in one["delete"]["responses"]
    assert "ETag" in one["get"]["responses"]["200"]["headers"]
