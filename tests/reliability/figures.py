"""Figures of a full run (cases fuzzed, writes checked, recovery time) for RELIABILITY.md."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.reliability.servers import ROOT

REPORT = Path(os.environ.get("RELIABILITY_REPORT", ROOT / ".reliability" / "last-run.json"))


def record(section: str, **values: Any) -> None:
    """Merge ``values`` into ``section`` of the report file (one file per run of the suite)."""
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    data[section] = values | {"at": datetime.now(UTC).isoformat(timespec="seconds")}
    REPORT.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
