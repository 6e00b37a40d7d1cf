"""The data-access layer: named statements, built once, and the one way services run them.

Every statement a service runs is a module-level ``Statement``: a name and a SQLAlchemy Core
statement with bind parameters, built at import. ``first``, ``all_rows`` and ``rowcount`` run
one such statement as its own transaction on a connection that stays in AUTOCOMMIT: as atomic
as BEGIN/statement/COMMIT at a third of the round trips, and nothing to roll back when the
connection returns to the pool. A multi-step change (a roleplay message) is a read, then a
write guarded by the version it read, so it needs no transaction held across the steps.
Writes that must land together (a chat state and its history row) run their named statements
in ``transaction()``: one BEGIN ... COMMIT on one connection.

How a statement runs is this package's detail: on PostgreSQL each one is compiled once per app
and executed on the pool's psycopg2 connection (``_compiled.py``); SQLite, and statements with
expanding IN parameters, go through Core.

A statement built per request would be compiled and kept per request: the runners refuse
anything but a ``Statement``, a name can be defined once, and there are at most
``MAX_STATEMENTS`` of them, so the compiled cache is bounded by the code, not by the traffic.

The ORM (``db.session``) is kept where its unit of work earns its place: accounts, token
revocation and the scenario library's seeding, which add and change objects, and the CLI.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Mapping
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.engine import Engine

from roleplay_api.database import _compiled
from roleplay_api.extensions import db

log = logging.getLogger(__name__)

MAX_STATEMENTS = 200  # about 40 today; a leak of per-request statements hits this at once
_EXTENSION = "autocommit_engine"
_lock = threading.Lock()


class StatementError(TypeError):
    """A statement that was not built once and named (see the module docstring)."""


class Statement:
    """A named Core statement, built once at import time."""

    __slots__ = ("name", "sql")

    def __init__(self, name: str, sql: sa.Executable) -> None:
        self.name = name
        self.sql = sql

    def __repr__(self) -> str:
        return f"<Statement {self.name}>"


class Registry:
    """Statements by name: each name defined once, at most ``limit`` of them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.statements: dict[str, Statement] = {}
        self._lock = threading.Lock()

    def define(self, name: str, sql: sa.Executable) -> Statement:
        with self._lock:
            if name in self.statements:
                raise StatementError(f"statement {name!r} is already defined: build it once")
            if len(self.statements) >= self.limit:
                raise StatementError(
                    f"more than {self.limit} statements: is one built per request? ({name!r})"
                )
            found = self.statements[name] = Statement(name, sql)
        return found


_registry = Registry(MAX_STATEMENTS)


def statement(name: str, sql: sa.Executable) -> Statement:
    """Name ``sql`` for the runners; each name once, at most MAX_STATEMENTS in all."""
    return _registry.define(name, sql)


def statement_names() -> frozenset[str]:
    return frozenset(_registry.statements)


# ---- running them ---------------------------------------------------------------------------


def first(stmt: Statement, params: Mapping[str, Any]) -> Any:
    """The first row (attributes, ``_asdict()``, ``_mapping``), or None."""
    rows, _ = _execute(stmt, params)
    return rows[0] if rows else None


def all_rows(stmt: Statement, params: Mapping[str, Any]) -> list[Any]:
    return _execute(stmt, params)[0] or []


def rowcount(stmt: Statement, params: Mapping[str, Any]) -> int:
    return _execute(stmt, params)[1]


class Transaction:
    """Named statements run on one connection inside one transaction (see ``transaction``)."""

    __slots__ = ("_connection",)

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection

    def first(self, stmt: Statement, params: Mapping[str, Any]) -> Any:
        rows = self._execute(stmt, params).all()
        return rows[0] if rows else None

    def rowcount(self, stmt: Statement, params: Mapping[str, Any]) -> int:
        return self._execute(stmt, params).rowcount

    def _execute(self, stmt: Statement, params: Mapping[str, Any]) -> Any:
        _check(stmt)
        return self._connection.execute(stmt.sql, params)


@contextlib.contextmanager
def transaction() -> Iterator[Transaction]:
    """BEGIN; the block's statements; COMMIT (ROLLBACK if it raises). Short: no waiting inside."""
    with db.engine.begin() as connection:
        yield Transaction(connection)


def dialect_name() -> str:
    return engine().dialect.name


def _execute(stmt: Statement, params: Mapping[str, Any]) -> tuple[list[Any] | None, int]:
    """(rows, or None for a statement without a result; rowcount), compiled or through Core."""
    _check(stmt)
    bound = engine()
    prepared = _compiled.prepared_for(bound, stmt)
    if prepared is not None:
        return _compiled.run(bound, prepared, params)
    with bound.connect() as connection:
        result = connection.execute(stmt.sql, params)
        return (list(result) if result.returns_rows else None), result.rowcount


def _check(stmt: Any) -> None:
    if not isinstance(stmt, Statement):
        raise StatementError(
            f"run a named Statement built once (database.statement), not {type(stmt).__name__}"
        )


# ---- the app's engine and session -----------------------------------------------------------


def init_app(app: Flask) -> None:
    """Bind Flask-SQLAlchemy, close sessions safely, and set SQLite's PRAGMAs."""
    db.init_app(app)
    _register_session_teardown(app)  # after init_app: teardowns run in reverse order
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _configure_sqlite(app)


def engine() -> Engine:
    """This app's autocommit engine, built on first use (once, whatever the threads)."""
    extensions = current_app.extensions
    found = extensions.get(_EXTENSION)
    if found is None:
        with _lock:
            found = extensions.get(_EXTENSION)
            if found is None:
                options = current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {})
                found = extensions[_EXTENSION] = _build(db.engine, options)
    return found


def dispose(app: Flask) -> None:
    """Close the app's pools: the autocommit one (PostgreSQL's own) and db.engine's."""
    found = app.extensions.pop(_EXTENSION, None)
    if found is not None and found.dialect.name == "postgresql":
        found.dispose()
    with app.app_context():
        db.engine.dispose()


def _build(engine: Engine, options: Mapping[str, Any]) -> Engine:
    if engine.dialect.name == "postgresql":
        # Its own pool of connections that stay in autocommit: switching a shared pool's
        # connection in and out of it costs psycopg2 a server round trip each way.
        return sa.create_engine(
            engine.url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None, **options
        )
    # SQLite: same pool (and the app's PRAGMAs); switching costs a PRAGMA, no server round trip.
    return engine.execution_options(isolation_level="AUTOCOMMIT")


def _configure_sqlite(app: Flask) -> None:
    """Foreign keys on, and WAL so readers do not block the writer."""
    with app.app_context():
        bound = db.engine

    @sa.event.listens_for(bound, "connect")
    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()


def _register_session_teardown(app: Flask) -> None:
    """Close the request's ORM session without letting a dead connection fail the response.

    Flask-SQLAlchemy's own teardown rolls back the open transaction; when the database died
    during the request that rollback raises, gunicorn turns it into an HTML 500 and the client
    never sees the (already computed) answer.
    """

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        try:
            db.session.remove()
        except sa.exc.SQLAlchemyError as error:
            log.warning("closing the database session failed: %s", error.__class__.__name__)
            with contextlib.suppress(sa.exc.SQLAlchemyError):
                db.session.invalidate()  # drop the connection; no rollback on a dead socket
            db.session.registry.clear()
