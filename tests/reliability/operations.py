"""The operations of the served OpenAPI document, with concrete URLs to call them."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient

METHODS = ("get", "post", "put", "patch", "delete")
# Values for path parameters that name nothing stored.
PLACEHOLDERS = {
    "sessionId": "session_" + "R" * 22,
    "session_id": "session_" + "R" * 22,
    "user_session_id": "reliability-missing",
}

# Valid bodies, so a refusal is about the attack and not about a missing field.
VALID_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "/api/auth/register"): {"email": "valid@example.com", "password": "valid-password"},
    ("post", "/api/auth/login"): {"email": "valid@example.com", "password": "valid-password"},
    ("post", "/api/training/roleplay/start"): {
        "scenarioId": "homeowner_objection",
        "scenarioTitle": "The price is too high",
        "difficulty": "PRO",
    },
    ("post", "/api/training/roleplay/{session_id}/message"): {"message": "What matters most?"},
    ("post", "/chat-state-sessions"): {"user_session_id": "reliability-key", "chat_state": "{}"},
    ("put", "/chat-state-sessions/{user_session_id}"): {"chat_state": "{}"},
    ("patch", "/chat-state-sessions/{user_session_id}"): {"step": 2},
    ("post", "/chat-state-sessions/{user_session_id}/restore"): {"version": 1},
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def bearer(self) -> bool:
        """Needs a JWT (as opposed to open or API-key operations)."""
        return any("bearerAuth" in item for item in self.spec.get("security", []))

    @property
    def has_body(self) -> bool:
        return "requestBody" in self.spec or self.method in ("post", "put", "patch")

    @property
    def body_type(self) -> str:
        """The body's media type (application/json, or PATCH's merge patch)."""
        content = self.spec.get("requestBody", {}).get("content", {})
        return next(iter(content), "application/json")

    @property
    def params(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.path)

    def url(self, **values: str) -> str:
        return re.sub(
            r"{(\w+)}", lambda m: values.get(m[1]) or PLACEHOLDERS.get(m[1], "x"), self.path
        )

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


def operations(client: FlaskClient) -> list[Operation]:
    spec = client.get("/api/openapi.json").get_json()
    return [
        Operation(method, path, item[method])
        for path, item in spec["paths"].items()
        for method in METHODS
        if method in item
    ]


def call(client: FlaskClient, op: Operation, url: str | None = None, **kwargs: Any):
    if op.has_body and "json" not in kwargs and "data" not in kwargs:
        kwargs["data"] = json.dumps(VALID_BODIES.get((op.method, op.path), {}))
        kwargs["content_type"] = op.body_type
    return client.open(url or op.url(), method=op.method.upper(), **kwargs)
