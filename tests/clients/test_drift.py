"""The checked-in clients match the OpenAPI document: `make clients` leaves nothing to commit.

The Python client is regenerated into a temporary dir and compared file by file; the
TypeScript types are checked by `make clients-check` (npm, tsc), which .ci/run calls.
"""

from __future__ import annotations

import filecmp
import os
import subprocess
import sys
from pathlib import Path

from roleplay_api.openapi import export
from tests.clients.conftest import CLIENTS

BIN = Path(sys.executable).parent


def test_checked_in_document_is_the_exported_one():
    assert (CLIENTS / "openapi.json").read_text(encoding="utf-8") == export(), (
        "clients/openapi.json is stale: run make clients"
    )


def _differences(left: Path, right: Path) -> list[str]:
    ignore = ["__pycache__", ".ruff_cache"]
    found: list[str] = []

    def walk(cmp: filecmp.dircmp, prefix: str) -> None:
        found.extend(f"{prefix}{name}: only in clients/" for name in cmp.left_only)
        found.extend(f"{prefix}{name}: missing from clients/" for name in cmp.right_only)
        found.extend(f"{prefix}{name}: differs" for name in cmp.diff_files)
        for name, sub in cmp.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right, ignore=ignore), "")
    return found


def test_checked_in_python_client_is_what_the_generator_makes(tmp_path):
    output = tmp_path / "roleplay_api_client"
    result = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(CLIENTS / "openapi.json"),
            "--meta",
            "none",
            "--config",
            str(CLIENTS / "python" / "config.yaml"),
            "--output-path",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    differences = _differences(CLIENTS / "python" / "roleplay_api_client", output)
    assert differences == [], "run make clients: " + "; ".join(differences[:20])
