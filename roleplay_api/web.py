"""HTTP plumbing shared by every route: the JSON provider and the request-body guards."""

from __future__ import annotations

import io
import logging
import weakref
from collections.abc import Callable
from typing import Any

import orjson
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider

from roleplay_api.errors import APIError, PayloadTooLarge

log = logging.getLogger(__name__)

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class UnsupportedMediaType(APIError):
    status, code, message = 415, "unsupported_media_type", "Request body must be application/json"


class App(Flask):
    """Flask that remembers which handlers are plain functions.

    Flask (and flask-smorest's wrappers) call ``ensure_sync`` on every handler of every
    request, which inspects the code object each time: about a dozen calls per request. The
    answer never changes for a function, so keep it (weakly, so per-call closures do not pile up).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The value must not refer to the key, or the key would never be released.
        self._plain_handlers: weakref.WeakKeyDictionary[Callable[..., Any], bool]
        self._plain_handlers = weakref.WeakKeyDictionary()

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            if func in self._plain_handlers:
                return func
        except TypeError:  # not weakly referenceable
            return super().ensure_sync(func)
        result = super().ensure_sync(func)
        if result is func:
            self._plain_handlers[func] = True
        return result


class OrjsonProvider(DefaultJSONProvider):
    """orjson for speed; datetimes come out as ISO-8601 with their UTC offset."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj, default=self.default).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)


def register_request_guards(app: Flask) -> None:
    @app.before_request
    def require_json_body() -> None:
        """A request that carries a body must say it is JSON (415 otherwise)."""
        if request.method not in _BODY_METHODS or request.routing_exception is not None:
            return  # an unknown route or method answers 404/405, whatever the body
        limit = app.config.get("MAX_CONTENT_LENGTH")
        if limit and request.content_length and request.content_length > limit:
            raise PayloadTooLarge()  # refuse before reading a byte of it
        has_body = (
            bool(request.content_length)
            or "chunked" in request.headers.get("Transfer-Encoding", "").lower()
        )
        if has_body and not request.is_json:
            raise UnsupportedMediaType()
        if limit and has_body and request.content_length is None:
            _buffer_chunked_body(limit)


def _buffer_chunked_body(limit: int) -> None:
    """Read a chunked body (no Content-Length) up to ``limit`` bytes, 413 past it.

    werkzeug caps such a stream at MAX_CONTENT_LENGTH by silently cutting it off, so an
    oversized body reached the parser truncated (400, or worse, a valid prefix). Reading one
    byte past the limit tells the two apart and bounds the memory spent.
    """
    data = request.environ["wsgi.input"].read(limit + 1)
    if len(data) > limit:
        raise PayloadTooLarge()
    # The request's stream is built lazily from the environ: hand it the buffered body.
    request.environ["wsgi.input"] = io.BytesIO(data)
    request.environ["CONTENT_LENGTH"] = str(len(data))
