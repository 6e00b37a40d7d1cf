"""Database outage: stop PostgreSQL mid-load; the service answers 503 fast and recovers alone."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import requests

from tests.reliability.figures import record
from tests.reliability.load import Load
from tests.reliability.servers import Gunicorn, ThrowawayPostgres, migrate, server_env

pytestmark = [pytest.mark.reliability_full, pytest.mark.e2e]

# No request may take longer than this while the database is down (connect timeout is 2 s).
MAX_SECONDS_DURING_OUTAGE = 6.0
# The service must be ready again this soon after PostgreSQL is back, without a restart.
MAX_RECOVERY_SECONDS = 10.0


def _poll_until(predicate, timeout: float) -> float | None:
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        try:
            if predicate():
                return time.monotonic() - began
        except requests.RequestException:
            pass
        time.sleep(0.05)
    return None


def test_database_outage_gives_fast_503s_and_recovers(
    pg_cluster: ThrowawayPostgres, artifacts: Path
) -> None:
    url = pg_cluster.create_database("outage")
    migrate(url)
    with Gunicorn(server_env(url), artifacts / "gunicorn.log") as server:
        base = server.base_url
        account = {"email": "outage@example.com", "password": "outage-password"}
        data = requests.post(f"{base}/api/auth/register", json=account, timeout=10).json()["data"]
        headers = {"Authorization": f"Bearer {data['accessToken']}"}

        def one_request(session: requests.Session) -> requests.Response:
            # Reads through the JWT blocklist and the users table, and a write path (login).
            if time.monotonic_ns() % 2:
                return session.get(f"{base}/api/auth/me", headers=headers, timeout=15)
            return session.post(f"{base}/api/auth/login", json=account, timeout=15)

        load = Load(one_request, threads=4, max_seconds=90).start()
        time.sleep(2)
        stop_began = time.monotonic()
        pg_cluster.stop("immediate")  # as abrupt as a crash of the database host
        stopped = time.monotonic()

        time.sleep(1)
        readyz = requests.get(f"{base}/readyz", timeout=10)
        healthz = requests.get(f"{base}/healthz", timeout=10)
        time.sleep(3)

        start_began = time.monotonic()
        pg_cluster.start()
        started = time.monotonic()
        ready_after = _poll_until(
            lambda: requests.get(f"{base}/readyz", timeout=5).status_code == 200, 30
        )
        me_after = _poll_until(
            lambda: (
                requests.get(f"{base}/api/auth/me", headers=headers, timeout=5).status_code == 200
            ),
            30,
        )
        time.sleep(2)
        outcomes = load.stop()

    assert readyz.status_code == 503
    assert readyz.json()["error"]["code"] == "unavailable"
    assert healthz.status_code == 200 and healthz.json() == {"status": "ok"}

    # No answer is anything but 200 or the contract's 503; none hangs; no connection drops.
    assert outcomes, "the load sent nothing"
    dropped = [o for o in outcomes if o.status is None]
    assert not dropped, dropped[:3]
    bad = [(o.status, o.body) for o in outcomes if o.status not in (200, 503)]
    assert not bad, bad[:3]
    slow = [o for o in outcomes if o.elapsed > MAX_SECONDS_DURING_OUTAGE]
    assert not slow, [(round(o.elapsed, 2), o.status) for o in slow[:5]]
    for outcome in outcomes:
        if outcome.status == 503:
            assert outcome.body["error"]["code"] == "unavailable", outcome.body

    # While the database was fully down, every request got 503.
    during = [
        o for o in outcomes if o.started > stopped + 0.5 and o.started + o.elapsed < start_began
    ]
    assert len(during) >= 10, f"only {len(during)} requests during the outage"
    assert {o.status for o in during} == {503}
    before = [o for o in outcomes if o.started + o.elapsed < stop_began]
    assert before and {o.status for o in before} == {200}

    # Back without a restart: ready soon, and the load is all 200 again afterwards.
    assert ready_after is not None and ready_after < MAX_RECOVERY_SECONDS, ready_after
    assert me_after is not None
    recovered_at = started + max(ready_after, me_after)
    after = [o for o in outcomes if o.started > recovered_at + 0.5]
    assert after and {o.status for o in after} == {200}

    worst_outage = max(o.elapsed for o in during)
    record(
        "outage",
        requests=len(outcomes),
        requests_during_outage=len(during),
        answered_503=sum(o.status == 503 for o in outcomes),
        slowest_request_during_outage_s=round(worst_outage, 3),
        postgres_restart_s=round(started - start_began, 3),
        recovery_after_postgres_up_s=round(max(ready_after, me_after), 3),
    )
