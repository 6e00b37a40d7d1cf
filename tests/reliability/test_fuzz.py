"""Fuzzing the OpenAPI document: every operation, every schemathesis check, 0 failures.

Bounded part (make test): in process, through the WSGI app, a fixed derandomized set of cases per
operation on every database. Full part (make reliability): the schemathesis CLI against the served
``/api/openapi.json`` of a real gunicorn on a throwaway PostgreSQL, 5,000+ cases.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from tests.conftest import TEST_SECRET
from tests.reliability import st_hooks
from tests.reliability.figures import record
from tests.reliability.servers import BIN, ROOT, SERVER_SECRET, Gunicorn, migrate, server_env
from tests.reliability.tokens import mint

BOUNDED_EXAMPLES = int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", "15"))
CONFIG = Path(__file__).with_name("schemathesis.toml")
FULL_CASES = int(os.environ.get("RELIABILITY_FUZZ_CASES", "6000"))


def _served_schema() -> schemathesis.BaseSchema:
    """The document the app serves, read at collection time (it needs no database).

    Cases then run against each test's own ``app`` (every database) via ``app=``; schemathesis'
    lazy ``from_fixture`` does not work with pytest 9 (it sets ``request.node._nodeid``).
    """
    from roleplay_api.extensions import db
    from tests.conftest import build_app

    collection_app = build_app("sqlite://")
    config = schemathesis.Config.from_path(CONFIG)
    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", collection_app, config=config)
    with collection_app.app_context():
        db.engine.dispose()
    return loaded


schema = _served_schema()


@pytest.fixture
def fuzz_user(register) -> str:
    return str(register("fuzz@example.com", "fuzz-password")["user"]["id"])


@pytest.mark.reliability
@schema.parametrize()
@settings(
    max_examples=BOUNDED_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_fuzz_every_operation_in_process(case, app, fuzz_user):
    # A fresh token per case: a fuzzed logout revokes only its own.
    refresh = case.operation.path == "/api/auth/refresh"
    token = mint(TEST_SECRET, fuzz_user, refresh=refresh)
    case.call_and_validate(
        app=app,
        headers={"Authorization": f"Bearer {token}"},
        additional_checks=[st_hooks.no_leaks_in_errors],
    )


@pytest.mark.reliability_full
@pytest.mark.e2e
def test_fuzz_served_openapi_with_schemathesis_cli(pg_cluster, artifacts: Path) -> None:
    url = pg_cluster.create_database("fuzz")  # a fresh database: no stale rows
    migrate(url)
    with Gunicorn(server_env(url), artifacts / "gunicorn.log") as server:
        base = server.base_url
        spec = requests.get(f"{base}/api/openapi.json", timeout=10).json()
        ops = [
            op
            for item in spec["paths"].values()
            for method, op in item.items()
            if method in ("get", "post", "put", "patch", "delete")
        ]
        operations = len(ops)
        account = {"email": "fuzz@example.com", "password": "fuzz-password"}
        user = requests.post(f"{base}/api/auth/register", json=account, timeout=10).json()
        # Operations without inputs run out of distinct cases early; the coverage phase adds more.
        examples = max(100, math.ceil(FULL_CASES / operations))
        env = dict(
            os.environ,
            SCHEMATHESIS_HOOKS="tests.reliability.st_hooks",
            RELIABILITY_JWT_SECRET=SERVER_SECRET,
            RELIABILITY_USER_ID=str(user["data"]["user"]["id"]),
            PYTHONPATH=str(ROOT),
        )
        args = [
            str(BIN / "st"), "--config-file", str(CONFIG), "run", f"{base}/api/openapi.json",
            "--checks", "all", "--max-examples", str(examples), "--seed", "1",
            # One worker: CPython 3.11's ast.parse is not thread-safe, and hypothesis calls it to
            # describe lambdas ("AST constructor recursion depth mismatch" with --workers 2).
            "--workers", "1", "--request-timeout", "10", "--max-response-time", "5",
            "--generation-database", "none", "--no-color",
            "--report", "junit", "--report-dir", str(artifacts / "st-report"),
        ]  # fmt: skip
        # The working directory is the test's: schemathesis leaves .hypothesis/ behind there.
        result = subprocess.run(
            args, cwd=artifacts, env=env, capture_output=True, text=True, timeout=1500
        )
    output = result.stdout + result.stderr
    (artifacts / "schemathesis.txt").write_text(output)
    generated = re.search(r"(\d+) generated", output)
    generated_line = re.search(r"^\s*\d+ generated.*$", output, re.MULTILINE)
    tested = re.search(r"Tested:\s+(\d+)", output)
    cases = int(generated.group(1)) if generated else 0
    record(
        "fuzz",
        cases=cases,
        operations=operations,
        operations_tested=int(tested.group(1)) if tested else 0,
        max_examples=examples,
        exit_code=result.returncode,
        summary=generated_line.group(0) if generated_line else "",
    )
    assert result.returncode == 0, output[-6000:]
    assert cases >= 5000, output[-3000:]
    assert tested and int(tested.group(1)) == operations, output[-3000:]
