"""The interactive docs render offline: headless Chromium (Debian's) with every host but
loopback unresolvable lists the API's operations. A screenshot is kept in the test's tmp dir.

Chromium comes from ``make e2e-deps`` (called by .ci/run); tests never install it. Without
it the test skips, except under CI, where it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from roleplay_api.openapi import OPERATION_IDS
from tests.conftest import IN_CI, build_app
from tests.live_server import serve

CHROMIUM = shutil.which("chromium")
# Any host but loopback fails to resolve: a CDN script would not load, so the page would be blank.
NO_NETWORK = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="module")
def chromium() -> str:
    if CHROMIUM is None:
        if IN_CI:
            pytest.fail("chromium is not installed: run `make e2e-deps` (CI=true)")
        pytest.skip("chromium is not installed (make e2e-deps installs it)")
    return CHROMIUM


def run_chromium(chromium: str, url: str, *args: str, home: Path) -> subprocess.CompletedProcess:
    command = [
        chromium,
        "--headless=new",
        "--no-sandbox",  # as root, Chromium refuses to start otherwise
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--host-resolver-rules={NO_NETWORK}",
        f"--user-data-dir={home / 'profile'}",
        "--virtual-time-budget=20000",
        "--window-size=1280,2400",
        *args,
        url,
    ]
    env = {**os.environ, "HOME": str(home)}
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.e2e
def test_docs_render_offline_and_list_every_operation(chromium, tmp_path):
    app = build_app("sqlite://")  # the docs need no database
    with serve(app) as base:
        url = f"{base}/api/docs/"
        dom = run_chromium(chromium, url, "--dump-dom", home=tmp_path)
        screenshot = tmp_path / "api-docs.png"
        shot = run_chromium(chromium, url, f"--screenshot={screenshot}", home=tmp_path)
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    (tmp_path / "api-docs.html").write_text(html, encoding="utf-8")
    assert "swagger-ui" in html
    assert 'class="opblock-tag' in html, "Swagger UI rendered no operations: " + html[:500]
    for tag in ("auth", "roleplay", "chat-state", "operations"):
        assert f'data-tag="{tag}"' in html, tag
    # Every operation is listed (Swagger UI shows operationIds: displayOperationId).
    missing = [op for op in OPERATION_IDS.values() if op not in html]
    assert missing == [], missing
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.stat().st_size > 10_000
