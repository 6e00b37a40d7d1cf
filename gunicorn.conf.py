"""gunicorn settings for roleplay-api (``gunicorn -c gunicorn.conf.py wsgi:app``), from the env."""

# Every setting reads an environment variable so systemd units, Docker and tests change the
# deployment without editing this file. gunicorn loads it in the master before any worker.
#
# Worker class, chosen by measurement. wrk -t2 -c16 (8 s; 6 s for the last row) straight at
# gunicorn, 2 workers, PostgreSQL 15 on the same 2-core VM, which other jobs shared (load
# average 8-11), so figures are noisy: two runs each, requests per second.
#
#   endpoint                            sync (2 workers)   gthread (2 workers x 4 threads)
#   GET /healthz (no DB)                1,272 / 2,512      2,626 / 1,944
#   GET /api/auth/me (JWT + 1 query)      247 /   533        631 /   852
#   bench-only route: 50 ms pg_sleep       32 /    36         72 /    74
#
# No DB: a draw within the noise. With PostgreSQL: gthread ahead, and far ahead once a request
# waits (the LLM coach can wait seconds: a sync worker serves nobody meanwhile). Sync also
# closes every connection, so nginx cannot keep upstream connections alive. Hence gthread.
# Mind: gunicorn turns sync into gthread when threads > 1.
#
# How many, measured later on a quiet machine (make bench's chat-state workloads, wrk -t2 -c32,
# 8 s each; req/s, GET / upsert): with gthread's default worker_connections (1000) the first
# worker to wake accepts every keep-alive connection and the others idle: ~980 / ~1,240 at any
# worker count. Capping connections per worker spreads them:
#   2 workers x 4 threads, worker_connections 20     2,306 / 1,501
#   3 workers x 3 threads, worker_connections 14     2,278 / 1,526
#   3 workers x 2 threads, worker_connections 13     2,067 / 1,454
#   2 workers x 8 threads, worker_connections 16     1,755 / 1,126
#   4 workers x 4 threads, worker_connections 8      2,191 / 1,486 (p99 476 ms: only 4 of
#                                                    each worker's 8 slots keep alive)
# Hence one worker per core, 4 threads, 20 connections each (16 kept alive + 4 in flight).
#
# Checked again after the hot paths were rewritten (issue 8), with the worker CPU per request
# as well (steadier than req/s here): wrk 10 s, 32 connections; req/s and us of worker CPU.
#   shape (workers x threads, connections)   chat-state GET      roleplay start+5 messages
#   2 x 4, 20                                2,597 / 614 us        839 / 1,451 us
#   4 x 2, 10                                2,291 / 720 us        829 / 1,629 us
#   3 x 3, 14                                2,481 / 654 us        825 / 1,559 us
#   4 x 3, 11                                2,119 / 696 us        801 / 1,611 us
# (and 2 x 6 / 2 x 8 threads with 22 / 24 connections: 2,293 / 1,926 GET/s.) Still 2 x 4.
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


_cores = multiprocessing.cpu_count()

# Loopback by default: nginx on the same host is the only client. Docker sets 0.0.0.0:8000.
bind = [b.strip() for b in os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")]
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", _cores))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
# gunicorn quietly turns sync into gthread when threads > 1, so threads only go with gthread.
threads = _int("GUNICORN_THREADS", 4) if worker_class == "gthread" else 1
# A gthread worker accepts until it holds this many connections and keeps at most this many
# minus `threads` alive. The cap is what spreads keep-alive clients (nginx's upstream pool, a
# load generator) across workers; workers x (this - threads) should cover nginx's keepalive.
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 20)
# Each worker holds two SQLAlchemy pools of DB_POOL_SIZE + DB_MAX_OVERFLOW connections on
# PostgreSQL (the ORM's, for accounts and the CLI, and roleplay_api.database's single
# statements: everything else), so one instance opens at most workers x 2 x that. Put
# PgBouncer in front of PostgreSQL when it adds up.

# A worker silent for this long is killed and replaced; nginx's proxy_read_timeout is longer so
# the client gets the 502 from nginx rather than a hung connection.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM workers finish the requests they hold for up to this long, then exit.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 25)
# Longer than nginx's upstream keepalive_timeout, so nginx closes idle connections first.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Recycle workers now and then (with jitter so they do not restart together): bounds leaks.
# Rarely: a worker serves ~1,000 req/s at peak, every restart re-imports the app, and each one
# leaves a Prometheus sample file that /metrics keeps reading. make bench shows no RSS growth.
max_requests = _int("GUNICORN_MAX_REQUESTS", 500_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 50_000)
# Headers nginx forwards: X-Forwarded-Proto is believed only from these peers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "roleplay-api"
# The heartbeat file on tmpfs: on a disk-backed /tmp a slow disk can get workers killed.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# gunicorn 27 opens ~/.gunicorn/gunicorn.ctl by default, one path shared by every instance on
# the host: two instances would steal each other's control socket. We need none.
control_socket_disable = True

# Logs go to stderr (journald, docker logs). The app writes one JSON access line per request
# with method, path, status, duration, request id, user id and client, so gunicorn's own access
# log is off by default; GUNICORN_ACCESS_LOG=- turns it on, in JSON and with the request id.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = (
    '{"logger": "gunicorn.access", "request_id": "%({x-request-id}o)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": %(B)s, "duration_ms": %(M)s, '
    '"client": "%(h)s", "forwarded_for": "%({x-forwarded-for}i)s"}'
)

# Prometheus multiprocess mode: every worker writes its samples to files in one directory and
# /metrics (answered by whichever worker) adds them all up. prometheus_client reads the
# variable at import, so it is set here, in the master, before any worker imports the app.
_METRICS_ENV = "PROMETHEUS_MULTIPROC_DIR"
_own_metrics_dir = not os.environ.get(_METRICS_ENV)
if _own_metrics_dir:
    os.environ[_METRICS_ENV] = tempfile.mkdtemp(prefix="roleplay-api-metrics-")


def on_starting(server) -> None:
    """Start counting from zero: samples left by an earlier run would be added to ours."""
    directory = Path(os.environ[_METRICS_ENV])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def post_fork(server, worker) -> None:
    """A request gunicorn cannot parse (a request line over 4,094 bytes, say) is answered by
    gunicorn itself: in the API's JSON envelope with a request id (docs/API.md, Errors), not its
    HTML page. In the worker, which imports the app next anyway (the master must not: the
    metrics directory above has to be set before prometheus_client is imported)."""
    from roleplay_api.gunicorn_errors import install

    install()


def child_exit(server, worker) -> None:
    """A dead worker's live gauges must stop counting; its counters still add up."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server) -> None:
    if _own_metrics_dir:
        shutil.rmtree(os.environ[_METRICS_ENV], ignore_errors=True)
