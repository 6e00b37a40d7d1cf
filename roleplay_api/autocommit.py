"""Single statements outside the ORM session, on connections that stay in AUTOCOMMIT.

A request that needs one statement (a read, a token check, an upsert) runs it here: one
statement is its own transaction, so it is as atomic as BEGIN/statement/COMMIT while costing one
round trip instead of three, and the pool has nothing to roll back when the connection returns.
Multi-statement work (a roleplay message: lock, judge, write) runs in a transaction on
``db.engine``; ORM work (accounts, scenarios, the CLI) stays in ``db.session``.

On PostgreSQL the statements, written with SQLAlchemy Core and built once, are also compiled
once (``Prepared``) and run on the pool's psycopg2 connection: SQLAlchemy's per-execution work
(execution context, parameter and result objects) was a third of a chat-state GET's database
cost. What SQLAlchemy does that matters is kept: its SQL, its type processing both ways, its
exception classes (so a lost server is still a 503) and the pool's invalidation of a dead
connection. SQLite, and statements with expanding IN parameters, go through Core as usual.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.engine import Dialect, Engine

from roleplay_api.extensions import db

_EXTENSION = "autocommit_engine"
_lock = threading.Lock()


def _build(engine: Engine, options: Mapping[str, Any]) -> Engine:
    if engine.dialect.name == "postgresql":
        # Its own pool of connections that stay in autocommit: switching a shared pool's
        # connection in and out of it costs psycopg2 a server round trip each way.
        return sa.create_engine(
            engine.url, isolation_level="AUTOCOMMIT", pool_reset_on_return=None, **options
        )
    # SQLite: same pool (and the app's PRAGMAs); switching costs a PRAGMA, no server round trip.
    return engine.execution_options(isolation_level="AUTOCOMMIT")


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
    """Close the app's autocommit pool (PostgreSQL's own; on SQLite it is db.engine's)."""
    found = app.extensions.pop(_EXTENSION, None)
    if found is not None and found.dialect.name == "postgresql":
        found.dispose()


class Prepared:
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


# Per engine (so per app) and gone with it: statement id -> (the statement, kept alive so its id
# is not reused; its compiled form, or None where Core must run it).
_prepared: weakref.WeakKeyDictionary[Engine, dict[int, tuple[sa.Executable, Prepared | None]]]
_prepared = weakref.WeakKeyDictionary()


def _prepared_for(bound: Engine, stmt: sa.Executable) -> Prepared | None:
    """The statement compiled once for this app's PostgreSQL engine, or None: Core runs it.

    Kept by identity: callers pass statements built once (module level or cached), never one
    built per request.
    """
    if bound.dialect.name != "postgresql":
        return None
    cache = _prepared.get(bound)
    if cache is None:
        cache = _prepared.setdefault(bound, {})
    entry = cache.get(id(stmt))
    if entry is None or entry[0] is not stmt:
        prepared: Prepared | None = Prepared(stmt, bound.dialect)
        if prepared.compiled.post_compile_params or prepared.compiled.literal_execute_params:
            prepared = None  # an expanding IN (...) is rendered per execution: Core's job
        entry = cache[id(stmt)] = (stmt, prepared)
    return entry[1]


def _run(
    bound: Engine, prepared: Prepared, values: Mapping[str, Any]
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


def _execute(stmt: sa.Executable, params: Mapping[str, Any]) -> tuple[list[Any] | None, int]:
    """(rows, or None for a statement without a result; rowcount), compiled or through Core."""
    bound = engine()
    prepared = _prepared_for(bound, stmt)
    if prepared is not None:
        return _run(bound, prepared, params)
    with bound.connect() as connection:
        result = connection.execute(stmt, params)
        return (list(result) if result.returns_rows else None), result.rowcount


def first(stmt: sa.Executable, params: Mapping[str, Any]) -> Any:
    """The first row (attributes, ``_asdict()``, ``_mapping``), or None."""
    rows, _ = _execute(stmt, params)
    return rows[0] if rows else None


def all_rows(stmt: sa.Executable, params: Mapping[str, Any]) -> list[Any]:
    return _execute(stmt, params)[0] or []


def rowcount(stmt: sa.Executable, params: Mapping[str, Any]) -> int:
    return _execute(stmt, params)[1]
