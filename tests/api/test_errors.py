"""The error table of API.md: one envelope for every failure, never HTML."""

import pytest


def assert_error(response, status, code):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["success"] is False
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


def test_unknown_route_is_404_json(client):
    assert_error(client.get("/nope"), 404, "not_found")
    assert_error(client.get("/api/auth/nope"), 404, "not_found")


def test_wrong_method_is_405_with_allow(client):
    response = client.get("/api/auth/login")
    assert_error(response, 405, "method_not_allowed")
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}
    response = client.delete("/healthz")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_missing_fields_are_named(client):
    error = assert_error(client.post("/api/auth/register", json={}), 400, "validation_error")
    assert error["details"] == {
        "email": ["Missing data for required field."],
        "password": ["Missing data for required field."],
    }
    assert error["message"] == "email is required; password is required"


@pytest.mark.parametrize("body", ["[]", '"text"', "42", "null", '[{"email": 1}]'])
def test_body_that_is_not_an_object_is_400(client, body):
    response = client.post("/api/auth/login", data=body, content_type="application/json")
    error = assert_error(response, 400, "validation_error")
    assert "object" in error["message"] or "required" in error["message"]


@pytest.mark.parametrize("body", ["{", '{"email": }', "{'a': 1}", '{"a": NaN}', "\xff\xfe"])
def test_malformed_json_is_400(client, body):
    response = client.post("/api/auth/login", data=body, content_type="application/json")
    error = assert_error(response, 400, "validation_error")
    assert error["message"] == "Request body is not valid JSON"


def test_deeply_nested_json_is_400_not_500(client):
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/auth/login", data=body, content_type="application/json")
    assert_error(response, 400, "validation_error")


def test_body_that_is_not_json_is_415(client):
    response = client.post(
        "/api/auth/login",
        data="email=a&password=b",
        content_type="application/x-www-form-urlencoded",
    )
    assert_error(response, 415, "unsupported_media_type")
    response = client.post("/api/auth/login", data='{"email": "a"}', content_type="text/plain")
    assert_error(response, 415, "unsupported_media_type")


def test_empty_body_without_content_type_is_a_validation_error(client):
    error = assert_error(client.post("/api/auth/login"), 400, "validation_error")
    assert "email" in error["details"]


def test_oversized_body_is_413(make_app):
    client = make_app(MAX_CONTENT_LENGTH=2048).test_client()
    response = client.post("/api/auth/login", json={"email": "a@b.co", "password": "x" * 5000})
    assert_error(response, 413, "payload_too_large")


def test_unexpected_error_is_500_without_details_and_logged_with_request_id(make_app, app_logs):
    app = make_app()

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("SELECT password_hash FROM no_such_table_here")

    response = app.test_client().get("/boom-for-test", headers={"X-Request-ID": "req-500"})
    error = assert_error(response, 500, "internal_error")
    assert error == {"code": "internal_error", "message": "Internal server error"}
    text = response.get_data(as_text=True)
    assert "no_such_table_here" not in text and "Traceback" not in text
    record = next(r for r in app_logs if r.getMessage() == "unhandled error")
    assert record.request_id == "req-500"
    assert record.exc_info is not None


def test_database_unreachable_is_503(make_app):
    app = make_app(DATABASE_URL="postgresql://nobody@127.0.0.1:9/none")
    client = app.test_client()
    response = client.post("/api/auth/login", json={"email": "a@b.co", "password": "whatever1"})
    error = assert_error(response, 503, "unavailable")
    assert "127.0.0.1" not in error["message"]
    assert_error(client.get("/readyz"), 503, "unavailable")
    assert client.get("/healthz").status_code == 200


def test_no_html_for_errors_flask_raises_itself(client):
    for response in (
        client.get("/%"),
        client.open("/healthz", method="BREW"),
        client.get("/api/auth/me", headers={"Authorization": "Bearer x.y.z"}),
    ):
        assert response.mimetype == "application/json"
        assert "<html" not in response.get_data(as_text=True).lower()


def test_unknown_route_or_method_with_a_non_json_body_is_404_or_405_not_415(client):
    assert_error(client.post("/nope", data="x", content_type="text/plain"), 404, "not_found")
    response = client.post("/healthz", data="x", content_type="text/plain")
    assert_error(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]


def test_a_broken_query_is_a_logged_500_not_a_retryable_503(make_app, app_logs):
    """Only connection loss, timeouts and lock contention are 503; a bug is a 500."""
    import sqlalchemy as sa

    from roleplay_api.extensions import db

    app = make_app()

    @app.get("/broken-query-for-test")
    def broken():
        db.session.execute(sa.text("SELECT * FROM no_such_table_here"))

    response = app.test_client().get("/broken-query-for-test")
    assert_error(response, 500, "internal_error")
    assert "no_such_table_here" not in response.get_data(as_text=True)
    assert any(r.getMessage() == "unhandled error" for r in app_logs)
