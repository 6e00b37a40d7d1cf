"""Run a command (the test suite) with TEST_DATABASE_URL set, so PostgreSQL's path is covered.

``make test`` runs pytest through this. With TEST_DATABASE_URL already set, it only runs the
command. Otherwise it starts a throwaway PostgreSQL cluster (initdb + pg_ctl, removed
afterwards) and points TEST_DATABASE_URL at it; without PostgreSQL's server binaries it says
so and the suite runs on SQLite alone (CI, which sets TEST_DATABASE_URL, refuses that).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.reliability.servers import ThrowawayPostgres, pg_bindir


def main(command: list[str]) -> int:
    if os.environ.get("TEST_DATABASE_URL", "").strip():
        return subprocess.call(command)
    if pg_bindir() is None:
        print(
            "make test: no TEST_DATABASE_URL and no PostgreSQL server binaries: "
            "PostgreSQL's execution path is NOT covered by this run",
            file=sys.stderr,
        )
        return subprocess.call(command)
    # Not under a private tmp dir: the postgres user must reach the socket directory.
    cluster = ThrowawayPostgres(Path(tempfile.mkdtemp(prefix="make-test-pg-", dir="/tmp")))
    try:
        cluster.init()
        cluster.start()
        url = cluster.create_database("test")
        print(f"make test: PostgreSQL tests on a throwaway cluster ({url})", file=sys.stderr)
        return subprocess.call(command, env=os.environ | {"TEST_DATABASE_URL": url})
    finally:
        cluster.destroy()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
