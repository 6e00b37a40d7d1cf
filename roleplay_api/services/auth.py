"""Accounts and tokens: registration, sign-in, token issue and revocation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from roleplay_api import database
from roleplay_api.errors import EmailTaken, NotFound, Unauthorized
from roleplay_api.extensions import db
from roleplay_api.models import RevokedToken, User

BAD_CREDENTIALS = "Invalid email or password"


@dataclass(frozen=True)
class AuthResult:
    user: User
    access_token: str
    refresh_token: str


def normalize_email(email: str) -> str:
    return email.strip().lower()


def _hash(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def create_user(email: str, password: str) -> User:
    """Create an account; EmailTaken if the (case-insensitive) email is in use."""
    user = User(email=normalize_email(email), password_hash=_hash(password))
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # The unique constraint decides, so concurrent registrations cannot both win.
        db.session.rollback()
        raise EmailTaken() from None
    return user


def register(email: str, password: str) -> AuthResult:
    return issue_tokens(create_user(email, password))


def login(email: str, password: str) -> AuthResult:
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
    if user is None:
        # Spend the same time as a real check so response times do not reveal which emails exist.
        check_password_hash(_dummy_hash(), password)
        raise Unauthorized(BAD_CREDENTIALS)
    if not check_password_hash(user.password_hash, password):
        raise Unauthorized(BAD_CREDENTIALS)
    return issue_tokens(user)


def issue_tokens(user: User) -> AuthResult:
    identity = str(user.id)
    return AuthResult(
        user=user,
        access_token=create_access_token(identity=identity),
        refresh_token=create_refresh_token(identity=identity),
    )


def refresh_access_token(user_id: int) -> str:
    get_user(user_id)
    return create_access_token(identity=str(user_id))


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def get_user_by_email(email: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.email == normalize_email(email)))
    if user is None:
        raise NotFound(f"No user with email {email}")
    return user


def revoke_token(claims: dict[str, Any]) -> None:
    """Refuse this token from now on, in every process that shares the database."""
    expires = claims.get("exp")
    db.session.add(
        RevokedToken(
            jti=claims["jti"],
            token_type=claims.get("type", "access"),
            user_id=int(claims["sub"]) if str(claims.get("sub", "")).isdigit() else None,
            expires_at=datetime.fromtimestamp(expires, UTC) if expires else None,
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # revoked twice at once: already done


_REVOKED = database.statement(
    "auth.revoked", sa.select(RevokedToken.id).where(RevokedToken.jti == sa.bindparam("jti"))
)


def is_token_revoked(jti: str) -> bool:
    """Asked on every authenticated request: one SELECT, outside the ORM session."""
    return database.first(_REVOKED, {"jti": jti}) is not None


def purge_expired_revocations(now: datetime | None = None) -> int:
    """Delete revocations of tokens that have expired anyway; returns how many."""
    now = now or datetime.now(UTC)
    result = db.session.execute(sa.delete(RevokedToken).where(RevokedToken.expires_at < now))
    db.session.commit()
    return result.rowcount or 0


_DUMMY: dict[str, str] = {}


def _dummy_hash() -> str:
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY:
        _DUMMY[method] = generate_password_hash("not-a-real-password", method=method)
    return _DUMMY[method]
