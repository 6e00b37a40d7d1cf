"""Prometheus metrics at /metrics, summed across gunicorn workers when they share a directory."""

from __future__ import annotations

import os

from flask import Flask
from prometheus_client import CollectorRegistry

METRICS_PATH = "/metrics"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def register_metrics(app: Flask) -> None:
    """Request counts and latency by endpoint rule (not raw path: session ids would explode
    the label set), plus exceptions.

    Under gunicorn, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR: every worker writes its
    samples there and /metrics, whichever worker answers, reads them all. Without it (flask run,
    tests) each app gets its own registry, so several apps in one process do not collide.
    """
    from prometheus_flask_exporter import PrometheusMetrics
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    options = {
        "group_by": "url_rule",
        "excluded_paths": [f"^{METRICS_PATH}$"],
        "default_labels": {"service": "roleplay-api"},
    }
    directory = os.environ.get(MULTIPROC_ENV)
    if directory:
        # gunicorn.conf.py creates it at start, but a CLI command (flask db upgrade in the
        # Docker image, which sets the variable) may run first.
        os.makedirs(directory, exist_ok=True)
        metrics = GunicornInternalPrometheusMetrics(app, path=METRICS_PATH, **options)
    else:
        metrics = PrometheusMetrics(
            app, path=METRICS_PATH, registry=CollectorRegistry(auto_describe=True), **options
        )
    app.extensions["prometheus_metrics"] = metrics
    _document(app)


def _document(app: Flask) -> None:
    """The exporter's route is plain Flask; describe it in the OpenAPI document by hand."""
    from roleplay_api.api.base import current_api

    text = {"text/plain": {"schema": {"type": "string"}}}
    (rule,) = (r for r in app.url_map.iter_rules() if r.endpoint == "prometheus_metrics")
    current_api(app).spec.path(
        rule=rule,  # flask-smorest's plugin derives the path from the Flask rule
        operations={
            "get": {
                "tags": ["operations"],
                "summary": "Prometheus metrics: requests, latency and errors by endpoint",
                "responses": {"200": {"description": "Prometheus text format", "content": text}},
            }
        },
    )
