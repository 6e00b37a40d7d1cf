"""The generated clients' tests: the checked-in Python client is importable from clients/python."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = ROOT / "clients"
if str(CLIENTS / "python") not in sys.path:
    sys.path.insert(0, str(CLIENTS / "python"))
