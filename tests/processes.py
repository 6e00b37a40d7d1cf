"""The one process harness for the e2e and reliability tests: ports, spawning, waiting, stopping.

Ports: a server that can take a listening socket (gunicorn, ``-b fd://N``) gets one already
bound here, so no other process can take the port between our choosing it and the server
binding it. Servers that cannot (nginx, redis, PostgreSQL) get a free port and are started
again on another one if they lose it to someone else meanwhile (``start_on_free_port``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
T = TypeVar("T")


def free_port() -> int:
    """A loopback port free right now (it may be taken before it is used: see the docstring)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def listening_socket() -> socket.socket:
    """A bound, listening loopback socket a child process can inherit and serve on."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


class PortTaken(RuntimeError):
    """The server could not bind its port: another process took it first."""


def start_on_free_port(start: Callable[[int], T], attempts: int = 3) -> T:
    """``start(port)`` on a free port, again on another one if that port was taken meanwhile."""
    for attempt in range(attempts):
        try:
            return start(free_port())
        except PortTaken:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def require_binary(name: str) -> str:
    """The path of ``name``; missing, the test is skipped (failed in CI). ``make e2e-deps``
    installs what these tests need."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin")
    if found:
        return found
    message = f"{name} is not installed: run `make e2e-deps`"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def wait_until(
    check: Any, what: str, timeout: float = 30.0, process: Process | None = None
) -> None:
    """Poll ``check()`` until it is truthy; fail with the process log when it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.popen.poll() is not None:
            if process.lost_its_port():
                raise PortTaken(f"{what}: {process.tail(5)}")
            raise AssertionError(f"{what}: process exited early\n{process.tail()}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what}: not ready after {timeout}s\n{process.tail() if process else ''}")


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def tail(self, lines: int = 40) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def lost_its_port(self) -> bool:
        return "address already in use" in self.tail(20).lower()

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15.0) -> None:
        """Signal the whole process group (make, gunicorn's master and its workers)."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(5)
        # Anything left in the group (workers of a master that died first) goes too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signal.SIGKILL)


def spawn(
    name: str,
    command: list[str],
    log: Path,
    env: Mapping[str, str] | None = None,
    pass_fds: Sequence[int] = (),
) -> Process:
    """Start ``command`` in its own process group, output to ``log``."""
    with log.open("ab") as out:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=dict(env or os.environ),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one
            pass_fds=tuple(pass_fds),
        )
    return Process(name, popen, log)


def alive(pid: int) -> bool:
    """Running, as opposed to gone or a zombie waiting for its reaper."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_gone(pids: list[int], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not [pid for pid in pids if alive(pid)]:
            return
        time.sleep(0.05)
