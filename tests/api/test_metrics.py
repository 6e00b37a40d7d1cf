"""Prometheus metrics at /metrics, by endpoint rule."""

import re


def sample(text, name, **labels):
    """The value of one sample in Prometheus text format (0 when absent)."""
    for line in text.splitlines():
        if not line.startswith(name + "{"):
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_requests_are_counted_by_rule_and_status(make_app):
    client = make_app().test_client()  # a fresh registry: other tests' requests do not count
    body = {"email": "metrics@example.com", "password": "correct horse"}
    token = client.post("/api/auth/register", json=body).get_json()["data"]["accessToken"]
    for _ in range(3):
        client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    client.get("/nope-404")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    text = response.get_data(as_text=True)
    count = "flask_http_request_duration_seconds_count"
    assert sample(text, count, url_rule="/api/auth/me", status="200", method="GET") == 3
    assert sample(text, "flask_http_request_total", status="404") == 1
    assert sample(text, "flask_http_request_total", status="201") == 1
    assert sample(text, "flask_http_request_total", status="200") == 3
    # /metrics itself is not counted.
    assert 'url_rule="/metrics"' not in text


def test_each_app_has_its_own_registry(make_app):
    first = make_app().test_client()
    second = make_app().test_client()
    first.get("/healthz")
    first.get("/healthz")
    text = second.get("/metrics").get_data(as_text=True)
    count = "flask_http_request_duration_seconds_count"
    assert sample(text, count, url_rule="/healthz") == 0
    text = first.get("/metrics").get_data(as_text=True)
    assert sample(text, count, url_rule="/healthz") == 2


def test_metrics_are_served_but_not_in_the_openapi_document(client):
    # Prometheus' text format is no API operation: generated clients must not get one for it.
    spec = client.get("/api/openapi.json").get_json()
    assert "/metrics" not in spec["paths"]
    assert client.get("/metrics").status_code == 200


def test_made_up_methods_count_as_other_and_add_no_series(make_app):
    app = make_app()
    client = app.test_client()
    for method in ("FOO", "BAR", "BAZ"):
        assert client.open("/healthz", method=method).status_code == 405
    recorder = app.extensions["request_metrics"]
    assert {key[0] for key in recorder._children} == {"OTHER"}
    text = client.get("/metrics").get_data(as_text=True)
    assert sample(text, "flask_http_request_total", method="OTHER", status="405") == 3
