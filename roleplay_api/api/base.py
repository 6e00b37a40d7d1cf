"""What every blueprint shares: the request parser, the auth decorator, the docs security."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import flask
import flask_smorest
import orjson
from flask_jwt_extended import jwt_required
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import HTTPException

from roleplay_api.errors import handle_http_exception
from roleplay_api.openapi import ContractSpec
from roleplay_api.schemas.common import ErrorSchema

F = TypeVar("F", bound=Callable[..., Any])

BEARER_AUTH = {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
# Chat-state: an X-API-Key only when the server configures keys, so either requirement holds.
API_KEY_OPTIONAL = [{"apiKeyAuth": []}, {}]


class Parser(FlaskParser):
    """webargs' Flask parser, answering 400 (not 422) and parsing JSON strictly with orjson.

    orjson rejects NaN, lone surrogates and nesting past 1024 levels with a JSONDecodeError
    (so deeply nested bodies cost bounded CPU and become a 400, not a RecursionError).
    """

    DEFAULT_VALIDATION_STATUS = 400

    def _raw_load_json(self, req: flask.Request) -> Any:
        if not is_json_request(req):
            return core.missing
        return orjson.loads(req.get_data(cache=True))


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        """flask-smorest's, with one schema instance (webargs makes one per request of a class)."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)


class Api(flask_smorest.Api):
    """flask-smorest's Api with the contract's error body (its own drops the Allow header)."""

    ERROR_SCHEMA = ErrorSchema

    def _init_spec(self, **kwargs: Any) -> None:
        super()._init_spec(**kwargs)
        # flask-smorest builds a plain APISpec; ContractSpec only finishes what to_dict returns
        # (roleplay_api.openapi), so the served document, `flask openapi write` and the
        # clients' export are one document.
        self.spec.__class__ = ContractSpec

    def handle_http_exception(self, error: HTTPException) -> flask.Response:
        return handle_http_exception(error)


def current_api(app: flask.Flask) -> Api:
    return app.extensions["flask-smorest"]["apis"][""]["ext_obj"]


def login_required(*, refresh: bool = False, verify_type: bool = True) -> Callable[[F], F]:
    """Require a JWT (checked before the body is parsed) and mark the operation in OpenAPI."""

    def decorator(fn: F) -> F:
        wrapped = jwt_required(refresh=refresh, verify_type=verify_type)(fn)
        return flask_smorest.Blueprint.doc(security=[{"bearerAuth": []}])(wrapped)

    return decorator
