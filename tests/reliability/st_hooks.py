"""Schemathesis hooks: a fresh valid token per request, and a check that errors leak nothing.

Loaded by the CLI run (``SCHEMATHESIS_HOOKS=tests.reliability.st_hooks``) and imported by the
in-process run. The CLI run reads the signing key and the user id from the environment.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

import schemathesis
from hypothesis import strategies as st

from tests.reliability.tokens import mint

# What must never reach a client: tracebacks, SQL, driver and ORM names, file paths.
LEAKS = re.compile(
    r"Traceback \(most recent call last\)|File \"/|\bsqlalchemy\b|\bpsycopg2?\b|\bsqlite3?\b"
    r"|\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|site-packages|werkzeug\.exceptions",
    re.IGNORECASE,
)


def leaks_in(text: str, secrets: tuple[str, ...] = ()) -> list[str]:
    found = [match.group(0) for match in LEAKS.finditer(text)]
    return found + [f"secret {s[:6]}..." for s in secrets if s and s in text]


@schemathesis.check
def no_leaks_in_errors(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every error body is the contract's JSON envelope, with no trace, SQL or secret in it."""
    if response.status_code < 400:
        return None
    text = response.text
    secret = os.environ.get("RELIABILITY_JWT_SECRET", "")
    found = leaks_in(text, (secret,))
    if found:
        raise AssertionError(f"error body leaks {found}: {text[:300]}")
    headers = {name.lower(): value for name, value in response.headers.items()}
    content_type = headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if not content_type.startswith("application/json"):
        raise AssertionError(f"error body is {content_type!r}, not JSON")
    body = response.json()
    if body.get("success") is not False or not body.get("error", {}).get("code"):
        raise AssertionError(f"error body is not the contract's envelope: {text[:300]}")
    return None


# chat_state is a string holding JSON, said with the custom format "json": generate real JSON text.
_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=("Cs",))),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(st.characters(exclude_categories=("Cs",))), inner, max_size=4)
    ),
    max_leaves=12,
)
schemathesis.openapi.format("json", _json_values.map(json.dumps))


def _bearer(case: Any, token: str) -> None:
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


if os.environ.get("RELIABILITY_JWT_SECRET") and os.environ.get("RELIABILITY_USER_ID"):
    # A new token per request (no caching): a fuzzed logout revokes only the token it was sent.

    @schemathesis.auth(refresh_interval=None).skip_for(path="/api/auth/refresh")
    class AccessToken:
        def get(self, case: Any, ctx: Any) -> str:
            return mint(os.environ["RELIABILITY_JWT_SECRET"], os.environ["RELIABILITY_USER_ID"])

        def set(self, case: Any, data: str, ctx: Any) -> None:
            _bearer(case, data)

    @schemathesis.auth(refresh_interval=None).apply_to(path="/api/auth/refresh")
    class RefreshToken:
        def get(self, case: Any, ctx: Any) -> str:
            secret, user = os.environ["RELIABILITY_JWT_SECRET"], os.environ["RELIABILITY_USER_ID"]
            return mint(secret, user, refresh=True)

        def set(self, case: Any, data: str, ctx: Any) -> None:
            _bearer(case, data)
