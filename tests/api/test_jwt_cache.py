"""Verified tokens are remembered (CachingJWTManager), and nothing a check refused gets through."""

import time
from datetime import timedelta

from flask_jwt_extended import create_access_token

from roleplay_api.internals import CachingJWTManager
from roleplay_api.jwt_cache import VerifiedTokenCache

ME = "/api/auth/me"


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def message_of(response):
    return response.get_json()["error"]["message"]


def test_a_verified_token_is_remembered_and_still_checked_for_revocation(app, client, register):
    user = register()
    cache = app.extensions[CachingJWTManager.CACHE_EXTENSION]
    assert client.get(ME, headers=user["headers"]).status_code == 200
    assert cache.get(user["accessToken"]) is not None  # remembered
    assert client.post("/api/auth/logout", headers=user["headers"]).status_code == 200
    response = client.get(ME, headers=user["headers"])
    assert response.status_code == 401
    assert message_of(response) == "Token has been revoked"


def test_a_remembered_token_still_expires(make_app):
    app = make_app(JWT_DECODE_LEEWAY=0)
    client = app.test_client()
    body = {"email": "exp@example.com", "password": "pw-12345"}
    user = client.post("/api/auth/register", json=body).get_json()["data"]["user"]
    with app.app_context():
        token = create_access_token(identity=str(user["id"]), expires_delta=timedelta(seconds=2))
    assert client.get(ME, headers=bearer(token)).status_code == 200
    time.sleep(2.1)
    response = client.get(ME, headers=bearer(token))
    assert response.status_code == 401
    assert message_of(response) == "Token has expired"


def test_each_app_remembers_only_what_its_own_key_verified(make_app):
    first = make_app(JWT_SECRET_KEY="first-app-key-that-is-at-least-32-characters")
    second = make_app(JWT_SECRET_KEY="second-app-key-that-is-at-least-32-characters")
    body = {"email": "two-apps@example.com", "password": "pw-12345"}
    token = first.test_client().post("/api/auth/register", json=body).get_json()["data"]
    headers = bearer(token["accessToken"])
    assert first.test_client().get(ME, headers=headers).status_code == 200
    response = second.test_client().get(ME, headers=headers)
    assert response.status_code == 401
    assert message_of(response) == "Invalid token"


def test_a_refresh_token_is_no_access_token_even_when_remembered(client, register):
    user = register()
    refresh = bearer(user["refreshToken"])
    assert client.post("/api/auth/refresh", headers=refresh).status_code == 200
    assert client.get(ME, headers=refresh).status_code == 401


def test_the_cache_is_bounded_and_hands_out_copies():
    cache = VerifiedTokenCache(size=3)
    far = time.time() + 3600
    for number in range(5):
        cache.put(f"token-{number}", {"sub": str(number), "exp": far}, leeway=0)
    assert [cache.get(f"token-{n}") is not None for n in range(5)] == [
        False,
        False,
        True,
        True,
        True,
    ]
    claims = cache.get("token-4")
    claims["sub"] = "someone else"
    assert cache.get("token-4")["sub"] == "4"


def test_the_cache_forgets_what_expired_with_the_leeway():
    cache = VerifiedTokenCache()
    now = time.time()
    cache.put("late", {"exp": now - 5}, leeway=timedelta(seconds=10))  # inside the leeway
    cache.put("gone", {"exp": now - 5}, leeway=0)
    assert cache.get("late") is not None
    assert cache.get("gone") is None
