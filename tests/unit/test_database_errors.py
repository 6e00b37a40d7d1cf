"""Which database failures are a retryable 503 and which are a bug (500)."""

import sqlite3

import psycopg2
import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from roleplay_api.errors import _is_unavailable


class PgError(psycopg2.OperationalError):
    def __init__(self, pgcode):
        super().__init__("pg")
        self._code = pgcode

    @property
    def pgcode(self):
        return self._code


def operational(orig, invalidated=False):
    return OperationalError("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (operational(PgError(None)), True),  # could not connect at all
        (operational(PgError("08006")), True),  # connection failure
        (operational(PgError("57P01")), True),  # admin shutdown
        (operational(PgError("53300")), True),  # too many connections
        (operational(PgError("57014")), True),  # statement timeout
        (operational(PgError("40P01")), True),  # deadlock
        (operational(PgError("42P01")), False),  # undefined table: a bug
        (operational(sqlite3.OperationalError("database is locked")), True),
        (operational(sqlite3.OperationalError("no such table: x")), False),
        (operational(sqlite3.OperationalError("no such table: x"), invalidated=True), True),
        (PoolTimeoutError("pool exhausted"), True),
        (ProgrammingError("SELECT", {}, Exception("syntax")), False),
        (IntegrityError("INSERT", {}, Exception("dup")), False),
        (RuntimeError("boom"), False),
    ],
)
def test_is_unavailable(error, retryable):
    assert _is_unavailable(error) is retryable
