"""Settings read from the environment; production refuses to start without its secrets."""

from __future__ import annotations

import base64
import binascii
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from roleplay_api.json_codec import JSON_COLUMN_CODEC

ENVIRONMENTS = ("production", "development", "testing")


class ConfigError(RuntimeError):
    """The environment does not describe a runnable service."""


def _int(env: Mapping[str, str], name: str, default: int, minimum: int = 0) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be >= {minimum}, got {value}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name} must be true or false, got {raw!r}")


def _list(env: Mapping[str, str], name: str) -> list[str]:
    return [item.strip() for item in env.get(name, "").split(",") if item.strip()]


def _encryption_keys(env: Mapping[str, str], name: str) -> dict[str, bytes]:
    """``id:key,id:key`` with each key 16, 24 or 32 bytes in (URL-safe) base64; first is current."""
    keys: dict[str, bytes] = {}
    for item in _list(env, name):
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id or len(key_id) > 64:
            raise ConfigError(f"{name}: each entry must be <key id>:<base64 key>, got {key_id!r}")
        try:
            key = base64.urlsafe_b64decode(encoded.strip().replace("+", "-").replace("/", "_"))
        except (binascii.Error, ValueError):
            raise ConfigError(f"{name}: the key of {key_id!r} is not base64") from None
        if len(key) not in (16, 24, 32):
            raise ConfigError(f"{name}: the key of {key_id!r} must be 16, 24 or 32 bytes")
        if key_id in keys:
            raise ConfigError(f"{name}: key id {key_id!r} appears twice")
        keys[key_id] = key
    return keys


def database_url(raw: str) -> str:
    """Accept the common ``postgres://`` spelling and pick psycopg2 explicitly."""
    if raw.startswith("postgres://"):
        raw = "postgresql://" + raw.removeprefix("postgres://")
    if raw.startswith("postgresql://"):
        raw = "postgresql+psycopg2://" + raw.removeprefix("postgresql://")
    return raw


def engine_options(url: str, env: Mapping[str, str]) -> dict[str, Any]:
    if not url.startswith("postgresql"):
        # SQLite: wait for the write lock instead of failing at once under concurrent writers.
        return {"connect_args": {"timeout": 15}, **JSON_COLUMN_CODEC}
    statement_timeout = _int(env, "DB_STATEMENT_TIMEOUT_MS", 15000)
    return {
        **JSON_COLUMN_CODEC,
        "pool_size": _int(env, "DB_POOL_SIZE", 5, minimum=1),
        "max_overflow": _int(env, "DB_MAX_OVERFLOW", 5),
        "pool_timeout": _int(env, "DB_POOL_TIMEOUT", 5, minimum=1),
        "pool_recycle": 1800,
        # Fail fast when the server is unreachable so requests get a 503 instead of hanging.
        "connect_args": {
            "connect_timeout": _int(env, "DB_CONNECT_TIMEOUT", 3, minimum=1),
            "options": f"-c statement_timeout={statement_timeout}",
            "application_name": "roleplay-api",
        },
    }


def load_config(
    instance_path: str,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Build the Flask config from the environment, then apply ``overrides`` (used by tests)."""
    env = os.environ if env is None else env
    overrides = dict(overrides or {})
    app_env = str(overrides.pop("APP_ENV", None) or env.get("APP_ENV", "production")).lower()
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, got {app_env!r}")
    testing = app_env == "testing"

    default_db = "sqlite:///" + os.path.join(instance_path, "roleplay.db")
    url = database_url(overrides.pop("DATABASE_URL", None) or env.get("DATABASE_URL") or default_db)

    secret = str(overrides.pop("JWT_SECRET_KEY", None) or env.get("JWT_SECRET_KEY", ""))
    generated_secret = False
    if not secret:
        if app_env == "production":
            raise ConfigError(
                "JWT_SECRET_KEY is not set. Production refuses to start without it; "
                'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        secret, generated_secret = secrets.token_urlsafe(48), True
    elif len(secret) < 32:
        raise ConfigError("JWT_SECRET_KEY must be at least 32 characters long")

    config: dict[str, Any] = {
        "APP_ENV": app_env,
        "TESTING": testing,
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(url, env),
        "SQLALCHEMY_TRACK_MODIFICATIONS": False,
        "JWT_SECRET_KEY": secret,
        "JWT_SECRET_GENERATED": generated_secret,
        "JWT_ACCESS_TOKEN_EXPIRES": timedelta(minutes=_int(env, "JWT_ACCESS_TOKEN_MINUTES", 15, 1)),
        "JWT_REFRESH_TOKEN_EXPIRES": timedelta(days=_int(env, "JWT_REFRESH_TOKEN_DAYS", 30, 1)),
        "JWT_TOKEN_LOCATION": ["headers"],
        "JWT_ALGORITHM": "HS256",
        "JWT_DECODE_ALGORITHMS": ["HS256"],
        # werkzeug's scrypt: salted and deliberately slow. Tests use a cheaper method.
        "PASSWORD_HASH_METHOD": env.get("PASSWORD_HASH_METHOD", "scrypt"),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_BODY_BYTES", 2 * 1024 * 1024, 1024),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        "LOG_FORMAT": env.get("LOG_FORMAT", "json").lower(),
        "CORS_ORIGINS": _list(env, "CORS_ORIGINS"),
        "PROXY_FIX_X_FOR": _int(env, "PROXY_FIX_X_FOR", 0),
        "CHAT_STATE_MAX_BYTES": _int(env, "CHAT_STATE_MAX_BYTES", 1024 * 1024, 1),
        "CHAT_STATE_API_KEYS": _list(env, "CHAT_STATE_API_KEYS"),
        "CHAT_STATE_HISTORY": _int(env, "CHAT_STATE_HISTORY", 10),
        "CHAT_STATE_DEFAULT_TTL_SECONDS": _int(env, "CHAT_STATE_DEFAULT_TTL_SECONDS", 0),
        "CHAT_STATE_COMPRESS_MIN_BYTES": _int(env, "CHAT_STATE_COMPRESS_MIN_BYTES", 8192),
        "CHAT_STATE_ENCRYPTION_KEYS": _encryption_keys(env, "CHAT_STATE_ENCRYPTION_KEYS"),
        "COACH_ENGINE": env.get("COACH_ENGINE", "coach").lower(),
        "LLM_BASE_URL": env.get("LLM_BASE_URL", ""),
        "LLM_API_KEY": env.get("LLM_API_KEY", ""),
        "LLM_MODEL": env.get("LLM_MODEL", ""),
        "LLM_TIMEOUT_SECONDS": float(env.get("LLM_TIMEOUT_SECONDS", "10") or 10),
        "LLM_MAX_RETRIES": _int(env, "LLM_MAX_RETRIES", 1),
        "RATELIMIT_ENABLED": _bool(env, "RATELIMIT_ENABLED", not testing),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_DEFAULT": env.get("RATELIMIT_DEFAULT", "600 per minute"),
        "RATELIMIT_AUTH": env.get("RATELIMIT_AUTH", "10 per minute"),
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "roleplay-api"),
        # flask-smorest: the OpenAPI document and its interactive docs.
        "API_TITLE": "roleplay-api",
        "API_VERSION": "1.0.0",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "/docs",
        # Swagger UI's files come from the swagger-ui-bundle package (roleplay_api.api.docs):
        # the docs work offline. No validator badge: it would call validator.swagger.io.
        "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
        "OPENAPI_SWAGGER_UI_CONFIG": {
            "validatorUrl": None,
            "displayOperationId": True,
            "deepLinking": True,
        },
        "JSON_SORT_KEYS": False,
    }
    if testing:
        config.update(
            PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",  # noqa: S106 - a method name, not a secret
            LOG_LEVEL=env.get("LOG_LEVEL", "WARNING").upper(),
        )
    config.update(overrides)
    return config
