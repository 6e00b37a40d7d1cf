"""The data-access layer: named statements, built once, and the one way services run them.

Every statement a service runs is a module-level ``Statement``: a name and a SQLAlchemy Core
statement with bind parameters, built at import. ``first``, ``all_rows`` and ``rowcount`` run
one such statement as its own transaction on a connection that stays in AUTOCOMMIT: as atomic
as BEGIN/statement/COMMIT at a third of the round trips, and nothing to roll back when the
connection returns to the pool. A multi-step change (a roleplay message) is a read, then a
write guarded by the version it read, so it needs no transaction held across the steps.

How a statement runs is this module's detail. On PostgreSQL each one is compiled once per app
(``_Prepared``) and executed on the pool's psycopg2 connection, skipping SQLAlchemy's
per-execution work while keeping its SQL, its type processing both ways, its exception classes
(a lost server is still a 503) and the pool's invalidation of a dead connection. SQLite, and
statements with expanding IN parameters, go through Core.

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
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.engine import Dialect, Engine

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


def dialect_name() -> str:
    return engine().dialect.name


def _execute(stmt: Statement, params: Mapping[str, Any]) -> tuple[list[Any] | None, int]:
    """(rows, or None for a statement without a result; rowcount), compiled or through Core."""
    if not isinstance(stmt, Statement):
        raise StatementError(
            f"run a named Statement built once (database.statement), not {type(stmt).__name__}"
        )
    bound = engine()
    prepared = _prepared_for(bound, stmt)
    if prepared is not None:
        return _run(bound, prepared, params)
    with bound.connect() as connection:
        result = connection.execute(stmt.sql, params)
        return (list(result) if result.returns_rows else None), result.rowcount


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


# ---- PostgreSQL's fast path -----------------------------------------------------------------


class _Prepared:
    """A Core statement compiled for one dialect, with its bind and result processors."""

    def __init__(self, stmt: sa.Executable, dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.compiled = compiled
        self.sql = compiled.string
        self.binds = {
            name: processor
            for name, bind in compiled.binds.items()
            if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        }
        columns: Sequence[Any] = getattr(stmt, "exported_columns", ()) or ()
        self.results: tuple[Callable[[Any], Any] | None, ...] = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns
        )
        self.row = _row_class(
            tuple(column.key or f"column_{i}" for i, column in enumerate(columns))
        )

    @property
    def expanding(self) -> bool:
        """An expanding IN (...) is rendered per execution: Core's job."""
        return bool(self.compiled.post_compile_params or self.compiled.literal_execute_params)

    def params(self, values: Mapping[str, Any]) -> dict[str, Any]:
        params = self.compiled.construct_params(values)
        for name, processor in self.binds.items():
            params[name] = processor(params[name])
        return params

    def make_row(self, raw: Sequence[Any]) -> Any:
        return self.row(
            *(value if p is None else p(value) for p, value in zip(self.results, raw, strict=True))
        )


def _row_class(keys: tuple[str, ...]) -> type:
    """A namedtuple row with what callers use of SQLAlchemy's Row: attributes, _asdict, _mapping."""
    row = namedtuple("Row", keys, rename=True)
    row._mapping = property(lambda self: self._asdict())  # type: ignore[attr-defined]
    return row


# Per engine (so per app) and gone with it: statement name -> its compiled form, or None where
# Core must run it. Bounded by MAX_STATEMENTS.
_prepared: weakref.WeakKeyDictionary[Engine, dict[str, _Prepared | None]]
_prepared = weakref.WeakKeyDictionary()


def _prepared_for(bound: Engine, stmt: Statement) -> _Prepared | None:
    """The statement compiled once for this app's PostgreSQL engine, or None: Core runs it."""
    if bound.dialect.name != "postgresql":
        return None
    cache = _prepared.get(bound)
    if cache is None:
        cache = _prepared.setdefault(bound, {})
    if stmt.name not in cache:
        prepared: _Prepared | None = _Prepared(stmt.sql, bound.dialect)
        cache[stmt.name] = None if prepared.expanding else prepared
    return cache[stmt.name]


def _run(
    bound: Engine, prepared: _Prepared, values: Mapping[str, Any]
) -> tuple[list[Any] | None, int]:
    """Execute on a pooled psycopg2 connection: (rows, or None without a result; rowcount)."""
    dialect = bound.dialect
    dbapi_error = dialect.loaded_dbapi.Error
    params = prepared.params(values)
    try:
        fairy = bound.raw_connection()
    except dbapi_error as error:  # the pool hands DBAPI errors of connect() through as they are
        raise sa.exc.DBAPIError.instance(
            None, None, error, dbapi_error, connection_invalidated=True, dialect=dialect
        ) from error
    cursor = None
    try:
        cursor = fairy.cursor()
        cursor.execute(prepared.sql, params)
        rows = None
        # Only what the statement asks for: an INSERT may still return its primary key
        # (SQLAlchemy's implicit RETURNING), which nobody reads.
        if prepared.results and cursor.description is not None:
            rows = [prepared.make_row(raw) for raw in cursor.fetchall()]
        return rows, cursor.rowcount
    except dbapi_error as error:
        # As Connection does: a dead connection leaves the pool, and the error is SQLAlchemy's.
        invalidated = dialect.is_disconnect(error, fairy.dbapi_connection, cursor)
        if invalidated:
            fairy.invalidate(error)
        raise sa.exc.DBAPIError.instance(
            prepared.sql,
            params,
            error,
            dbapi_error,
            connection_invalidated=invalidated,
            dialect=dialect,
        ) from error
    finally:
        if cursor is not None:
            with contextlib.suppress(dbapi_error):
                cursor.close()
        fairy.close()
