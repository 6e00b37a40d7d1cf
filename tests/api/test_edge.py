"""CORS from CORS_ORIGINS, ProxyFix from PROXY_FIX_X_FOR, and who the access log names."""

ORIGIN = "https://app.example.com"


def test_no_cors_headers_without_configured_origins(client):
    response = client.get("/healthz", headers={"Origin": ORIGIN})
    assert "Access-Control-Allow-Origin" not in response.headers


def test_listed_origin_is_allowed_with_credentials(make_app):
    client = make_app(CORS_ORIGINS=[ORIGIN]).test_client()
    response = client.get("/healthz", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "X-Request-ID" in response.headers["Access-Control-Expose-Headers"]
    other = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers


def test_preflight_names_the_allowed_headers(make_app):
    client = make_app(CORS_ORIGINS=[ORIGIN]).test_client()
    response = client.options(
        "/api/auth/login",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Authorization, Content-Type",
        },
    )
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert "authorization" in allowed and "content-type" in allowed


def test_wildcard_origin_is_literal_and_never_with_credentials(make_app):
    client = make_app(CORS_ORIGINS=["*"]).test_client()
    response = client.get("/healthz", headers={"Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response.headers


def test_cors_headers_on_error_responses_too(make_app):
    client = make_app(CORS_ORIGINS=[ORIGIN]).test_client()
    response = client.get("/nope", headers={"Origin": ORIGIN})
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN


def access_record(records, request_id):
    matches = [r for r in records if r.name == "roleplay_api.access" and r.request_id == request_id]
    assert len(matches) == 1, [r.__dict__ for r in records]
    return matches[0]


def test_access_log_uses_forwarded_client_only_behind_trusted_proxy(make_app, app_logs):
    headers = {"X-Forwarded-For": "203.0.113.7, 198.51.100.20", "X-Request-ID": "fwd-1"}
    proxied = make_app(PROXY_FIX_X_FOR=1, LOG_LEVEL="INFO").test_client()
    proxied.get("/healthz", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    # One proxy: only the entry it appended (the last) is believed.
    assert access_record(app_logs, "fwd-1").client == "198.51.100.20"

    direct = make_app(LOG_LEVEL="INFO").test_client()
    headers["X-Request-ID"] = "fwd-2"
    direct.get("/healthz", headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert access_record(app_logs, "fwd-2").client == "127.0.0.1"


def test_forwarded_proto_is_trusted_behind_the_proxy(make_app):
    app = make_app(PROXY_FIX_X_FOR=1)

    @app.get("/_scheme")
    def scheme():
        from flask import request

        return {"scheme": request.scheme, "host": request.host}

    response = app.test_client().get(
        "/_scheme", headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "api.example.com"}
    )
    assert response.get_json() == {"scheme": "https", "host": "api.example.com"}


def test_access_log_names_the_verified_user(make_app, register, app_logs):
    user = register()
    client = make_app(LOG_LEVEL="INFO").test_client()
    client.get("/api/auth/me", headers=user["headers"] | {"X-Request-ID": "who-1"})
    record = access_record(app_logs, "who-1")
    assert record.user_id == str(user["user"]["id"])
    assert record.status == 200
    assert record.method == "GET" and record.path == "/api/auth/me"
    assert record.duration_ms >= 0

    client.get("/api/auth/me", headers={"Authorization": "Bearer nope", "X-Request-ID": "who-2"})
    record = access_record(app_logs, "who-2")
    assert record.user_id is None and record.status == 401


def test_production_warns_when_limits_would_not_hold(make_app, app_logs):
    make_app(APP_ENV="production", RATELIMIT_ENABLED=True, PROXY_FIX_X_FOR=0)
    messages = [r.getMessage() for r in app_logs]
    assert any("count per worker process" in m for m in messages)
    assert any("PROXY_FIX_X_FOR=0" in m for m in messages)
