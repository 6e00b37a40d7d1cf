"""The served OpenAPI document: valid, and what client generators and Swagger UI need."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from roleplay_api.difficulty import DIFFICULTIES
from roleplay_api.openapi import OPERATION_IDS, operations


@pytest.fixture(scope="module")
def spec():
    from roleplay_api.extensions import db
    from tests.conftest import build_app

    app = build_app("sqlite://")  # the document needs no database
    document = app.test_client().get("/api/openapi.json").get_json()
    with app.app_context():
        db.engine.dispose()
    return document


def test_the_document_validates(spec):
    validate(spec)  # raises with the first problem
    assert spec["openapi"].startswith("3.0")


def test_every_operation_has_a_verb_noun_operation_id(spec):
    ids = {(method, path): op.get("operationId") for method, path, op in operations(spec)}
    assert ids == OPERATION_IDS
    assert len(set(ids.values())) == len(ids)
    for operation_id in ids.values():
        assert operation_id.islower() and "_" in operation_id


def test_roleplay_operation_ids_read_like_the_walkthrough(spec):
    paths = spec["paths"]
    start = paths["/api/training/roleplay/start"]["post"]
    message = paths["/api/training/roleplay/{session_id}/message"]["post"]
    assert start["operationId"] == "start_roleplay_session"
    assert message["operationId"] == "send_roleplay_message"


def test_metrics_and_the_docs_themselves_are_not_operations(spec):
    assert "/metrics" not in spec["paths"]
    assert not any(path.startswith("/api/docs") for path in spec["paths"])


def test_servers_and_described_tags(spec):
    assert spec["servers"][0]["url"] == "/"
    tags = {tag["name"]: tag["description"] for tag in spec["tags"]}
    assert set(tags) == {"auth", "roleplay", "chat-state", "operations"}
    assert all(len(description) > 20 for description in tags.values())
    used = {tag for _, _, op in operations(spec) for tag in op["tags"]}
    assert used == set(tags)


def test_both_security_schemes_and_no_api_key_parameter(spec):
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == schemes["bearerAuth"] | {"type": "http", "scheme": "bearer"}
    assert schemes["apiKeyAuth"] == schemes["apiKeyAuth"] | {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
    for method, path, operation in operations(spec):
        parameters = operation.get("parameters", []) + spec["paths"][path].get("parameters", [])
        assert all(p.get("name", "").lower() != "x-api-key" for p in parameters), (method, path)
        if path.startswith("/chat-state-sessions"):
            assert operation["security"] == [{"apiKeyAuth": []}, {}]
        elif path.startswith(("/api/training", "/api/auth/me", "/api/auth/logout")):
            assert operation["security"] == [{"bearerAuth": []}]


def test_difficulty_is_one_enum_said_to_be_case_insensitive(spec):
    schemas = spec["components"]["schemas"]
    assert schemas["Difficulty"]["enum"] == list(DIFFICULTIES)
    assert "any letter case" in schemas["Difficulty"]["description"]
    ref = {"$ref": "#/components/schemas/Difficulty"}
    assert schemas["StartSession"]["properties"]["difficulty"] == ref
    assert schemas["SessionSummary"]["properties"]["difficulty"] == ref
    query = spec["paths"]["/api/training/roleplay/sessions"]["get"]["parameters"]
    assert next(p for p in query if p["name"] == "difficulty")["schema"] == ref


def test_lowercase_difficulty_is_still_accepted(client, auth_headers):
    response = client.post(
        "/api/training/roleplay/start",
        json={"scenarioId": "test", "scenarioTitle": "Test", "difficulty": "nightmare"},
        headers=auth_headers,
    )
    assert response.status_code == 201
    assert response.get_json()["data"]["difficulty"] == "NIGHTMARE"


def test_session_feedback_is_a_nullable_final_feedback(spec):
    feedback = spec["components"]["schemas"]["SessionDetail"]["properties"]["feedback"]
    assert feedback == {"allOf": [{"$ref": "#/components/schemas/FinalFeedback"}], "nullable": True}
    detail = spec["components"]["schemas"]["SessionDetail"]
    assert {"openingLine", "personaName"} <= set(detail["required"])


EXPECTED_ERRORS = {
    ("post", "/api/auth/register"): {"400", "409", "413", "415", "429", "503"},
    ("post", "/api/auth/login"): {"400", "401", "413", "415", "429", "503"},
    ("get", "/api/auth/me"): {"401", "429", "503"},
    ("post", "/api/training/roleplay/start"): {"400", "401", "413", "415", "429", "503"},
    ("post", "/api/training/roleplay/{session_id}/message"): {
        "400",
        "401",
        "404",
        "409",
        "413",
        "415",
        "429",
        "503",
    },
    ("get", "/api/training/roleplay/sessions"): {"400", "401", "429", "503"},
    ("get", "/api/training/roleplay/sessions/{session_id}"): {"401", "404", "429", "503"},
    ("put", "/chat-state-sessions/{user_session_id}"): {
        "400",
        "401",
        "403",
        "404",
        "412",
        "413",
        "415",
        "429",
        "503",
    },
    ("delete", "/chat-state-sessions/{user_session_id}"): {
        "400",
        "401",
        "403",
        "404",
        "412",
        "429",
        "503",
    },
    ("get", "/healthz"): set(),
    ("get", "/readyz"): {"503"},
}


@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED_ERRORS))
def test_errors_are_declared_where_they_happen(spec, method, path):
    responses = spec["paths"][path][method]["responses"]
    # 414 everywhere: gunicorn answers any request line over its limit (gunicorn_errors.py)
    assert {s for s in responses if s >= "400"} == EXPECTED_ERRORS[(method, path)] | {"414"}
    assert "default" not in responses


def test_every_error_has_the_envelope_and_an_example(spec):
    for method, path, operation in operations(spec):
        for status, response in operation["responses"].items():
            assert "X-Request-ID" in response["headers"], (method, path, status)
            if status < "400":
                continue
            content = response["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}
            example = content["example"]
            assert example["success"] is False and example["error"]["code"], (method, path)
            if status == "429":
                assert "Retry-After" in response["headers"]
            if status == "412":
                assert "ETag" in response["headers"]


def test_if_match_says_its_syntax(spec):
    put = spec["paths"]["/chat-state-sessions/{user_session_id}"]["put"]
    if_match = next(p for p in put["parameters"] if p["name"] == "If-Match")
    assert if_match["schema"]["pattern"].startswith("^")


def test_flask_openapi_write_gives_the_served_document(app, spec, tmp_path):
    target = tmp_path / "openapi.json"
    result = app.test_cli_runner().invoke(args=["openapi", "write", str(target)])
    assert result.exit_code == 0, result.output
    import json

    written = json.loads(target.read_text())
    assert written["paths"].keys() == spec["paths"].keys()
    assert "operationId" in written["paths"]["/healthz"]["get"]
