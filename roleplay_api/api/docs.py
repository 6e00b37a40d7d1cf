"""The front door: a JSON index at / and /api, and Swagger UI's files served from a package.

Not API operations, so plain Flask routes outside the OpenAPI document. flask-smorest renders
the Swagger UI page itself (at /api/docs); its scripts and styles come from the pinned
swagger-ui-bundle package, so the docs work with no network.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, send_from_directory
from swagger_ui_bundle import swagger_ui_path
from werkzeug.wrappers import Response

blp = Blueprint("docs", __name__)
ASSETS = str(swagger_ui_path)
LINKS = {"docs": "/api/docs", "openapi": "/api/openapi.json", "health": "/healthz"}


@blp.get("/")
@blp.get("/api")
def index() -> dict[str, Any]:
    """Where to go from here."""
    return {
        "name": current_app.config["API_TITLE"],
        "version": current_app.config["API_VERSION"],
        "links": LINKS,
    }


@blp.get("/api/docs/assets/<path:filename>")
def docs_asset(filename: str) -> Response:
    # max_age: the files change only with the package's pinned version.
    return send_from_directory(ASSETS, filename, max_age=3600)


def register_docs(app: Flask) -> None:
    app.register_blueprint(blp)
    # /api/docs/ is the same page as flask-smorest's /api/docs (which would 404 with the slash).
    app.add_url_rule("/api/docs/", endpoint="api-docs.openapi_swagger_ui")
