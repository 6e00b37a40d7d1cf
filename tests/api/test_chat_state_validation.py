"""The chat-state section of API.md: validation, size limit, API keys and the OpenAPI document."""

import json

import pytest

from tests.api.chat_state_helpers import STATE, URL, count, error_of, save, stored

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
