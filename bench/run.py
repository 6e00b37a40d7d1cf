"""`make bench`: the service under gunicorn + PostgreSQL on loopback, loaded by wrk.

For each workload it prints req/s, p50, p99 and errors, next to the same SQL run directly by
pgbench (the ceiling) and the ratio. It also reports each worker's resident memory across a
longer run. Everything it starts it stops; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/roleplay_bench"


@dataclass
class Result:
    workload: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    app_cpu_us: float | None = None  # gunicorn workers' CPU (user + system) per request
    pg_cpu_us: float | None = None  # PostgreSQL's processes' CPU per request
    ceiling_tps: float | None = None
    ceiling_unit_rps: float | None = None  # the ceiling in the workload's requests per second
    ratio: float | None = None
    state_bytes: int | None = None  # the chat_state's UTF-8 bytes (chat-state workloads)
    stored_bytes: float | None = None  # what one row holds for it on average, after upserts
    notes: list[str] = field(default_factory=list)


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ensure_tool(name: str, package: str) -> str:
    path = shutil.which(name)
    if path:
        return path
    log(f"installing {package} from Debian")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    path = shutil.which(name)
    if not path:
        raise SystemExit(f"{name} is still missing after installing {package}")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(url: str, sql: str) -> str:
    # On standard input: a 200 KB state does not fit in one argument (E2BIG).
    out = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAt"],
        input=sql,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def settle(url: str) -> None:
    psql(url, "VACUUM ANALYZE")
    psql(url, "CHECKPOINT")


def reset_database(url: str) -> None:
    admin = url.rsplit("/", 1)[0] + "/postgres"
    name = url.rsplit("/", 1)[1].split("?")[0]
    psql(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(admin, f'CREATE DATABASE "{name}"')


def http(method: str, url: str, body: dict | None = None, token: str | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        raw = response.read()
    return json.loads(raw) if raw else {}


class Server:
    """gunicorn with the production config, on a free loopback port."""

    def __init__(self, env: dict[str, str], workers: int | None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.workers = workers
        self.proc: subprocess.Popen | None = None
        self.log_path = BENCH / "results" / "gunicorn.log"

    def start(self) -> None:
        cmd = [str(BIN / "gunicorn"), "--no-control-socket", "-b", f"127.0.0.1:{self.port}"]
        if (ROOT / "gunicorn.conf.py").exists():
            cmd[1:1] = ["-c", str(ROOT / "gunicorn.conf.py")]
        if self.workers:
            cmd += ["-w", str(self.workers)]
        cmd.append("wsgi:app")
        self.log_path.parent.mkdir(exist_ok=True)
        log_file = self.log_path.open("w")
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=self.env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if http("GET", self.base + "/readyz").get("status") == "ok":
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.2)
        self.stop()
        raise SystemExit(f"gunicorn did not become ready; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        assert self.proc
        out = subprocess.run(["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU the processes have used so far (those that still exist)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def postgres_pids() -> list[int]:
    out = subprocess.run(["pgrep", "-u", "postgres"], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_wrk(
    script: str, url: str, seconds: int, connections: int, threads: int, env: dict[str, str]
) -> dict:
    cmd = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(BENCH / "wrk" / script),
        url,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds + 60)
    match = re.search(r"BENCH_JSON (\{.*\})", out.stdout)
    if not match:
        raise SystemExit(f"wrk printed no summary:\n{out.stdout}\n{out.stderr}")
    return json.loads(match.group(1))


def roleplay_session_sql() -> Path:
    """The SQL of one trainee session as the service runs it (see docs/PERFORMANCE.md).

    Each request first checks the token's revocation. Start reads the scenario and inserts the
    session; each message locks the session row (joined with its scenario), then writes back
    the whole grown history, as the service does.
    """
    sid = "'session_bench_' || :n || '_' || :client_id"
    revoked = "SELECT id FROM revoked_tokens WHERE jti = 'bench-' || :n;"
    lines = [
        "\\set n random(1, 1000000000)",
        revoked,
        "SELECT * FROM scenarios WHERE id = 'homeowner_objection';",
        "INSERT INTO roleplay_sessions (session_id, user_id, scenario_id, scenario_title, "
        "difficulty, messages, message_count, score, duration, xp_earned, coach_engine, "
        f"rubric_version, version, created_at) VALUES ({sid}, :bench_user, "
        "'homeowner_objection', 'Price', 'PRO', '[]', 0, 0, 0, 0, 'coach', 'coach-2.0', 1, now()) "
        "RETURNING id;",
    ]
    history: list[dict[str, object]] = []
    for number in range(1, 6):
        history += [
            {
                "role": "user",
                "content": f"Trainee message number {number}, about the price. " * 2,
                "timestamp": "2026-11-21T07:00:00+00:00",
                "score": 12,
                "feedback": "Credited for acknowledging and asking a question. " * 2,
                "skills": ["acknowledge", "discover"],
                "engine": "coach",
            },
            {
                "role": "assistant",
                "content": f"Persona reply number {number}, still unsure. " * 3,
                "timestamp": "2026-11-21T07:00:00+00:00",
            },
        ]
        literal = json.dumps(history).replace("'", "''")
        final = ", completed_at = now(), xp_earned = 90, feedback = '{}'" if number == 5 else ""
        lines += [
            revoked,
            "BEGIN;",
            "SELECT * FROM roleplay_sessions LEFT JOIN scenarios ON scenarios.id = "
            f"roleplay_sessions.scenario_id WHERE session_id = {sid} AND user_id = :bench_user "
            "FOR UPDATE OF roleplay_sessions;",
            f"UPDATE roleplay_sessions SET messages = '{literal}', message_count = {2 * number}, "
            f"score = {12 * number}, duration = {number * 3}, version = {number + 1}{final} "
            f"WHERE session_id = {sid} AND version = {number};",
            "COMMIT;",
        ]
    path = BENCH / "results" / "roleplay_session.sql"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    return path


def run_pgbench(
    script: str, url: str, seconds: int, clients: int, threads: int, defines: dict[str, str]
) -> float:
    path = (
        roleplay_session_sql() if script == "roleplay_session.sql" else BENCH / "pgbench" / script
    )
    cmd = [
        "pgbench",
        "-n",
        "-c",
        str(clients),
        "-j",
        str(threads),
        "-T",
        str(seconds),
        "-f",
        str(path),
    ]
    for key, value in defines.items():
        cmd += ["-D", f"{key}={value}"]
    out = subprocess.run([*cmd, url], capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out.stdout)
    if out.returncode != 0 or not match:
        raise SystemExit(f"pgbench failed:\n{out.stdout}\n{out.stderr}")
    return float(match.group(1))


def chat_state_literal(size: int = 2048) -> tuple[str, str]:
    """A ~2 KB chat_state (JSON text) and the same as a JSON string literal for a body."""
    messages, text = [], ""
    i = 0
    while len(text) < size:
        messages.append({"role": "user" if i % 2 else "bot", "text": f"message number {i} " * 3})
        text = json.dumps({"currentStep": "language", "messages": messages})
        i += 1
    return text, json.dumps(text)


def fill(url: str, prefix: str, keys: int, state: str) -> None:
    """``keys`` records as rows written before compression (plain text): the upsert workload
    then rewrites them through the service, as it stores states now."""
    escaped = state.replace("'", "''")
    psql(
        url,
        "INSERT INTO chat_state_sessions (session_id, user_session_id, chat_state, "
        "last_activity, created_at, updated_at, version) "
        f"SELECT gen_random_uuid(), '{prefix}' || i, '{escaped}', now(), now(), now(), 1 "
        f"FROM generate_series(1, {keys}) AS i",
    )


def stored_bytes(url: str, prefix: str) -> float:
    """Bytes a record's state takes in its row on average (after TOAST's own compression)."""
    return float(
        psql(
            url,
            "SELECT round(avg(coalesce(pg_column_size(chat_state), 0)"
            " + coalesce(pg_column_size(chat_state_data), 0)), 1)"
            f" FROM chat_state_sessions WHERE user_session_id LIKE '{prefix}%'",
        )
    )


def prepare(base: str, url: str, keys: int, list_sessions: int, state: str) -> dict[str, str]:
    log(f"filling {keys} chat-state keys and a user with {list_sessions} sessions")
    psql(url, "TRUNCATE chat_state_sessions CASCADE")
    fill(url, "bench-", keys, state)
    tokens = {}
    for name in ("BENCH_TOKEN", "BENCH_LIST_TOKEN"):
        email = f"{name.lower()}-{secrets.token_hex(4)}@bench.example.com"
        data = http(
            "POST", base + "/api/auth/register", {"email": email, "password": "bench-pass-1"}
        )
        tokens[name] = data["data"]["accessToken"]
    for _ in range(list_sessions):
        http(
            "POST",
            base + "/api/training/roleplay/start",
            {"scenarioId": "homeowner_objection", "scenarioTitle": "Price", "difficulty": "PRO"},
            token=tokens["BENCH_LIST_TOKEN"],
        )
    list_user = psql(
        url,
        "SELECT user_id FROM roleplay_sessions GROUP BY user_id "
        f"HAVING count(*) = {list_sessions} LIMIT 1",
    )
    bench_user = psql(url, "SELECT id FROM users WHERE email LIKE 'bench_token-%'")
    return tokens | {"list_user_id": list_user, "bench_user_id": bench_user}


WORKLOADS = {
    # name: (wrk script, wrk threads or None for one per connection,
    #        pgbench script (None: no ceiling), app requests per pgbench transaction)
    "chat-state upsert": ("chat_upsert.lua", 2, "chat_upsert.sql", 1),
    "chat-state get": ("chat_get.lua", 2, "chat_get.sql", 1),
    # A 200 KB state over BIG_KEYS keys (no pgbench ceiling: the state is too big a variable).
    "chat-state upsert 200KB": ("chat_upsert.lua", 2, None, 1),
    "chat-state get 200KB": ("chat_get.lua", 2, None, 1),
    "roleplay start+5 messages": ("roleplay.lua", None, "roleplay_session.sql", 6),
    "sessions list (50)": ("sessions_list.lua", 2, "sessions_list.sql", 1),
    # No database, no token: the floor under every route (gunicorn, Flask, our hooks).
    "no-op floor (/healthz)": ("healthz.lua", 2, None, 1),
}
BIG_KEYS = 100
BIG_STATE_BYTES = 200 * 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 15)))
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None, help="default: gunicorn.conf.py's")
    parser.add_argument("--memory-seconds", type=int, default=60)
    parser.add_argument("--only", action="append", help="run only workloads containing this")
    parser.add_argument("--skip-ceiling", action="store_true")
    args = parser.parse_args()

    ensure_tool("wrk", "wrk")
    ensure_tool("pgbench", "postgresql-contrib")
    url = args.database_url
    log(f"resetting {url}")
    reset_database(url)
    env = {
        **os.environ,
        "APP_ENV": "production",
        "DATABASE_URL": url,
        "JWT_SECRET_KEY": secrets.token_urlsafe(48),
        "JWT_ACCESS_TOKEN_MINUTES": "240",
        "RATELIMIT_ENABLED": "false",
        "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "INFO"),
        "FLASK_APP": "wsgi",
        "BENCH_DIR": str(BENCH),
    }
    for command in (["db", "upgrade"], ["scenarios", "seed"]):
        subprocess.run(
            [str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True, capture_output=True
        )
    server = Server(env, args.workers)
    server.start()
    results: list[Result] = []
    memory: dict[str, object] = {}
    try:
        state, literal = chat_state_literal()
        keys, list_sessions = 10_000, 50
        prepared = prepare(server.base, url, keys, list_sessions, state)
        big_state, big_literal = chat_state_literal(BIG_STATE_BYTES)
        fill(url, "big-", BIG_KEYS, big_state)
        big_file = BENCH / "results" / "state-200k.json"
        big_file.parent.mkdir(exist_ok=True)
        big_file.write_text(big_literal)
        wrk_env = {
            **env,
            "BENCH_KEYS": str(keys),
            "BENCH_CHAT_STATE_JSON": literal,
            "BENCH_TOKEN": prepared["BENCH_TOKEN"],
            "BENCH_LIST_TOKEN": prepared["BENCH_LIST_TOKEN"],
        }
        big_env = {
            **wrk_env,
            "BENCH_KEYS": str(BIG_KEYS),
            "BENCH_KEY_PREFIX": "big-",
            "BENCH_CHAT_STATE_FILE": str(big_file),
        }
        defines = {
            "keys": str(keys),
            "state": state.replace("'", "''"),
            "list_user": prepared["list_user_id"],
            "bench_user": prepared["bench_user_id"],
        }
        for name, (script, threads, sql, per_tx) in WORKLOADS.items():
            if args.only and not any(part in name for part in args.only):
                continue
            # Start each workload from a settled database: the previous one's dead rows are
            # vacuumed and its dirty pages written now, not by autovacuum or a checkpoint in
            # the middle of this measurement.
            big = name.endswith("200KB")
            env_of = big_env if big else wrk_env
            settle(url)
            log(f"wrk: {name} for {args.seconds}s at {args.connections} connections")
            run_wrk(script, server.base, 3, args.connections, threads or args.connections, env_of)
            workers, postgres = server.worker_pids(), postgres_pids()
            app_cpu, pg_cpu = cpu_seconds(workers), cpu_seconds(postgres)
            stats = run_wrk(
                script,
                server.base,
                args.seconds,
                args.connections,
                threads or args.connections,
                env_of,
            )
            seconds = stats["duration_us"] / 1e6
            errors = sum(
                stats[k]
                for k in (
                    "connect_errors",
                    "read_errors",
                    "write_errors",
                    "status_errors",
                    "timeouts",
                )
            )
            result = Result(
                name,
                round(stats["requests"] / seconds, 1),
                round(stats["p50_us"] / 1000, 2),
                round(stats["p99_us"] / 1000, 2),
                errors,
                stats["requests"],
                app_cpu_us=round((cpu_seconds(workers) - app_cpu) / stats["requests"] * 1e6),
                pg_cpu_us=round((cpu_seconds(postgres) - pg_cpu) / stats["requests"] * 1e6),
            )
            if name.startswith("chat-state upsert"):
                result.state_bytes = len((big_state if big else state).encode())
                result.stored_bytes = stored_bytes(url, "big-" if big else "bench-")
            if sql and not args.skip_ceiling:
                settle(url)
                log(f"pgbench: {sql}")
                tps = run_pgbench(sql, url, args.seconds, args.connections, 2, defines)
                result.ceiling_tps = round(tps, 1)
                result.ceiling_unit_rps = round(tps * per_tx, 1)
                result.ratio = round(result.rps / result.ceiling_unit_rps, 3)
            results.append(result)
        if args.memory_seconds:
            pids = server.worker_pids()
            before = {pid: rss_mib(pid) for pid in pids}
            log(f"memory: chat-state upsert for {args.memory_seconds}s, workers {pids}")
            run_wrk(
                "chat_upsert.lua", server.base, args.memory_seconds, args.connections, 2, wrk_env
            )
            after = {pid: rss_mib(pid) for pid in pids if Path(f"/proc/{pid}").exists()}
            memory = {
                "seconds": args.memory_seconds,
                "workers": [
                    {
                        "pid": pid,
                        "rss_mib_before": round(before[pid], 1),
                        "rss_mib_after": round(after.get(pid, 0.0), 1),
                    }
                    for pid in pids
                ],
            }
    finally:
        server.stop()

    print_report(results, memory)
    out = BENCH / "results" / "latest.json"
    out.write_text(
        json.dumps(
            {
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": machine(),
                "seconds": args.seconds,
                "connections": args.connections,
                "chat_state_history": env.get("CHAT_STATE_HISTORY", "10 (default)"),
                "results": [asdict(r) for r in results],
                "memory": memory,
            },
            indent=2,
        )
        + "\n"
    )
    log(f"wrote {out.relative_to(ROOT)}")
    return 0 if all(r.errors == 0 for r in results) else 1


def machine() -> dict[str, object]:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"cores": os.cpu_count(), "cpu": cpu, "python": sys.version.split()[0]}


def print_report(results: list[Result], memory: dict) -> None:
    print(f"CHAT_STATE_HISTORY={os.environ.get('CHAT_STATE_HISTORY', '10 (default)')}")
    header = (
        f"{'workload':<28}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'app us':>8}{'pg us':>7}{'ceiling':>10}{'ratio':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        ceiling = f"{r.ceiling_unit_rps:.0f}" if r.ceiling_unit_rps else "-"
        ratio = f"{r.ratio:.0%}" if r.ratio is not None else "-"
        print(
            f"{r.workload:<28}{r.rps:>9.0f}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.errors:>8}"
            f"{r.app_cpu_us or 0:>8.0f}{r.pg_cpu_us or 0:>7.0f}{ceiling:>10}{ratio:>8}"
        )
    print(
        "\napp us / pg us: CPU (user + system) per request of the gunicorn workers and of"
        " PostgreSQL,\nsteadier from run to run than req/s on a shared VM."
    )
    sized = [r for r in results if r.stored_bytes is not None]
    if sized:
        print("\nchat_state as stored (bytes per record, after the upsert workload):")
        for r in sized:
            print(
                f"  {r.workload:<26} state {r.state_bytes:>7}  stored {r.stored_bytes:>9.0f}"
                f"  ({(r.state_bytes or 0) / max(r.stored_bytes or 1, 1):.1f}x)"
            )
    if memory:
        print(f"\nresident memory per worker over {memory['seconds']}s of upserts (MiB):")
        for w in memory["workers"]:
            growth = w["rss_mib_after"] - w["rss_mib_before"]
            print(
                f"  pid {w['pid']}: {w['rss_mib_before']:.1f} -> {w['rss_mib_after']:.1f}"
                f" ({growth:+.1f})"
            )


if __name__ == "__main__":
    sys.exit(main())
