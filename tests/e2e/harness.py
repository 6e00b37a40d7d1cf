"""Real processes for the e2e tests: gunicorn, nginx and Redis on free loopback ports."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import socket
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.processes import (
    ROOT,
    Process,
    listening_socket,
    require_binary,
    spawn,
    start_on_free_port,
    wait_until,
)

DEPLOY_NGINX = ROOT / "deploy" / "nginx"


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def call(
    port: int,
    method: str,
    path: str,
    *,
    json_body: Any = None,
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    source: str = "127.0.0.1",
    timeout: float = 15.0,
) -> Reply:
    """One HTTP request on a fresh connection from the loopback address ``source``."""
    headers = dict(headers or {})
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers.setdefault("Content-Type", "application/json")
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=timeout, source_address=(source, 0)
    )
    try:
        # The server may answer before reading the whole body (413): read that answer.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def log_records(log: Path, logger: str = "roleplay_api.access") -> list[dict[str, Any]]:
    """The JSON lines of ``logger`` in a process log (other lines are gunicorn's own)."""
    records = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("logger") == logger:
                records.append(record)
    return records


@dataclass
class Gunicorn:
    port: int
    process: Process

    def access(self, request_id: str) -> list[dict[str, Any]]:
        return [r for r in log_records(self.process.log) if r["request_id"] == request_id]


def start_gunicorn(
    tmp: Path, name: str, env: Mapping[str, str], workers: int = 2, make_serve: bool = False
) -> Gunicorn:
    """gunicorn with gunicorn.conf.py, or ``make serve`` (migrate, then that same gunicorn).

    It serves on a socket bound here and inherited (fd://), so its port cannot be taken first.
    """
    sock = listening_socket()
    port = sock.getsockname()[1]
    metrics_dir = tmp / f"{name}-metrics"
    metrics_dir.mkdir()
    env = dict(env) | {
        "GUNICORN_BIND": f"fd://{sock.fileno()}",
        "GUNICORN_WORKERS": str(workers),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    if make_serve:
        command = ["make", "--no-print-directory", "serve", f"VENV={sys.prefix}"]
    else:
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
    with sock:  # the child holds its own copy
        process = spawn(name, command, tmp / f"{name}.log", env, pass_fds=[sock.fileno()])
    wait_until(
        lambda: call(port, "GET", "/healthz", timeout=2).status == 200,
        f"gunicorn {name} on :{port}",
        process=process,
    )
    return Gunicorn(port, process)


def render_site(port: int, logs: Path) -> str:
    """The shipped site config with only its listen address and log directory changed."""
    site = (DEPLOY_NGINX / "roleplay-api.conf").read_text()
    assert site.count("listen 80;") == 1 and "/var/log/nginx/" in site
    return site.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "/var/log/nginx/", f"{logs}/"
    )


def render_upstream(ports: list[int]) -> str:
    """The shipped upstream block pointing at our gunicorn instances."""
    upstream = (DEPLOY_NGINX / "upstream.conf").read_text()
    servers = "\n    ".join(f"server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in ports)
    rendered, count = re.subn(r"server 127\.0\.0\.1:8000 [^;]*;", servers, upstream)
    assert count == 1, "upstream.conf should hold one 127.0.0.1:8000 server line"
    return rendered


@dataclass
class Nginx:
    port: int
    process: Process
    access_log: Path = field(repr=False)

    def access(self, request_id: str) -> list[dict[str, Any]]:
        return [
            r for r in log_records(self.access_log, "nginx.access") if r["request_id"] == request_id
        ]


def start_nginx(tmp: Path, upstream_ports: list[int]) -> Nginx:
    binary = require_binary("nginx")
    return start_on_free_port(lambda port: _start_nginx(binary, tmp, upstream_ports, port))


def _start_nginx(binary: str, tmp: Path, upstream_ports: list[int], port: int) -> Nginx:
    prefix = tmp / "nginx"
    for sub in ("logs", "temp"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    (prefix / "upstream.conf").write_text(render_upstream(upstream_ports))
    (prefix / "site.conf").write_text(render_site(port, prefix / "logs"))
    # Workers of a root master run as "nobody", who cannot enter pytest's 0700 tmp directory.
    user = "user root;" if os.geteuid() == 0 else ""
    temp = prefix / "temp"
    (prefix / "nginx.conf").write_text(
        f"""
{user}
worker_processes 1;
daemon off;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {prefix}/logs/access.log;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/upstream.conf;
    include {prefix}/site.conf;
}}
"""
    )
    base = [
        binary,
        "-p",
        str(prefix),
        "-c",
        str(prefix / "nginx.conf"),
        "-e",
        str(prefix / "logs/error.log"),
    ]
    check = subprocess.run([*base, "-t"], capture_output=True, text=True, timeout=30)
    assert check.returncode == 0, check.stderr
    process = spawn("nginx", base, prefix / "logs" / "stdout.log")
    wait_until(
        lambda: call(port, "GET", "/healthz", timeout=2).status == 200,
        f"nginx on :{port}",
        process=process,
    )
    return Nginx(port, process, prefix / "logs" / "roleplay-api.access.log")


def start_redis(tmp: Path) -> tuple[str, Process]:
    binary = require_binary("redis-server")
    return start_on_free_port(lambda port: _start_redis(binary, tmp, port))


def _start_redis(binary: str, tmp: Path, port: int) -> tuple[str, Process]:
    command = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
               "no", "--dir", str(tmp)]  # fmt: skip
    process = spawn("redis", command, tmp / "redis.log")

    def answers() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    wait_until(answers, f"redis on :{port}", timeout=15, process=process)
    return f"redis://127.0.0.1:{port}/0", process
