"""Hostile bodies against real gunicorn: a chunked body with no length, and a lying length."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.reliability.servers import Gunicorn, ThrowawayPostgres, migrate, server_env

pytestmark = [pytest.mark.reliability_full, pytest.mark.e2e]

CHUNK = b"[" + b"1," * 32_767 + b"1]"  # 64 KiB of valid-looking JSON pieces


def _rss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def test_chunked_and_lying_bodies_are_refused_without_reading_them(
    pg_cluster: ThrowawayPostgres, artifacts: Path
) -> None:
    url = pg_cluster.create_database("hostile")
    migrate(url)
    with Gunicorn(server_env(url), artifacts / "gunicorn.log") as server:
        base = server.base_url
        workers = server.pids()[1:]
        before = _rss_kib(workers)

        def endless() -> Iterator[bytes]:
            # 64 MiB offered, far past the 2 MiB limit; the server must stop reading early.
            for _ in range(1024):
                yield CHUNK

        started = time.monotonic()
        try:
            response = requests.post(
                f"{base}/api/auth/login",
                data=endless(),
                headers={"Content-Type": "application/json"},
                timeout=30,
            )
            status = response.status_code
            body = response.json()
        except requests.ConnectionError:
            status, body = None, None  # the server hung up mid-upload: also a refusal
        elapsed = time.monotonic() - started
        assert status in (413, None), (status, body)
        if body is not None:
            assert body["error"]["code"] == "payload_too_large"
        assert elapsed < 10, elapsed

        # A Content-Length past the limit is refused from the headers alone, body never sent.
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(
                b"POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                b"Content-Length: 1073741824\r\nConnection: close\r\n\r\n"
            )
            reply = sock.recv(65536).decode("latin-1")
        assert reply.startswith("HTTP/1.1 413"), reply[:200]

        # A chunked body under the limit still works (register, then log in with it).
        account = b'{"email": "chunked@example.com", "password": "chunked-password"}'
        for path, status in (("/api/auth/register", 201), ("/api/auth/login", 200)):
            response = requests.post(
                f"{base}{path}",
                data=iter([account[:20], account[20:]]),
                headers={"Content-Type": "application/json"},
                timeout=10,
            )
            assert response.status_code == status, response.text[:300]

        assert requests.get(f"{base}/healthz", timeout=5).status_code == 200
        growth = _rss_kib(workers) - before
        assert growth < 48 * 1024, f"workers grew by {growth} KiB"
