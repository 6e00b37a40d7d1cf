"""Single statements outside the ORM session, on connections that stay in AUTOCOMMIT.

A request that needs one statement (a read, a token check, an upsert) runs it here: one
statement is its own transaction, so it is as atomic as BEGIN/statement/COMMIT while costing one
round trip instead of three, and the pool has nothing to roll back when the connection returns.
Multi-statement work (a roleplay message: lock, judge, write) runs in a transaction on
``db.engine``; ORM work (accounts, scenarios, the CLI) stays in ``db.session``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy.engine import Engine

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


def first(stmt: sa.Executable, params: Mapping[str, Any]) -> sa.Row[Any] | None:
    with engine().connect() as connection:
        return connection.execute(stmt, params).first()


def all_rows(stmt: sa.Executable, params: Mapping[str, Any]) -> list[sa.Row[Any]]:
    with engine().connect() as connection:
        return list(connection.execute(stmt, params))


def rowcount(stmt: sa.Executable, params: Mapping[str, Any]) -> int:
    with engine().connect() as connection:
        return connection.execute(stmt, params).rowcount
