"""Roleplay: the scenario library endpoint and starting a session (compat shape)."""

import re
from datetime import datetime, timedelta

import pytest

from roleplay_api.extensions import db
from roleplay_api.models import RoleplaySession, Scenario
from roleplay_api.services.scenarios import seed_scenarios
from tests.api.roleplay_support import BASE, WALKTHROUGH, data_of, error_of, start
from tests.contract import CONTRACT_SCENARIO_IDS


def seed(app):
    with app.app_context():
        seed_scenarios()


def stored_sessions(app):
    with app.app_context():
        return list(db.session.scalars(db.select(RoleplaySession)))


def test_scenarios_lists_the_seeded_library(app, client, auth_headers):
    seed(app)
    scenarios = data_of(client.get(f"{BASE}/scenarios", headers=auth_headers))["scenarios"]
    assert {s["id"] for s in scenarios} >= CONTRACT_SCENARIO_IDS
    for scenario in scenarios:
        assert set(scenario) >= {"id", "title", "description", "persona", "skills"}
        assert set(scenario["persona"]) == {"name", "openingLine"}
        assert scenario["persona"]["name"] and scenario["persona"]["openingLine"]
        assert isinstance(scenario["skills"], list)


def test_scenarios_empty_before_seeding(client, auth_headers):
    assert data_of(client.get(f"{BASE}/scenarios", headers=auth_headers)) == {"scenarios": []}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/scenarios"),
        ("post", "/start"),
        ("post", "/session_aaaaaaaaaaaaaaaaaaaaaa/message"),
        ("get", "/sessions"),
        ("get", "/sessions/session_aaaaaaaaaaaaaaaaaaaaaa"),
        ("get", "/stats"),
    ],
)
def test_every_endpoint_needs_a_token(client, method, path):
    response = getattr(client, method)(BASE + path, json={} if method == "post" else None)
    error_of(response, 401, "unauthorized")


def test_start_walkthrough_compat_shape(app, client, auth_headers):
    data = start(client, auth_headers)
    assert set(data) >= {
        "sessionId",
        "scenarioId",
        "scenarioTitle",
        "difficulty",
        "openingLine",
        "score",
        "maxExchanges",
        "isActive",
        "createdAt",
    }
    assert data["scenarioId"] == "test"
    assert data["scenarioTitle"] == "Test Scenario"
    assert data["difficulty"] == "BEGINNER"
    assert data["score"] == 0
    assert data["maxExchanges"] == 5
    assert data["isActive"] is True
    assert isinstance(data["openingLine"], str) and data["openingLine"]
    assert datetime.fromisoformat(data["createdAt"]).utcoffset() == timedelta(0)
    assert re.fullmatch(r"session_[A-Za-z0-9_-]{16,}", data["sessionId"])
    [session] = stored_sessions(app)
    assert session.session_id == data["sessionId"]
    assert session.messages == [] and session.message_count == 0
    assert session.completed_at is None and session.feedback is None
    assert session.coach_engine and session.rubric_version


def test_session_ids_are_random_not_sequential(client, auth_headers):
    ids = {start(client, auth_headers)["sessionId"] for _ in range(5)}
    assert len(ids) == 5
    assert all(len(i.removeprefix("session_")) >= 16 for i in ids)


def test_seeded_scenario_gets_its_own_persona(app, client, auth_headers):
    seed(app)
    data = start(client, auth_headers, scenarioId="spouse_decision", scenarioTitle="Spouse")
    with app.app_context():
        persona = db.session.get(Scenario, "spouse_decision").persona
    assert data["openingLine"] == persona["openingLine"]
    assert data["scenarioTitle"] == "Spouse"  # the client's title is kept as given


def test_unknown_scenario_gets_the_general_persona(app, client, auth_headers):
    seed(app)
    with app.app_context():
        general = db.session.get(Scenario, "general_objection").persona
    data = start(client, auth_headers, scenarioId="no_such_scenario")
    assert data["openingLine"] == general["openingLine"]
    assert data["scenarioId"] == "no_such_scenario"


def test_unknown_scenario_without_any_seed_still_starts(client, auth_headers):
    data = start(client, auth_headers, scenarioId="whatever")
    assert data["openingLine"]


@pytest.mark.parametrize("given", ["beginner", "Rookie", "pRo", "ELITE", "nightmare"])
def test_difficulty_is_case_insensitive_and_stored_upper(app, client, auth_headers, given):
    data = start(client, auth_headers, difficulty=given)
    assert data["difficulty"] == given.upper()
    assert stored_sessions(app)[0].difficulty == given.upper()


@pytest.mark.parametrize("field", ["scenarioId", "scenarioTitle", "difficulty"])
def test_each_missing_field_is_named(app, client, auth_headers, field):
    body = {k: v for k, v in WALKTHROUGH.items() if k != field}
    error = error_of(
        client.post(f"{BASE}/start", json=body, headers=auth_headers), 400, "validation_error"
    )
    assert set(error["details"]) == {field}
    assert f"{field} is required" in error["message"]
    assert stored_sessions(app) == []


def test_all_missing_fields_are_named_at_once(client, auth_headers):
    error = error_of(
        client.post(f"{BASE}/start", json={}, headers=auth_headers), 400, "validation_error"
    )
    assert set(error["details"]) == {"scenarioId", "scenarioTitle", "difficulty"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("difficulty", "EASY"),
        ("difficulty", ""),
        ("difficulty", 3),
        ("scenarioId", ""),
        ("scenarioId", "   "),
        ("scenarioId", "x" * 65),
        ("scenarioId", "bad\x00id"),
        ("scenarioId", None),
        ("scenarioTitle", ""),
        ("scenarioTitle", "t" * 201),
        ("scenarioTitle", ["Test"]),
    ],
)
def test_invalid_fields_are_400_and_store_nothing(app, client, auth_headers, field, value):
    response = client.post(f"{BASE}/start", json=WALKTHROUGH | {field: value}, headers=auth_headers)
    error = error_of(response, 400, "validation_error")
    assert field in error["details"]
    assert stored_sessions(app) == []


def test_longest_allowed_ids_and_titles(client, auth_headers):
    data = start(client, auth_headers, scenarioId="x" * 64, scenarioTitle="t" * 200)
    assert data["scenarioId"] == "x" * 64 and data["scenarioTitle"] == "t" * 200


def test_body_must_be_a_json_object(client, auth_headers):
    error_of(
        client.post(f"{BASE}/start", json=["x"], headers=auth_headers), 400, "validation_error"
    )
    response = client.post(
        f"{BASE}/start",
        data="{not json",
        headers=auth_headers | {"Content-Type": "application/json"},
    )
    error_of(response, 400, "validation_error")


def test_openapi_describes_the_roleplay_endpoints(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    expected = {
        "/api/training/roleplay/scenarios": "get",
        "/api/training/roleplay/start": "post",
        "/api/training/roleplay/{session_id}/message": "post",
        "/api/training/roleplay/sessions": "get",
        "/api/training/roleplay/sessions/{session_id}": "get",
        "/api/training/roleplay/stats": "get",
    }
    for path, method in expected.items():
        assert paths[path][method]["security"] == [{"bearerAuth": []}], path
    assert "201" in paths["/api/training/roleplay/start"]["post"]["responses"]
    params = {p["name"] for p in paths["/api/training/roleplay/sessions"]["get"]["parameters"]}
    assert params == {"limit", "offset", "status", "scenarioId", "difficulty"}


def test_unknown_scenario_before_any_seeding_gets_the_bundled_general_persona(client, auth_headers):
    from roleplay_api.services.scenarios import GENERAL_SCENARIO_ID, bundled_scenario

    general = bundled_scenario(GENERAL_SCENARIO_ID)["persona"]
    data = start(client, auth_headers, scenarioId="not_in_the_library")
    assert data["openingLine"] == general["openingLine"]
    assert data["personaName"] == general["name"]


def test_a_new_session_leaves_what_the_end_fills_as_sql_null(app, client, auth_headers):
    """feedback and completed_at are NULL until the last exchange, not JSON null."""
    session_id = start(client, auth_headers)["sessionId"]
    with app.app_context():
        row = db.session.execute(
            db.select(
                RoleplaySession.feedback.is_(None), RoleplaySession.completed_at.is_(None)
            ).where(RoleplaySession.session_id == session_id)
        ).one()
    assert tuple(row) == (True, True)
