"""Operations: health, readiness, request ids and the OpenAPI document."""

import re

import pytest


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_when_database_answers(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_request_id_is_generated(client):
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/nope").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


def test_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc-123.def:4"})
    assert response.headers["X-Request-ID"] == "abc-123.def:4"


def test_unsafe_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "bad id\twith spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_openapi_document_describes_the_endpoints(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    paths = spec["paths"]
    for path in (
        "/api/auth/register",
        "/api/auth/login",
        "/api/auth/refresh",
        "/api/auth/logout",
        "/api/auth/me",
        "/healthz",
        "/readyz",
    ):
        assert path in paths, path
    assert paths["/api/auth/me"]["get"]["security"] == [{"bearerAuth": []}]
    register = paths["/api/auth/register"]["post"]
    assert "201" in register["responses"]
    schemas = spec["components"]["schemas"]
    assert set(schemas["Register"]["required"]) == {"email", "password"}
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


@pytest.mark.parametrize("path", ["/api/docs", "/api/docs/"])
def test_docs_page_is_served_with_local_assets(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "swagger" in page.lower()
    assert "https://" not in page and "http://" not in page  # no CDN: works offline
    for asset in re.findall(r'(?:src|href)="([^"]+)"', page):
        assert asset.startswith("/api/docs/assets/"), asset
        served = client.get(asset)
        served.close()  # a file-backed response
        assert served.status_code == 200, asset


@pytest.mark.parametrize("path", ["/", "/api"])
def test_index_points_to_docs_openapi_and_health(client, path):
    response = client.get(path)
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "roleplay-api" and body["version"]
    assert body["links"] == {
        "docs": "/api/docs",
        "openapi": "/api/openapi.json",
        "health": "/healthz",
    }
    for link in body["links"].values():
        assert client.get(link).status_code == 200
