"""Unbound extension objects; bound to an app in create_app. Imports nothing of ours."""

import time
from datetime import timedelta
from typing import Any

from flask import Flask, current_app
from flask_jwt_extended import JWTManager
from flask_jwt_extended.config import config as jwt_config
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so the same Alembic revisions run on PostgreSQL and SQLite (batch mode).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True)


class VerifiedTokenCache:
    """Tokens whose signature and claims were verified, kept until they would expire.

    A token is the same bytes every time its holder sends it, and a verified one stays valid
    until ``exp`` (+ leeway): nbf and iat only ever pass once they have passed. So checking it
    again is repeated work: PyJWT decodes it three times and walks its base64 character by
    character, about a fifth of a list request. Bounded (oldest out first); per app, because
    each app has its own key. The revocation check is not cached: it runs on every request.
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._entries: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, token: str) -> dict[str, Any] | None:
        entry = self._entries.get(token)
        if entry is None:
            return None
        valid_until, claims = entry
        if time.time() >= valid_until:
            self._entries.pop(token, None)
            return None
        return dict(claims)  # a copy: callers may add to what they get

    def put(self, token: str, claims: dict[str, Any], leeway: float | timedelta) -> None:
        if isinstance(leeway, timedelta):
            leeway = leeway.total_seconds()
        expires = claims.get("exp")
        valid_until = float(expires) + leeway if expires is not None else float("inf")
        while len(self._entries) >= self.size:
            try:  # another thread may have taken the same oldest entry
                del self._entries[next(iter(self._entries))]
            except (KeyError, RuntimeError, StopIteration):
                break
        self._entries[token] = (valid_until, dict(claims))


class CachingJWTManager(JWTManager):
    """flask-jwt-extended's manager, verifying each distinct token once (VerifiedTokenCache).

    Only the plain case is cached: a CSRF value, or a caller allowing expired tokens, takes
    the library's own path every time.
    """

    CACHE_EXTENSION = "jwt_verified_tokens"

    def init_app(self, app: Flask, add_context_processor: bool = False) -> None:
        super().init_app(app, add_context_processor)
        app.extensions[self.CACHE_EXTENSION] = VerifiedTokenCache()

    def _decode_jwt_from_config(
        self, encoded_token: str, csrf_value: Any = None, allow_expired: bool = False
    ) -> dict[str, Any]:
        if csrf_value or allow_expired:
            return super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        cache: VerifiedTokenCache = current_app.extensions[self.CACHE_EXTENSION]
        claims = cache.get(encoded_token)
        if claims is None:
            claims = super()._decode_jwt_from_config(encoded_token)
            cache.put(encoded_token, claims, jwt_config.leeway)
        return claims


jwt = CachingJWTManager()
