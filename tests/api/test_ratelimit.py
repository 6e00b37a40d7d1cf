"""Rate limits: auth endpoints per client address, a default elsewhere, 429 with Retry-After."""

import pytest

LOGIN = {"email": "nobody@example.com", "password": "wrong password"}


@pytest.fixture
def limited(make_app):
    def build(**overrides):
        config = {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "RATELIMIT_AUTH": "3 per minute",
            "RATELIMIT_DEFAULT": "100 per minute",
        }
        return make_app(**(config | overrides)).test_client()

    return build


def login_statuses(client, times, **kwargs):
    return [client.post("/api/auth/login", json=LOGIN, **kwargs).status_code for _ in range(times)]


def test_login_is_limited_per_client_address(limited):
    client = limited()
    assert login_statuses(client, 3) == [401, 401, 401]
    response = client.post("/api/auth/login", json=LOGIN)
    assert response.status_code == 429
    body = response.get_json()
    assert body["success"] is False
    assert body["error"]["code"] == "rate_limited"
    assert "3 per 1 minute" in body["error"]["message"]
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert response.headers["X-Request-ID"]
    # Another address has its own budget.
    other = {"environ_base": {"REMOTE_ADDR": "10.1.2.3"}}
    assert login_statuses(client, 1, **other) == [401]


def test_register_is_limited_too_and_correct_logins_count(limited, register):
    client = limited()
    for n in range(3):
        body = {"email": f"limit{n}@example.com", "password": "correct horse"}
        assert client.post("/api/auth/register", json=body).status_code == 201
    body = {"email": "limit9@example.com", "password": "correct horse"}
    assert client.post("/api/auth/register", json=body).status_code == 429


def test_default_limit_applies_elsewhere_but_not_to_probes(limited):
    client = limited(RATELIMIT_DEFAULT="2 per minute")
    statuses = [client.get("/api/auth/me").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]
    assert [client.get("/healthz").status_code for _ in range(5)] == [200] * 5
    assert [client.get("/readyz").status_code for _ in range(5)] == [200] * 5


def test_forwarded_address_is_the_key_only_behind_a_trusted_proxy(limited):
    proxied = limited(PROXY_FIX_X_FOR=1)
    for n in range(4):
        # Each request comes from a different client address as nginx reports it.
        headers = {"X-Forwarded-For": f"198.51.100.{n}"}
        assert login_statuses(proxied, 1, headers=headers) == [401]
    direct = limited()
    spoofed = [
        direct.post(
            "/api/auth/login", json=LOGIN, headers={"X-Forwarded-For": f"198.51.100.{n}"}
        ).status_code
        for n in range(4)
    ]
    assert spoofed == [401, 401, 401, 429]


def test_disabled_limiter_never_refuses(limited):
    client = limited(RATELIMIT_ENABLED=False)
    assert set(login_statuses(client, 6)) == {401}


def test_unreachable_redis_fails_open_to_memory_counts(limited):
    # Nothing listens on port 1: the limiter falls back to per-process counting, no 500s.
    client = limited(RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    assert login_statuses(client, 4) == [401, 401, 401, 429]
    assert client.get("/healthz").status_code == 200
