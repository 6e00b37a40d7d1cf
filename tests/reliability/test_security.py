"""Attacks on auth and on the request parser: forged, stale and misused tokens, other users' data.

Every protected operation of the served OpenAPI document is attacked, so a new endpoint is
covered the day it lands.
"""

from __future__ import annotations

import pytest

from tests.conftest import TEST_SECRET
from tests.reliability import tokens
from tests.reliability.operations import VALID_BODIES, Operation, call, operations
from tests.reliability.st_hooks import leaks_in

pytestmark = pytest.mark.reliability


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_refused(response, op: Operation, status: int = 401, code: str = "unauthorized"):
    body = response.get_json()
    assert response.status_code == status, (str(op), response.status_code, body)
    assert body["success"] is False and body["error"]["code"] == code, (str(op), body)
    assert not leaks_in(response.get_data(as_text=True), (TEST_SECRET,)), (str(op), body)


def protected(client, *, refresh: bool | None = None) -> list[Operation]:
    ops = [op for op in operations(client) if op.bearer]
    assert ops, "the document marks no operation as needing a token"
    if refresh is None:
        return ops
    return [op for op in ops if (op.path == "/api/auth/refresh") == refresh]


def test_every_protected_operation_needs_a_token(client):
    for op in protected(client):
        assert_refused(call(client, op), op)
        assert_refused(call(client, op, headers={"Authorization": "Bearer"}), op)
        assert_refused(call(client, op, headers={"Authorization": "Basic dXNlcjpwdw=="}), op)
        assert_refused(call(client, op, headers=bearer("not.a.jwt")), op)


@pytest.mark.parametrize("forge", ["alg_none", "tampered", "expired", "other_key"])
def test_forged_tokens_are_refused_everywhere(client, register, forge):
    victim, attacker = register(), register()
    real = attacker["refreshToken"] if forge == "tampered" else attacker["accessToken"]
    victim_id = victim["user"]["id"]
    forged = {
        "alg_none": lambda: tokens.alg_none(victim_id),
        "tampered": lambda: tokens.tampered(real, victim_id),
        "expired": lambda: tokens.expired(TEST_SECRET, victim_id),
        "other_key": lambda: tokens.signed_by_other_key(victim_id),
    }[forge]
    for op in protected(client):
        assert_refused(call(client, op, headers=bearer(forged())), op)


def test_tampered_access_token_is_refused(client, register):
    victim, attacker = register(), register()
    forged = tokens.tampered(attacker["accessToken"], victim["user"]["id"])
    for op in protected(client):
        assert_refused(call(client, op, headers=bearer(forged)), op)


def test_revoked_tokens_are_refused_everywhere(client, register):
    user = register()
    assert client.post("/api/auth/logout", headers=user["headers"]).status_code == 200
    refresh = bearer(user["refreshToken"])
    assert client.post("/api/auth/logout", headers=refresh).status_code == 200
    for op in protected(client, refresh=False):
        assert_refused(call(client, op, headers=user["headers"]), op)
    for op in protected(client, refresh=True):
        assert_refused(call(client, op, headers=refresh), op)


def test_refresh_token_is_not_an_access_token(client, register):
    user = register()
    for op in protected(client, refresh=False):
        if op.path == "/api/auth/logout":
            continue  # logout takes either kind, by contract
        assert_refused(call(client, op, headers=bearer(user["refreshToken"])), op)
    for op in protected(client, refresh=True):
        assert_refused(call(client, op, headers=user["headers"]), op)


def test_token_of_a_deleted_user_acts_for_no_one(client, register, app):
    """The token still verifies (no per-request user lookup), but nothing is read or written.

    /me answers 404 by the foundation's choice; starting a session hits the foreign key (409).
    """
    import sqlalchemy as sa

    from roleplay_api.extensions import db
    from roleplay_api.models import RoleplaySession, User

    user = register()
    with app.app_context():
        db.session.delete(db.session.get(User, user["user"]["id"]))
        db.session.commit()
    for op in protected(client):
        if op.path in ("/api/auth/logout", "/api/training/roleplay/scenarios"):
            continue  # revoking a token, or reading the shared scenario library, is harmless
        token = user["refreshToken"] if op.path == "/api/auth/refresh" else user["accessToken"]
        response = call(client, op, headers=bearer(token))
        allowed = (200, 401, 404) if op.method == "get" else (401, 404, 409)  # empty reads are fine
        assert response.status_code in allowed, (str(op), response.get_json())
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(RoleplaySession)) == 0


def test_another_users_session_is_404_on_every_endpoint(client, register):
    owner, other = register(), register()
    ops = [op for op in operations(client) if op.bearer and "session_id" in op.params]
    if not ops:
        pytest.skip("no roleplay session endpoints on this branch yet")
    started = client.post(
        "/api/training/roleplay/start",
        json=VALID_BODIES[("post", "/api/training/roleplay/start")],
        headers=owner["headers"],
    )
    assert started.status_code == 201, started.get_json()
    session_id = started.get_json()["data"]["sessionId"]
    for op in ops:
        response = call(client, op, op.url(session_id=session_id), headers=other["headers"])
        assert_refused(response, op, 404, "not_found")
    # Nor does it show up in the other user's list or stats, and it was not changed.
    listed = client.get("/api/training/roleplay/sessions", headers=other["headers"]).get_json()
    assert listed["data"]["total"] == 0 and listed["data"]["sessions"] == []
    stats = client.get("/api/training/roleplay/stats", headers=other["headers"]).get_json()
    assert stats["data"]["totalSessions"] == 0
    mine = client.get(f"/api/training/roleplay/sessions/{session_id}", headers=owner["headers"])
    assert mine.status_code == 200 and len(mine.get_json()["data"]["messages"]) == 0
