"""PostgreSQL's fast path: a named statement compiled once per app, run on the pooled psycopg2
connection. The data-access layer's detail: services never import this module.

SQLAlchemy's per-execution work (execution context, parameter and result objects) was a third
of a chat-state GET's database cost. Kept from SQLAlchemy: its SQL, its type processing both
ways, its exception classes (a lost server is still a 503) and the pool's invalidation of a
dead connection. tests/api/test_database.py holds rows and errors equal to Core's.
"""

from __future__ import annotations

import contextlib
import weakref
from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect, Engine

if TYPE_CHECKING:
    from roleplay_api.database import Statement


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


def prepared_for(bound: Engine, stmt: Statement) -> _Prepared | None:
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


def run(
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
