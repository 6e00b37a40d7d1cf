"""Prometheus metrics at /metrics, summed across gunicorn workers when they share a directory."""

from __future__ import annotations

import os
import time
from typing import Any

from flask import Flask, Response, g, request
from prometheus_client import CollectorRegistry

METRICS_PATH = "/metrics"
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


SERVICE = "roleplay-api"
# Any other method (werkzeug accepts any token) is counted as OTHER: a label per made-up
# method would let clients grow the series without bound.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestMetrics:
    """The exporter's default request metrics, same names and labels, recorded by us.

    prometheus_flask_exporter's own before/after hooks cost ~9% of a chat-state GET (request
    proxy lookups, a labels dict and a child lookup per metric, per request). The access-log
    hook already has the method, rule, status and duration, so it hands them to ``record``,
    which keeps each label set's children and only observes and counts.
    """

    def __init__(self, registry: CollectorRegistry | None) -> None:
        from prometheus_client import Counter, Histogram

        self.duration = Histogram(
            "flask_http_request_duration_seconds",
            "Flask HTTP request duration in seconds",
            ("method", "url_rule", "status", "service"),
            registry=registry,
        )
        self.total = Counter(
            "flask_http_request_total",
            "Total number of HTTP requests",
            ("method", "status", "service"),
            registry=registry,
        )
        self.exceptions = Counter(
            "flask_http_request_exceptions_total",
            "Total number of HTTP requests which resulted in an exception",
            ("method", "status", "service"),
            registry=registry,
        )
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def record(self, method: str, rule: str, status: int, seconds: float) -> None:
        if method not in _METHODS:
            method = "OTHER"  # before the key too: the children must not grow either
        key = (method, rule, status)
        children = self._children.get(key)
        if children is None:
            children = self._children[key] = (
                self.duration.labels(method, rule, str(status), SERVICE),
                self.total.labels(method, str(status), SERVICE),
            )
        children[0].observe(seconds)
        children[1].inc()

    def record_exception(self, method: str) -> None:
        method = method if method in _METHODS else "OTHER"
        self.exceptions.labels(method, "500", SERVICE).inc()


def request_metrics(app: Flask) -> RequestMetrics | None:
    return app.extensions.get("request_metrics")


def register_metrics(app: Flask) -> None:
    """Request counts and latency by endpoint rule (not raw path: session ids would explode
    the label set), plus exceptions. The exporter serves /metrics; RequestMetrics records.
    /metrics is Prometheus' text format, not part of the API: it is not in the OpenAPI document.

    Under gunicorn, gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR: every worker writes its
    samples there and /metrics, whichever worker answers, reads them all. Without it (flask run,
    tests) each app gets its own registry, so several apps in one process do not collide.
    """
    from prometheus_flask_exporter import PrometheusMetrics
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    options = {"export_defaults": False}
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
    app.extensions["request_metrics"] = recorder = RequestMetrics(metrics.registry)

    @app.after_request
    def record_request(response: Response) -> Response:
        """Count the request and its latency (from the start observability.py stamped)."""
        started = g.get("request_started")
        if started is not None and request.path != METRICS_PATH:
            recorder.record(
                request.method,
                str(request.url_rule),
                response.status_code,
                time.perf_counter() - started,
            )
        return response

    @app.teardown_request
    def count_exception(exc: BaseException | None) -> None:
        if exc is not None:
            recorder.record_exception(request.method)
