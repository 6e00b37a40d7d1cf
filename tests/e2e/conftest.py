"""e2e fixtures: a migrated database and real gunicorn instances behind the shipped nginx config.

PostgreSQL at TEST_DATABASE_URL when it answers, else a SQLite file. Other tests drop and
rebuild that schema, so each e2e module migrates it itself with ``flask db upgrade`` (what
``make serve`` runs) and empties the tables when done.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import PG_PROBLEM, PG_URL, build_app, empty_tables
from tests.e2e.harness import ROOT, Gunicorn, Nginx, Process, call, start_gunicorn, start_nginx
from tests.processes import wait_until

E2E_SECRET = "e2e-secret-key-that-is-long-enough-0123456789"
# Settings a developer's shell might hold that would change what we test.
_OURS = ("GUNICORN_", "RATELIMIT_", "PROMETHEUS_", "CORS_", "PROXY_FIX", "WEB_CONCURRENCY")


def app_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OURS)}
    env.update(
        APP_ENV="production",
        DATABASE_URL=database_url,
        JWT_SECRET_KEY=E2E_SECRET,
        PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
        LOG_LEVEL="INFO",
        LOG_FORMAT="json",
        PROXY_FIX_X_FOR="1",  # one nginx in front
        RATELIMIT_ENABLED="true",
        RATELIMIT_STORAGE_URI="memory://",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def e2e_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if PG_PROBLEM is None:
        url = PG_URL
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("e2e-db") / "e2e.db")
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=app_env(url),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    yield url
    app = build_app(url)
    empty_tables(app)
    with app.app_context():
        from roleplay_api.extensions import db

        db.engine.dispose()


@dataclass
class Stack:
    nginx: Nginx
    instances: list[Gunicorn]
    routes: set[str] = field(default_factory=set)
    processes: list[Process] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.nginx.port

    def call(self, method: str, path: str, **kwargs: Any):
        return call(self.port, method, path, **kwargs)

    def served_by(self, request_id: str) -> int:
        """Which instance's access log holds ``request_id`` (exactly one must). A worker writes
        its access line after the reply has gone: wait for it to reach the log."""
        wait_until(
            lambda: any(inst.access(request_id) for inst in self.instances),
            f"an access line for {request_id}",
            timeout=5,
        )
        found = [i for i, inst in enumerate(self.instances) if inst.access(request_id)]
        assert len(found) == 1, (request_id, found)
        return found[0]

    def require_route(self, path: str) -> None:
        """A route the contract (API.md) promises must be served: renamed is a failure."""
        assert path in self.routes, f"{path} (API.md) is not in the OpenAPI document: renamed?"


@pytest.fixture(scope="module")
def start_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., Stack]]:
    """Start N gunicorn instances (gunicorn.conf.py) behind one nginx; stop all afterwards."""
    started: list[Process] = []

    def start(
        env: dict[str, str], instances: int = 1, workers: int = 2, make_serve: bool = False
    ) -> Stack:
        tmp = tmp_path_factory.mktemp("stack")
        guns = []
        for n in range(instances):
            gun = start_gunicorn(tmp, f"gunicorn{n}", env, workers=workers, make_serve=make_serve)
            started.append(gun.process)
            guns.append(gun)
        nginx = start_nginx(tmp, [g.port for g in guns])
        started.append(nginx.process)
        spec = call(nginx.port, "GET", "/api/openapi.json").json()
        return Stack(nginx, guns, set(spec["paths"]), started)

    yield start
    for process in reversed(started):
        process.stop()


def new_request_id(prefix: str) -> str:
    return f"{prefix}-{os.urandom(6).hex()}"
