"""Reliability suite: a bounded part for ``make test``, a full part for ``make reliability``.

Tests marked ``reliability_full`` (thousands of fuzz cases, crash, outage, dependency audit) are
skipped unless ``RELIABILITY_FULL=1`` is set, which ``make reliability`` does.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.servers import ThrowawayPostgres, pg_bindir

FULL = os.environ.get("RELIABILITY_FULL", "").strip().lower() in ("1", "true", "yes")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if FULL:
        return
    skip = pytest.mark.skip(reason="full reliability run only: make reliability")
    for item in items:
        if item.get_closest_marker("reliability_full"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayPostgres]:
    """A throwaway PostgreSQL cluster (initdb + pg_ctl), always stopped and removed afterwards."""
    if pg_bindir() is None:
        pytest.fail("the full reliability run needs PostgreSQL's initdb and pg_ctl")
    # Not under pytest's tmp dir: the postgres user must be able to reach the socket directory.
    cluster = ThrowawayPostgres(Path(tempfile.mkdtemp(prefix="reliability-pg-", dir="/tmp")))
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    """Where a test keeps server logs and reports (kept by pytest for the last runs)."""
    return tmp_path
