"""Fixtures shared by every test: an app per database, its client, CLI runner and users.

Every API test runs on SQLite and, when ``TEST_DATABASE_URL`` is set, on PostgreSQL too.
The schema is built once per database by running the real migrations; after each test every
table is emptied. We empty tables rather than roll back an outer transaction because services
commit, row locks and concurrent requests need real transactions, and pysqlite's SAVEPOINT
support needs driver hacks.
"""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from roleplay_api import create_app, database
from roleplay_api.config import database_url as normalize_url
from roleplay_api.extensions import db
from roleplay_api.observability import RequestContextFilter

# SQLAlchemy 2.1 maps postgresql:// to psycopg 3; we ship psycopg2.
PG_URL = normalize_url(os.environ.get("TEST_DATABASE_URL", "").strip())
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _postgres_problem(url: str) -> str | None:
    """None when PostgreSQL at ``url`` answers, else why not."""
    if not url:
        return "TEST_DATABASE_URL is not set"
    try:
        engine = sa.create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        engine.dispose()
    except Exception as exc:  # any failure to connect means "not usable"
        return f"TEST_DATABASE_URL does not answer: {exc.__class__.__name__}: {exc}".strip()
    return None


PG_PROBLEM = _postgres_problem(PG_URL)
BACKENDS = ["sqlite"] + (["postgresql"] if PG_PROBLEM is None else [])


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and PG_PROBLEM is not None:
        pytest.exit(f"CI is set but PostgreSQL is not usable: {PG_PROBLEM}", returncode=3)


def pytest_report_header(config: pytest.Config) -> list[str]:
    lines = [f"databases: {', '.join(BACKENDS)}"]
    if PG_PROBLEM is not None:
        lines.append(f"postgresql tests not run: {PG_PROBLEM}")
    return lines


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``postgres_only`` tests run only with the postgresql parameter; others are deselected."""
    keep, drop = [], []
    for item in items:
        backend = getattr(item, "callspec", None) and item.callspec.params.get("backend")
        if item.get_closest_marker("postgres_only") and backend != "postgresql":
            drop.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    if backend == "postgresql":
        reset_postgres(PG_URL)
        return PG_URL
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


TEST_SECRET = "test-secret-key-that-is-at-least-32-characters"


def build_app(database_url: str, **overrides: Any) -> Flask:
    config = {"APP_ENV": "testing", "DATABASE_URL": database_url, "JWT_SECRET_KEY": TEST_SECRET}
    return create_app(config | overrides)


@pytest.fixture(scope="session")
def _migrated_app(database_url: str) -> Iterator[Flask]:
    from flask_migrate import upgrade

    app = build_app(database_url)
    with app.app_context():
        upgrade()
    yield app
    database.dispose(app)


def empty_tables(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def app(_migrated_app: Flask) -> Iterator[Flask]:
    yield _migrated_app
    empty_tables(_migrated_app)


@pytest.fixture
def make_app(app: Flask, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Another app on the same database with config overrides (API keys, limits, ...)."""
    built: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        variant = build_app(database_url, **overrides)
        built.append(variant)
        return variant

    yield make
    for variant in built:
        database.dispose(variant)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


_emails = itertools.count(1)


@pytest.fixture
def register(client: FlaskClient) -> Callable[..., dict[str, Any]]:
    """Register a user through the API; returns the response data plus ready headers."""

    def register_user(email: str | None = None, password: str = "correct horse") -> dict[str, Any]:
        email = email or f"user{next(_emails)}@example.com"
        response = client.post("/api/auth/register", json={"email": email, "password": password})
        assert response.status_code == 201, response.get_json()
        data = response.get_json()["data"]
        data["headers"] = {"Authorization": f"Bearer {data['accessToken']}"}
        data["password"] = password
        return data

    return register_user


@pytest.fixture
def auth_headers(register: Callable[..., dict[str, Any]]) -> dict[str, str]:
    return register()["headers"]


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []
        self.addFilter(RequestContextFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def app_logs() -> Iterator[list[logging.LogRecord]]:
    """Records logged under ``roleplay_api`` (which does not propagate to caplog's root)."""
    handler = ListHandler()
    logger = logging.getLogger("roleplay_api")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)
