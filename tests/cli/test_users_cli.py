"""`flask users ...`: create accounts and print tokens for operators."""

from roleplay_api.extensions import db
from roleplay_api.models import User


def test_create_user_then_login(runner, client):
    result = runner.invoke(args=["users", "create", "Ops@Example.com", "--password", "operator-pw"])
    assert result.exit_code == 0, result.output
    assert "ops@example.com" in result.output
    response = client.post(
        "/api/auth/login", json={"email": "ops@example.com", "password": "operator-pw"}
    )
    assert response.status_code == 200


def test_create_user_twice_fails_cleanly(runner, app):
    runner.invoke(args=["users", "create", "twice@example.com", "--password", "operator-pw"])
    result = runner.invoke(args=["users", "create", "TWICE@example.com", "--password", "other-pw1"])
    assert result.exit_code != 0
    assert "already exists" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_create_user_short_password(runner):
    result = runner.invoke(args=["users", "create", "short@example.com", "--password", "short"])
    assert result.exit_code != 0
    assert "at least 8" in result.output


def test_token_prints_a_usable_access_token(runner, client):
    runner.invoke(args=["users", "create", "tok@example.com", "--password", "operator-pw"])
    result = runner.invoke(args=["users", "token", "tok@example.com"])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["data"]["email"] == "tok@example.com"


def test_token_for_unknown_user(runner):
    result = runner.invoke(args=["users", "token", "ghost@example.com"])
    assert result.exit_code != 0
    assert "No user" in result.output
