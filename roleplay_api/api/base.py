"""What every blueprint shares: the request parser, the auth decorator, the docs security."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import flask
import flask_smorest
from flask_jwt_extended import jwt_required
from werkzeug.exceptions import HTTPException

from roleplay_api.errors import handle_http_exception
from roleplay_api.internals import Parser, SpecClassApi, smorest_api
from roleplay_api.openapi import ContractSpec
from roleplay_api.schemas.common import ErrorSchema

F = TypeVar("F", bound=Callable[..., Any])

BEARER_AUTH = {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}
# Chat-state: an X-API-Key only when the server configures keys, so either requirement holds.
API_KEY_OPTIONAL = [{"apiKeyAuth": []}, {}]


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = Parser()

    def arguments(self, schema: Any, *args: Any, **kwargs: Any) -> Callable[[F], F]:
        """flask-smorest's, with one schema instance (webargs makes one per request of a class)."""
        if isinstance(schema, type):
            schema = schema()
        return super().arguments(schema, *args, **kwargs)


class Api(SpecClassApi):
    """flask-smorest's Api with the contract's error body (its own drops the Allow header).

    Its spec is a ContractSpec, which only finishes what to_dict returns (roleplay_api.openapi),
    so the served document, `flask openapi write` and the clients' export are one document.
    """

    ERROR_SCHEMA = ErrorSchema
    SPEC_CLASS = ContractSpec

    def handle_http_exception(self, error: HTTPException) -> flask.Response:
        return handle_http_exception(error)


def respond(
    body: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> flask.Response:
    """What every view returns: its body, dumped by the schema's serializer, as JSON.

    @blp.response still names the schema, for the OpenAPI document; the view has dumped already.
    """
    response = flask.current_app.json.response(body)
    response.status_code = status
    if headers:
        response.headers.update(headers)
    return response


def ok(data: Any, status: int = 200) -> flask.Response:
    """The contract's success envelope around ``data``."""
    return respond({"success": True, "data": data}, status)


def no_content() -> flask.Response:
    return flask.Response(status=204)


def current_api(app: flask.Flask) -> Api:
    return smorest_api(app)


def login_required(*, refresh: bool = False, verify_type: bool = True) -> Callable[[F], F]:
    """Require a JWT (checked before the body is parsed) and mark the operation in OpenAPI."""

    def decorator(fn: F) -> F:
        wrapped = jwt_required(refresh=refresh, verify_type=verify_type)(fn)
        return flask_smorest.Blueprint.doc(security=[{"bearerAuth": []}])(wrapped)

    return decorator
