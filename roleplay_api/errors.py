"""Domain errors and the one JSON error body every failure is rendered with."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, current_app, jsonify
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# HTTP status -> the contract's error code, for errors raised by Flask/Werkzeug themselves.
CODES = {
    400: "validation_error",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}
MESSAGES = {
    404: "The requested resource was not found",
    405: "Method not allowed",
    413: "Request body is too large",
    415: "Request body must be application/json",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service temporarily unavailable; retry shortly",
}
_LOCATIONS = ("json", "query", "querystring", "view_args", "path", "headers", "form", "files")


class APIError(Exception):
    """An error the client should see, with its status, code and message."""

    status = 500
    code = "internal_error"
    message = "Internal server error"

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.code = code or self.code
        self.details = dict(details) if details else None
        self.headers = dict(headers or {})


class BadRequest(APIError):
    status, code, message = 400, "validation_error", "Invalid request"


class Unauthorized(APIError):
    status, code, message = 401, "unauthorized", "Authentication required"


class Forbidden(APIError):
    status, code, message = 403, "forbidden", "Not allowed"


class NotFound(APIError):
    status, code, message = 404, "not_found", "Not found"


class Conflict(APIError):
    status, code, message = 409, "conflict", "Conflict with the current state"


class EmailTaken(Conflict):
    code, message = "email_taken", "An account with this email already exists"


class SessionEnded(Conflict):
    code, message = "session_ended", "This session has ended"


class PreconditionFailed(APIError):
    status, code = 412, "precondition_failed"
    message = "If-Match does not match the current version"


class PayloadTooLarge(APIError):
    status, code, message = 413, "payload_too_large", "Request body is too large"


class UnsupportedMediaType(APIError):
    status, code, message = 415, "unsupported_media_type", "Request body must be application/json"


class Unavailable(APIError):
    status, code, message = 503, "unavailable", MESSAGES[503]


def error_response(
    status: int,
    code: str,
    message: str,
    details: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    response = jsonify({"success": False, "error": error})
    response.status_code = status
    for name, value in (headers or {}).items():
        if name.lower() not in ("content-type", "content-length"):
            response.headers[name] = value
    return response


def validation_details(messages: Any) -> dict[str, Any]:
    """Flatten webargs' ``{"json": {...}}`` (or marshmallow's messages) to ``{field: [...]}``."""
    if isinstance(messages, Mapping) and len(messages) == 1:
        ((location, inner),) = messages.items()
        if location in _LOCATIONS:
            messages = inner
    if isinstance(messages, Mapping):
        return {str(k): v for k, v in messages.items()}
    if isinstance(messages, list | tuple):
        return {"_body": list(messages)}
    return {"_body": [str(messages)]}


def validation_message(details: Mapping[str, Any]) -> str:
    parts = []
    for field, problems in details.items():
        first = problems[0] if isinstance(problems, list | tuple) and problems else problems
        if field in ("_schema", "_body"):
            text = str(first)
            parts.append("body must be a JSON object" if text == "Invalid input type." else text)
        elif isinstance(first, str) and first == "Missing data for required field.":
            parts.append(f"{field} is required")
        elif isinstance(first, str):
            parts.append(f"{field}: {first.rstrip('.')}")
        else:
            parts.append(f"{field} is invalid")
    return "; ".join(parts) or "Invalid request"


def _handle_api_error(error: APIError) -> Response:
    return error_response(error.status, error.code, error.message, error.details, error.headers)


def _handle_validation_error(error: ValidationError) -> Response:
    details = validation_details(error.messages)
    return error_response(400, "validation_error", validation_message(details), details)


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    headers = dict(error.get_headers()) if status != 500 else {}
    data = getattr(error, "data", None) or {}
    if data.get("headers"):
        headers.update(data["headers"])
    if status in (400, 422):
        messages = data.get("messages")
        if messages is not None:
            details = validation_details(messages)
            message = validation_message(details)
            if "json" in (messages or {}) and details.get("_body") == ["Invalid JSON body."]:
                message = "Request body is not valid JSON"
            return error_response(400, "validation_error", message, details, headers)
        message = error.description or "Bad request"
        return error_response(400, "validation_error", message, None, headers)
    code = CODES.get(status) or (error.name or "error").lower().replace(" ", "_")
    message = data.get("message") or MESSAGES.get(status) or error.description or error.name
    return error_response(status, code, message, None, headers)


def _handle_integrity_error(error: IntegrityError) -> Response:
    _rollback()
    log.warning("integrity error: %s", error.orig.__class__.__name__)
    return error_response(409, "conflict", "The request conflicts with stored data")


# SQLSTATE classes and codes that mean "try again": connection exceptions (08), too many
# connections (53), the server shutting down (57P01-57P03), a deadlock or serialization
# failure (40...), a lock or statement timeout (55P03, 57014).
_RETRYABLE_SQLSTATES = ("08", "53", "57P", "40", "55P03", "57014")
_SQLITE_BUSY = ("database is locked", "database table is locked", "unable to open database")


def _is_unavailable(error: Exception) -> bool:
    """A database failure the client may retry (503), as opposed to a bug (500)."""
    if isinstance(error, PoolTimeoutError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    if not isinstance(error, OperationalError):
        return False
    original = error.orig
    if type(original).__module__.startswith("sqlite3"):
        return str(original).startswith(_SQLITE_BUSY)
    sqlstate = getattr(original, "pgcode", None)
    # psycopg2 gives no SQLSTATE when it could not reach the server at all.
    return sqlstate is None or sqlstate.startswith(_RETRYABLE_SQLSTATES)


def _handle_unexpected(error: Exception) -> Response:
    _rollback()
    if _is_unavailable(error):
        log.error("database unavailable: %s", error.__class__.__name__)
        return error_response(503, "unavailable", MESSAGES[503], headers={"Retry-After": "1"})
    if isinstance(error, HTTPException):  # pragma: no cover - routed to its own handler
        return handle_http_exception(error)
    log.exception("unhandled error")
    return error_response(500, "internal_error", MESSAGES[500])


def _rollback() -> None:
    db = current_app.extensions["sqlalchemy"]
    try:
        db.session.rollback()
    except Exception:  # the connection may be the thing that failed
        log.warning("rollback failed", exc_info=True)


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(APIError, _handle_api_error)
    app.register_error_handler(ValidationError, _handle_validation_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, _handle_integrity_error)
    app.register_error_handler(Exception, _handle_unexpected)
