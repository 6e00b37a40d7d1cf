"""What the app needs at the edge: trusting the proxy in front (ProxyFix) and CORS."""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS
from werkzeug.middleware.proxy_fix import ProxyFix

# Headers a browser front end may send and read across origins.
CORS_ALLOW_HEADERS = ["Authorization", "Content-Type", "If-Match", "X-API-Key", "X-Request-ID"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After", "X-Request-ID"]


def register_proxy_fix(app: Flask) -> None:
    """Trust ``X-Forwarded-*`` only as deep as the configured number of proxies.

    With PROXY_FIX_X_FOR=0 (the default) the headers are ignored, so a client talking to
    gunicorn directly cannot forge its address. Behind one nginx, set 1: nginx appends the
    real peer to X-Forwarded-For and ProxyFix takes exactly that last entry.
    """
    hops = app.config["PROXY_FIX_X_FOR"]
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def register_cors(app: Flask) -> None:
    """CORS for the origins in CORS_ORIGINS; none configured means no CORS headers at all.

    ``*`` allows any origin but never with credentials: flask-cors 6 would echo the caller's
    Origin for ``*``, which together with credentials lets any site act as the user.
    """
    origins: list[str] = app.config["CORS_ORIGINS"]
    if not origins:
        return
    wildcard = "*" in origins
    CORS(
        app,
        origins="*" if wildcard else origins,
        send_wildcard=wildcard,
        supports_credentials=not wildcard,
        allow_headers=CORS_ALLOW_HEADERS,
        expose_headers=CORS_EXPOSE_HEADERS,
        max_age=600,
        vary_header=True,
    )
