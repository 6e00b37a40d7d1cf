"""JWTs for the reliability suite: real ones minted like the service does, and forged ones."""

from __future__ import annotations

import base64
import json
import time
import uuid
from typing import Any

import jwt as pyjwt
from flask import Flask
from flask_jwt_extended import JWTManager, create_access_token, create_refresh_token

_minters: dict[str, Flask] = {}


def _minter(secret: str) -> Flask:
    # A bare app with the service's JWT settings: tokens identical in shape to the real ones,
    # without a database (the fuzzer asks for one per request).
    if secret not in _minters:
        app = Flask("token-minter")
        app.config.update(JWT_SECRET_KEY=secret, JWT_ALGORITHM="HS256")
        JWTManager(app)
        _minters[secret] = app
    return _minters[secret]


def mint(secret: str, user_id: int | str, *, refresh: bool = False) -> str:
    """A valid token with a fresh ``jti`` (so a fuzzed logout revokes only that one)."""
    with _minter(secret).app_context():
        make = create_refresh_token if refresh else create_access_token
        return make(identity=str(user_id))


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(user_id: int | str, **extra: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": str(user_id),
        "jti": str(uuid.uuid4()),
        "type": "access",
        "fresh": False,
        "iat": now,
        "nbf": now,
        "exp": now + 900,
    }
    claims.update(extra)
    return claims


def alg_none(user_id: int | str) -> str:
    """An unsigned token (``alg: none``) claiming to be ``user_id``."""
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{_b64(json.dumps(_claims(user_id)).encode())}."


def tampered(valid_token: str, user_id: int | str) -> str:
    """A real token whose payload was swapped for another user's, keeping the old signature."""
    header, _payload, signature = valid_token.split(".")
    return f"{header}.{_b64(json.dumps(_claims(user_id)).encode())}.{signature}"


def expired(secret: str, user_id: int | str) -> str:
    past = int(time.time()) - 3600
    claims = _claims(user_id, iat=past - 900, nbf=past - 900, exp=past)
    return pyjwt.encode(claims, secret, algorithm="HS256")


def signed_by_other_key(user_id: int | str) -> str:
    return pyjwt.encode(_claims(user_id), "another-key-that-is-at-least-32-chars-long!", "HS256")
