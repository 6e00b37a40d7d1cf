"""A CLI command runs where gunicorn's metrics directory does not exist yet (the Docker image)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_flask_cli_creates_the_multiprocess_directory(tmp_path):
    directory = tmp_path / "metrics" / "not-yet"
    env = os.environ | {
        "APP_ENV": "development",
        "DATABASE_URL": "sqlite:///" + str(tmp_path / "cli.db"),
        "PROMETHEUS_MULTIPROC_DIR": str(directory),
    }
    result = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert directory.is_dir()
