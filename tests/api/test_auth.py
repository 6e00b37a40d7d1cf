"""The auth section of API.md: register, login, refresh, logout, me."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import jwt as pyjwt
import pytest

from roleplay_api.extensions import db
from roleplay_api.models import User


def error_of(response):
    body = response.get_json()
    assert body["success"] is False
    return body["error"]


def test_register_returns_user_and_tokens(client):
    response = client.post(
        "/api/auth/register", json={"email": "Ann@Example.com", "password": "s3cret-pass"}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["success"] is True
    user = body["data"]["user"]
    assert user["email"] == "ann@example.com"
    assert isinstance(user["id"], int)
    assert datetime.fromisoformat(user["createdAt"]).utcoffset() == timedelta(0)
    assert body["data"]["accessToken"] and body["data"]["refreshToken"]


def test_password_is_stored_only_as_a_salted_hash(app, register):
    register("a@example.com", "same-password")
    register("b@example.com", "same-password")
    with app.app_context():
        hashes = [u.password_hash for u in db.session.scalars(db.select(User))]
    assert all("same-password" not in h for h in hashes)
    assert hashes[0] != hashes[1]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": "longenough"}, "email"),
        ({"email": "x@example.com"}, "password"),
        ({"email": "not-an-email", "password": "longenough"}, "email"),
        ({"email": "x@example.com", "password": "short"}, "password"),
        ({"email": "x@example.com", "password": 12345678}, "password"),
        ({"email": "x@example.com", "password": "nul\x00in-password"}, "password"),
    ],
)
def test_register_rejects_bad_fields(client, body, field):
    response = client.post("/api/auth/register", json=body)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert field in error["details"]
    assert field in error["message"]


def test_register_same_email_any_case_is_409(client, register):
    register("dup@example.com")
    response = client.post(
        "/api/auth/register", json={"email": "DUP@example.COM", "password": "another-pass"}
    )
    assert response.status_code == 409
    assert error_of(response)["code"] == "email_taken"


def test_login_with_any_case_email(client, register):
    register("case@example.com", "s3cret-pass")
    response = client.post(
        "/api/auth/login", json={"email": "CASE@example.com", "password": "s3cret-pass"}
    )
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["user"]["email"] == "case@example.com"
    assert data["accessToken"] and data["refreshToken"]


def test_wrong_password_and_unknown_email_get_the_same_401(client, register):
    register("who@example.com", "s3cret-pass")
    wrong = client.post(
        "/api/auth/login", json={"email": "who@example.com", "password": "nope-nope"}
    )
    unknown = client.post("/api/auth/login", json={"email": "no@example.com", "password": "x" * 9})
    assert wrong.status_code == unknown.status_code == 401
    assert error_of(wrong) == error_of(unknown)
    assert error_of(wrong)["code"] == "unauthorized"


def test_me_returns_the_caller(client, register):
    user = register("me@example.com")
    response = client.get("/api/auth/me", headers=user["headers"])
    assert response.status_code == 200
    assert response.get_json() == {
        "success": True,
        "data": {
            "id": user["user"]["id"],
            "email": "me@example.com",
            "createdAt": user["user"]["createdAt"],
        },
    }


def test_refresh_gives_a_working_access_token(client, register):
    user = register()
    response = client.post(
        "/api/auth/refresh", headers={"Authorization": f"Bearer {user['refreshToken']}"}
    )
    assert response.status_code == 200
    token = response.get_json()["data"]["accessToken"]
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


def test_access_token_cannot_refresh_and_refresh_token_cannot_access(client, register):
    user = register()
    refresh = client.post("/api/auth/refresh", headers=user["headers"])
    assert refresh.status_code == 401
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {user['refreshToken']}"})
    assert me.status_code == 401
    assert error_of(me)["code"] == "unauthorized"


def test_logout_revokes_the_access_token(client, register):
    user = register()
    assert client.post("/api/auth/logout", headers=user["headers"]).status_code == 200
    response = client.get("/api/auth/me", headers=user["headers"])
    assert response.status_code == 401
    assert error_of(response)["message"] == "Token has been revoked"


def test_logout_with_refresh_token_revokes_it(client, register):
    user = register()
    refresh_headers = {"Authorization": f"Bearer {user['refreshToken']}"}
    assert client.post("/api/auth/logout", headers=refresh_headers).status_code == 200
    assert client.post("/api/auth/refresh", headers=refresh_headers).status_code == 401
    # The access token was not revoked by that.
    assert client.get("/api/auth/me", headers=user["headers"]).status_code == 200


def test_revocation_holds_for_another_app_instance(make_app, register, client):
    """A logout is stored in the database, so a fresh process refuses the token too."""
    user = register()
    client.post("/api/auth/logout", headers=user["headers"])
    other = make_app().test_client()
    assert other.get("/api/auth/me", headers=user["headers"]).status_code == 401


def _token(app, user_id, *, key=None, algorithm="HS256", **claims):
    now = datetime.now(UTC)
    payload = {
        "sub": str(user_id),
        "jti": "test-jti",
        "type": "access",
        "fresh": False,
        "iat": now,
        "nbf": now,
        "exp": now + timedelta(minutes=5),
        **claims,
    }
    return pyjwt.encode(payload, key or app.config["JWT_SECRET_KEY"], algorithm=algorithm)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, "Missing or malformed Authorization header"),
        ("Bearer", "Invalid token"),
        ("Basic dXNlcjpwYXNz", "Missing or malformed Authorization header"),
        ("Bearer not.a.jwt", "Invalid token"),
        ("Bearer garbage", "Invalid token"),
    ],
)
def test_bad_authorization_headers_get_401(client, header, message):
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401
    assert error_of(response) == {"code": "unauthorized", "message": message}


def test_expired_token_gets_401(app, client, register):
    user = register()
    token = _token(app, user["user"]["id"], exp=datetime.now(UTC) - timedelta(seconds=5))
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert error_of(response)["message"] == "Token has expired"


def test_token_signed_with_another_key_gets_401(app, client, register):
    user = register()
    token = _token(app, user["user"]["id"], key="another-key-that-is-long-enough-for-hs256!")
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert error_of(response)["message"] == "Invalid token"


def test_unsigned_alg_none_token_gets_401(app, client, register):
    user = register()
    token = pyjwt.encode({"sub": str(user["user"]["id"]), "type": "access"}, None, algorithm="none")
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_tampered_payload_gets_401(app, client, register):
    victim = register()
    attacker = register()
    header, _, signature = attacker["accessToken"].split(".")
    forged = _token(app, victim["user"]["id"]).split(".")[1]
    response = client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {header}.{forged}.{signature}"}
    )
    assert response.status_code == 401


def test_token_of_a_deleted_user_cannot_read_me(app, client, register):
    user = register()
    with app.app_context():
        db.session.delete(db.session.get(User, user["user"]["id"]))
        db.session.commit()
    response = client.get("/api/auth/me", headers=user["headers"])
    assert response.status_code == 404


@pytest.mark.postgres_only
def test_fifty_concurrent_registrations_of_one_email(app):
    def attempt(_):
        with app.test_client() as c:
            response = c.post(
                "/api/auth/register", json={"email": "race@example.com", "password": "racing-pass"}
            )
            return response.status_code, response.get_json()

    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(attempt, range(50)))
    statuses = sorted(status for status, _ in results)
    assert statuses.count(201) == 1
    assert statuses.count(409) == 49
    assert all(body["error"]["code"] == "email_taken" for status, body in results if status == 409)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1
