"""The application factory."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any

from flask import Flask

from roleplay_api.config import load_config


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app: settings from the environment, then ``config`` overrides (tests)."""
    from roleplay_api.flask_app import App

    app = App(__name__, instance_relative_config=True, static_folder=None)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path, config))

    register_logging(app)
    register_extensions(app)
    register_coach(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_cli(app)
    register_edge(app)
    register_rate_limits(app)
    register_metrics(app)
    return app


def register_logging(app: Flask) -> None:
    from roleplay_api.observability import configure_logging, register_request_id

    configure_logging(app)
    register_request_id(app)
    if app.config["JWT_SECRET_GENERATED"]:
        logging.getLogger("roleplay_api").warning(
            "JWT_SECRET_KEY is not set: using a random key for this run (%s); "
            "tokens will not survive a restart",
            app.config["APP_ENV"],
        )


def register_extensions(app: Flask) -> None:
    from roleplay_api import (
        database,
        models,  # noqa: F401  (registers the tables on the metadata)
    )
    from roleplay_api.api.auth import configure_jwt
    from roleplay_api.api.base import BEARER_AUTH, Api
    from roleplay_api.extensions import db, jwt, migrate
    from roleplay_api.json_codec import OrjsonProvider
    from roleplay_api.request_guards import register_request_guards

    app.json = OrjsonProvider(app)
    register_request_guards(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    jwt.init_app(app)
    configure_jwt(jwt)
    # One Api per app (not a module global): tests build several apps side by side.
    Api(app, spec_kwargs={"components": {"securitySchemes": BEARER_AUTH}})


def register_coach(app: Flask) -> None:
    """The coach the configuration asks for, built once; services reach it through the app."""
    from roleplay_api.services.coach import get_coach

    app.extensions["coach"] = get_coach(app.config)


def register_blueprints(app: Flask) -> None:
    from roleplay_api.api import auth, chat_state, ops, roleplay
    from roleplay_api.api.base import current_api

    api = current_api(app)
    for module in (ops, auth, roleplay, chat_state):
        api.register_blueprint(module.blp)
    from roleplay_api.api import docs

    docs.register_docs(app)  # plain Flask routes: the index and Swagger UI's files


def register_error_handlers(app: Flask) -> None:
    from roleplay_api.errors import register_error_handlers as register

    register(app)


def register_cli(app: Flask) -> None:
    from roleplay_api.cli import register_cli as register

    register(app)


def register_edge(app: Flask) -> None:
    from roleplay_api.edge import register_cors, register_proxy_fix

    register_proxy_fix(app)
    register_cors(app)


def register_rate_limits(app: Flask) -> None:
    from roleplay_api.ratelimit import register_rate_limits as register

    register(app)  # after register_blueprints: it wraps the auth views


def register_metrics(app: Flask) -> None:
    from roleplay_api.metrics import register_metrics as register

    register(app)
