"""Request-body guards shared by every route: JSON only (415), bounded before reading (413)."""

from __future__ import annotations

import io

from flask import Flask, Response, request

from roleplay_api.errors import PayloadTooLarge, UnsupportedMediaType

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


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

    @app.after_request
    def drop_type_of_empty_answers(response: Response) -> Response:
        """A 204 or 304 has no body, so no body type (Flask would say text/html)."""
        if response.status_code in (204, 304):
            response.headers.pop("Content-Type", None)
        return response


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
