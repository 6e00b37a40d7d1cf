"""Real processes for the reliability suite: a throwaway PostgreSQL cluster and gunicorn.

Everything listens on 127.0.0.1 on a port picked at run time, is bounded in time, and is
stopped by whoever started it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

from tests.processes import BIN, ROOT, free_port, listening_socket, wait_gone

__all__ = ["BIN", "ROOT", "Gunicorn", "ThrowawayPostgres", "migrate", "pg_bindir", "server_env"]

SERVER_SECRET = "reliability-secret-key-that-is-at-least-32-characters"


def pg_bindir() -> Path | None:
    """The newest PostgreSQL server binaries on this machine, if any."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class ThrowawayPostgres:
    """A PostgreSQL cluster of our own, so a test may stop and start it at will."""

    def __init__(self, base: Path) -> None:
        bindir = pg_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.bindir = bindir
        self.base = base
        self.data = base / "data"
        self.port = free_port()
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        # initdb refuses to run as root: run the server tools as the postgres user then.
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run(
            prefix + list(args), check=True, capture_output=True, text=True, timeout=timeout
        )

    def init(self) -> None:
        self.base.mkdir(parents=True, exist_ok=True)
        if self.as_root:
            shutil.chown(self.base, "postgres", "postgres")
        os.chmod(self.base, 0o700)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip

    def start(self) -> float:
        """Start (or restart) the server; returns how long it took in seconds."""
        began = time.monotonic()
        options = f"-p {self.port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.base / "server.log"),
            "-o", options, "-w", "-t", "30", "start",
        )  # fmt: skip
        return time.monotonic() - began

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        pid_file = self.data / "postmaster.pid"
        return pid_file.exists()

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{dbname}"

    def create_database(self, name: str) -> str:
        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        return self.url(name)

    def destroy(self) -> None:
        if self.is_running():
            with contextlib.suppress(subprocess.SubprocessError):
                self.stop("immediate")
        shutil.rmtree(self.base, ignore_errors=True)


def migrate(database_url: str) -> None:
    """Build the schema with the real migrations."""
    from flask_migrate import upgrade

    from roleplay_api.extensions import db
    from tests.conftest import build_app

    app = build_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    """A production configuration with cheap password hashing and no rate limits (fuzzing)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "GUNICORN"))}
    env.update(
        APP_ENV="production",
        DATABASE_URL=database_url,
        JWT_SECRET_KEY=SERVER_SECRET,
        PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
        RATELIMIT_ENABLED="false",
        LOG_LEVEL="WARNING",
        DB_CONNECT_TIMEOUT="2",
        DB_POOL_TIMEOUT="2",
    )
    env.update(extra)
    return env


class Gunicorn:
    """gunicorn serving wsgi:app on a free loopback port, in its own process group."""

    def __init__(self, env: dict[str, str], log: Path, workers: int = 2, threads: int = 4) -> None:
        self.env = env
        self.log = log
        self.workers = workers
        self.threads = threads
        # Bound here and inherited by gunicorn (fd://): the port cannot be taken in between.
        self.socket = listening_socket()
        self.port = self.socket.getsockname()[1]
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30) -> None:
        args = [
            str(BIN / "gunicorn"), "--no-control-socket", "-b", f"fd://{self.socket.fileno()}",
            "-w", str(self.workers), "-k", "gthread", "--threads", str(self.threads),
            "--timeout", "30", "--graceful-timeout", "5", "wsgi:app",
        ]  # fmt: skip
        with open(self.log, "ab") as log, self.socket:  # gunicorn holds its own copy
            self.proc = subprocess.Popen(
                args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, pass_fds=[self.socket.fileno()],
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}; see {self.log}")
            try:
                if requests.get(self.base_url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer within {timeout}s; see {self.log}")

    def pids(self) -> list[int]:
        """The master and its workers."""
        assert self.proc is not None
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [self.proc.pid] + [int(pid) for pid in out.split()]

    def kill9(self) -> list[int]:
        """SIGKILL the master and every worker at once: no graceful anything."""
        pids = self.pids()
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        assert self.proc is not None
        self.proc.wait(timeout=10)
        wait_gone(pids)
        return pids

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()
