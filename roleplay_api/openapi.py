"""The OpenAPI document as clients get it: flask-smorest's, finished here in one place.

flask-smorest builds the document from the views' decorators and the marshmallow schemas.
What a generator (openapi-python-client, openapi-typescript) or Swagger UI also needs, and
the decorators cannot say well, is added by ``finish_document``: operationIds, servers, tags
with descriptions, both security schemes, every error an operation can answer (with an
example of the contract's body), the shared headers, one ``Difficulty`` enum, and nullable
nested objects in the OpenAPI 3.0 form generators decode. Views stay free of any of it.

``python -m roleplay_api.openapi [FILE]`` writes the document (no server, no database):
``make clients`` generates the checked-in clients from it.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from typing import Any

from apispec import APISpec

from roleplay_api.difficulty import DIFFICULTIES

# (method, path) -> operationId, verb_noun. A new operation without one fails its test.
OPERATION_IDS = {
    ("get", "/healthz"): "check_liveness",
    ("get", "/readyz"): "check_readiness",
    ("post", "/api/auth/register"): "register_user",
    ("post", "/api/auth/login"): "login_user",
    ("post", "/api/auth/refresh"): "refresh_access_token",
    ("post", "/api/auth/logout"): "logout_user",
    ("get", "/api/auth/me"): "get_current_user",
    ("get", "/api/training/roleplay/scenarios"): "list_roleplay_scenarios",
    ("post", "/api/training/roleplay/start"): "start_roleplay_session",
    ("post", "/api/training/roleplay/{session_id}/message"): "send_roleplay_message",
    ("get", "/api/training/roleplay/sessions"): "list_roleplay_sessions",
    ("get", "/api/training/roleplay/sessions/{session_id}"): "get_roleplay_session",
    ("get", "/api/training/roleplay/stats"): "get_roleplay_stats",
    ("post", "/chat-state-sessions"): "save_chat_state",
    ("get", "/chat-state-sessions/{user_session_id}"): "get_chat_state",
    ("put", "/chat-state-sessions/{user_session_id}"): "replace_chat_state",
    ("delete", "/chat-state-sessions/{user_session_id}"): "delete_chat_state",
    ("patch", "/chat-state-sessions/{user_session_id}"): "patch_chat_state",
    ("get", "/chat-state-sessions/{user_session_id}/versions"): "list_chat_state_versions",
    ("post", "/chat-state-sessions/{user_session_id}/restore"): "restore_chat_state",
}

# Paths served by the app but not part of the API document (Prometheus' text format).
UNDOCUMENTED_PATHS = ("/metrics",)

# Operations the rate limiter exempts (roleplay_api.ratelimit) and those that need no database.
NOT_RATE_LIMITED = {("get", "/healthz"), ("get", "/readyz")}
NO_DATABASE = {("get", "/healthz")}

INFO_DESCRIPTION = (
    "Roleplay sales-training sessions and a chatbot's chat-state store over HTTP/JSON. "
    "The reference for users is docs/API.md in the repository.\n\n"
    "Every error (status >= 400) answers "
    '`{"success": false, "error": {"code", "message", "details"?}}`. '
    "Every response carries `X-Request-ID`."
)

TAGS = [
    {
        "name": "auth",
        "description": "Accounts and JWTs: register, log in, refresh the 15-minute access "
        "token, log out (revokes the token), who am I. Register and login are limited to "
        "10 requests a minute per address.",
    },
    {
        "name": "roleplay",
        "description": "Roleplay training: pick a scenario and a difficulty, trade five "
        "scored exchanges with a persona, then review sessions and progress. Needs an "
        "access token.",
    },
    {
        "name": "chat-state",
        "description": "A chatbot front end's serialized state, keyed by its own session id "
        "and versioned: ETag on every answer, If-Match for conditional writes. Open unless "
        "CHAT_STATE_API_KEYS is set, then X-API-Key is required.",
    },
    {
        "name": "operations",
        "description": "Liveness and readiness probes for load balancers and orchestrators.",
    },
]

SECURITY_SCHEMES = {
    "bearerAuth": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "An access token from register or login (a refresh token for "
        "/api/auth/refresh).",
    },
    "apiKeyAuth": {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": "Chat-state only, and only when the server sets CHAT_STATE_API_KEYS "
        "(401 without it, 403 when wrong).",
    },
}

SERVERS = [
    {"url": "/", "description": "The server that serves this document"},
    {"url": "http://127.0.0.1:5000", "description": "Local development (make run)"},
]

DIFFICULTY_SCHEMA = {
    "type": "string",
    "enum": list(DIFFICULTIES),
    "description": 'Requests accept any letter case ("beginner" works); responses are '
    "always upper case.",
}

# status -> (description, error code, example message)
ERRORS: dict[str, tuple[str, str, str]] = {
    "400": ("Invalid input", "validation_error", "scenarioTitle is required"),
    "401": ("Missing, invalid, expired or revoked credentials", "unauthorized", "Invalid token"),
    "403": ("Valid credentials that may not do this", "forbidden", "X-API-Key is not valid"),
    "404": ("No such resource (or not yours)", "not_found", "Session not found"),
    "409": ("Conflicts with the stored state", "conflict", "Conflict with the current state"),
    "412": (
        "If-Match does not match the current version",
        "precondition_failed",
        "If-Match does not match the current version",
    ),
    "413": ("Body over the configured limit", "payload_too_large", "Request body is too large"),
    "414": (
        "Request line over 4,094 bytes (answered before the app reads it)",
        "uri_too_long",
        "Request line is too long",
    ),
    "415": (
        "A body that is not application/json",
        "unsupported_media_type",
        "Request body must be application/json",
    ),
    "429": (
        "Too many requests; retry after Retry-After seconds",
        "rate_limited",
        "Too many requests: 600 per 1 minute",
    ),
    "503": (
        "The database does not answer; retry shortly",
        "unavailable",
        "Service temporarily unavailable; retry shortly",
    ),
}
# Examples closer to what an operation really says than ERRORS' generic ones:
# (method or "*", path prefix, status) -> (code, message). The first match wins.
EXAMPLES: list[tuple[str, str, str, tuple[str, str]]] = [
    (
        "post",
        "/api/auth/register",
        "409",
        ("email_taken", "An account with this email already exists"),
    ),
    (
        "post",
        "/api/auth/register",
        "400",
        ("validation_error", "password: Shorter than minimum length 8"),
    ),
    ("post", "/api/auth/login", "401", ("unauthorized", "Invalid email or password")),
    ("post", "/api/auth/login", "400", ("validation_error", "email is required")),
    (
        "post",
        "/api/training/roleplay/{session_id}/message",
        "409",
        ("session_ended", "This session has ended"),
    ),
    (
        "post",
        "/api/training/roleplay/{session_id}/message",
        "400",
        ("validation_error", "message: Must not be blank"),
    ),
    (
        "get",
        "/api/training/roleplay/sessions",
        "400",
        (
            "validation_error",
            "limit: Must be greater than or equal to 1 and less than or equal to 100",
        ),
    ),
    (
        "patch",
        "/chat-state-sessions",
        "415",
        (
            "unsupported_media_type",
            "PATCH needs Content-Type: application/merge-patch+json",
        ),
    ),
    (
        "patch",
        "/chat-state-sessions",
        "400",
        ("validation_error", "A merge patch must be a JSON object"),
    ),
    (
        "patch",
        "/chat-state-sessions",
        "409",
        ("conflict", "The chat state kept changing under this PATCH; retry it"),
    ),
    (
        "*",
        "/chat-state-sessions/{user_session_id}/restore",
        "404",
        ("not_found", "Version 3 of this chat state is not kept"),
    ),
    ("*", "/chat-state-sessions", "404", ("not_found", "No chat state for this user_session_id")),
    ("*", "/chat-state-sessions", "401", ("unauthorized", "X-API-Key header is required")),
    (
        "*",
        "/chat-state-sessions",
        "400",
        ("validation_error", "chat_state must be a string that holds valid JSON"),
    ),
    (
        "*",
        "/chat-state-sessions",
        "413",
        ("payload_too_large", "chat_state is larger than 1048576 bytes"),
    ),
    ("post", "/api/auth/", "429", ("rate_limited", "Too many requests: 10 per 1 minute")),
    ("*", "/", "429", ("rate_limited", "Too many requests: 600 per 1 minute")),
]

_REF = "#/components/"
_ERROR_SCHEMA = {"$ref": _REF + "schemas/Error"}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


class ContractSpec(APISpec):
    """apispec's APISpec whose ``to_dict`` is the finished document."""

    def to_dict(self) -> dict[str, Any]:
        # apispec hands out its own dicts: finish a copy, never the spec's state.
        return finish_document(copy.deepcopy(super().to_dict()))


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                yield method, path, item[method]


def finish_document(doc: dict[str, Any]) -> dict[str, Any]:
    for path in UNDOCUMENTED_PATHS:
        doc.get("paths", {}).pop(path, None)
    doc["servers"] = SERVERS
    doc["info"]["description"] = INFO_DESCRIPTION
    doc["tags"] = TAGS
    components = doc.setdefault("components", {})
    components["securitySchemes"] = SECURITY_SCHEMES
    components.setdefault("schemas", {})["Difficulty"] = DIFFICULTY_SCHEMA
    components["headers"] = {
        "X-Request-ID": {
            "description": "The request's id (echoed when the client sent a safe one); "
            "every log line of the request names it",
            "schema": {"type": "string"},
        },
        "Retry-After": {
            "description": "Seconds to wait before retrying",
            "schema": {"type": "integer", "minimum": 1},
        },
        "ETag": {"description": 'The record\'s version, "<version>"', "schema": {"type": "string"}},
    }
    # flask-smorest's lazily registered generic responses: replaced by inline ones below;
    # and its pagination schema, which no operation uses (it would become a client model).
    components.pop("responses", None)
    components["schemas"].pop("PaginationMetadata", None)
    for name, schema in components["schemas"].items():
        if name != "Difficulty":
            _tidy_schema(schema)
    for method, path, operation in operations(doc):
        _finish_operation(method, path, operation)
        for parameter in operation.get("parameters", []):
            if "schema" in parameter:
                parameter["schema"] = _difficulty_ref(parameter["schema"])
    for item in doc.get("paths", {}).values():
        for parameter in item.get("parameters", []):
            if "schema" in parameter:
                parameter["schema"] = _difficulty_ref(parameter["schema"])
    return doc


def _difficulty_ref(schema: dict[str, Any]) -> dict[str, Any]:
    if schema.get("enum") == list(DIFFICULTIES):
        return {"$ref": _REF + "schemas/Difficulty"}
    return schema


def _tidy_schema(schema: dict[str, Any]) -> None:
    """One Difficulty enum, and nullable nested objects as generators understand them.

    apispec writes a marshmallow ``Nested(..., allow_none=True)`` as
    ``anyOf: [{type: object, nullable: true}, {$ref}]``, which openapi-python-client decodes
    as an empty generic object. ``allOf: [{$ref}]`` with ``nullable: true`` is the OpenAPI 3.0
    form it (and openapi-typescript) turn into ``FinalFeedback | None``.
    """
    for name, prop in list(schema.get("properties", {}).items()):
        any_of = prop.get("anyOf")
        if (
            any_of
            and len(any_of) == 2
            and any_of[0] == {"type": "object", "nullable": True}
            and "$ref" in any_of[1]
        ):
            rest = {k: v for k, v in prop.items() if k != "anyOf"}
            prop = {"allOf": [any_of[1]], "nullable": True, **rest}
        schema["properties"][name] = _difficulty_ref(prop)


def _error_response(method: str, path: str, status: str, description: str) -> dict[str, Any]:
    _, code, message = ERRORS[status]
    for wanted_method, prefix, wanted_status, example in EXAMPLES:
        if wanted_status == status and wanted_method in ("*", method) and path.startswith(prefix):
            code, message = example
            break
    response: dict[str, Any] = {
        "description": description,
        "content": {
            "application/json": {
                "schema": _ERROR_SCHEMA,
                "example": {"success": False, "error": {"code": code, "message": message}},
            }
        },
        "headers": {"X-Request-ID": {"$ref": _REF + "headers/X-Request-ID"}},
    }
    if status == "429":
        response["headers"]["Retry-After"] = {"$ref": _REF + "headers/Retry-After"}
    if status == "412":
        response["headers"]["ETag"] = {
            "$ref": _REF + "headers/ETag",
        }
        response["content"]["application/json"]["example"]["error"]["details"] = {
            "etag": '"3"',
            "version": 3,
        }
    return response


def _finish_operation(method: str, path: str, operation: dict[str, Any]) -> None:
    operation["operationId"] = OPERATION_IDS[(method, path)]
    responses = operation["responses"]
    responses.pop("default", None)
    statuses = {status for status in responses if status.startswith(("4", "5"))}
    statuses.add("414")  # any request line over gunicorn's limit (gunicorn_errors.py)
    if any("bearerAuth" in requirement for requirement in operation.get("security", [])):
        statuses.add("401")
    if "requestBody" in operation:
        statuses |= {"400", "413", "415"}
    if any(p.get("in") == "query" for p in operation.get("parameters", [])):
        statuses.add("400")
    if (method, path) not in NOT_RATE_LIMITED:
        statuses.add("429")
    if (method, path) not in NO_DATABASE:
        statuses.add("503")
    for status in sorted(statuses):
        given = responses.get(status, {})
        description = given.get("description") if "$ref" not in given else None
        responses[status] = _error_response(method, path, status, description or ERRORS[status][0])
    for status, response in responses.items():
        if not status.startswith(("4", "5")):
            response.setdefault("headers", {})["X-Request-ID"] = {
                "$ref": _REF + "headers/X-Request-ID"
            }
    operation["responses"] = dict(sorted(responses.items()))


def export(path: str | None = None) -> str:
    """The finished document as JSON text (written to ``path`` when given)."""
    import secrets

    from roleplay_api import create_app

    app = create_app(
        {
            "APP_ENV": "testing",
            "DATABASE_URL": "sqlite://",
            "JWT_SECRET_KEY": secrets.token_urlsafe(48),
        }
    )
    from roleplay_api.api.base import current_api

    text = json.dumps(current_api(app).spec.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if path:
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
    return text


if __name__ == "__main__":
    written = export(sys.argv[1] if len(sys.argv) > 1 else None)
    if len(sys.argv) <= 1:
        sys.stdout.write(written)
