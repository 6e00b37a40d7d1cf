"""Rate limits (flask-limiter): tight on the auth endpoints, generous everywhere else."""

from __future__ import annotations

import logging
import math
import time

from flask import Flask, Response, current_app
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from roleplay_api.errors import MESSAGES, error_response

# Credential guessing and account creation are limited per client address.
AUTH_ENDPOINTS = ("auth.register", "auth.login")
# Probes and scrapes come often from one address and must never be refused.
EXEMPT_ENDPOINTS = ("operations.healthz", "operations.readyz", "prometheus_metrics")


def _auth_limit() -> str:
    return current_app.config["RATELIMIT_AUTH"]


def _warn_about_production_pitfalls(app: Flask) -> None:
    """Limits that look set but do not hold: say so once, at start."""
    if app.config["APP_ENV"] != "production":
        return
    log = logging.getLogger(__name__)
    if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
        log.warning(
            "rate limits count per worker process (RATELIMIT_STORAGE_URI=memory://): with N "
            "workers a client gets N times the limit; use redis:// to share the counts"
        )
    if not app.config["PROXY_FIX_X_FOR"]:
        log.warning(
            "PROXY_FIX_X_FOR=0: behind a proxy every client has the proxy's address and shares "
            "one rate-limit bucket; set it to the number of proxies in front (1 for our nginx)"
        )


def register_rate_limits(app: Flask) -> None:
    """Bind a limiter to ``app`` (after the blueprints, whose views it wraps).

    One Limiter per app, not a module global: flask-limiter keeps its storage and its
    enabled flag on the instance, and tests build several apps side by side. The key is the
    client address, which is the forwarded one when ProxyFix trusts nginx.
    """
    if not app.config["RATELIMIT_ENABLED"]:
        return
    _warn_about_production_pitfalls(app)
    limiter = Limiter(
        key_func=get_remote_address,
        # If Redis goes away, count in memory per process rather than fail every request.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    limiter.init_app(app)
    for endpoint in AUTH_ENDPOINTS:
        view = app.view_functions[endpoint]
        app.view_functions[endpoint] = limiter.limit(_auth_limit, key_func=get_remote_address)(view)
    for endpoint in EXEMPT_ENDPOINTS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = limiter.exempt(app.view_functions[endpoint])

    @app.errorhandler(RateLimitExceeded)
    def rate_limited(error: RateLimitExceeded) -> Response:
        return error_response(
            429,
            "rate_limited",
            f"{MESSAGES[429]}: {error.description}",
            headers={"Retry-After": str(_retry_after(limiter, error))},
        )


def _retry_after(limiter: Limiter, error: RateLimitExceeded) -> int:
    """Whole seconds until the breached window resets: at least 1, at most the window."""
    window = error.limit.limit.get_expiry()
    current = limiter.current_limit
    if current is None:
        return max(1, window)
    return min(window, max(1, math.ceil(current.reset_at - time.time())))
