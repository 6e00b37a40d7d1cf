"""Known vulnerabilities in the installed dependencies: pip-audit, with PyPI's own list as fallback.

pip-audit asks PyPI's per-version JSON API (``/pypi/NAME/VERSION/json``). Where that is not
reachable (this workplace's PyPI mirror answers 404 there, so pip-audit skips every package and
still says "No known vulnerabilities found") we ask ``/pypi/NAME/json`` instead, whose
``vulnerabilities`` list is authoritative for the latest release only.

A package found vulnerable fails the test. When no vulnerability database answers for some
pinned packages (no internet here but the package registries), the test cannot say they are
safe, so it is skipped with that reason and the list of packages it could not audit; an
unaudited transitive one is reported in the run's figures.
"""

from __future__ import annotations

import json
import subprocess
from importlib import metadata

import pytest
import requests
from packaging.utils import canonicalize_name

from tests.reliability.figures import record
from tests.reliability.servers import BIN, ROOT

pytestmark = pytest.mark.reliability_full

OURS = {"roleplay-api"}


def pinned() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[canonicalize_name(name)] = version.strip()
    return pins


def installed() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


def pypi_latest_vulns(name: str, version: str) -> list[str] | None:
    """PyPI's vulnerability ids for ``name==version`` if that is the latest release, else None."""
    try:
        response = requests.get(f"https://pypi.org/pypi/{name}/json", timeout=30)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError):
        return None  # no answer: not audited
    if data.get("info", {}).get("version") != version:
        return None
    return [v.get("id", "?") for v in data.get("vulnerabilities", [])]


def test_no_known_vulnerabilities_in_installed_dependencies() -> None:
    result = subprocess.run(
        [str(BIN / "pip-audit"), "--local", "--format", "json", "--progress-spinner", "off"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode not in (0, 1) or not result.stdout.strip():
        pytest.skip(
            "not audited: pip-audit could not reach a vulnerability database "
            f"({result.stderr.strip()[-300:] or 'no output'}); packages not audited: "
            + ", ".join(sorted(pinned()))
        )
    report = json.loads(result.stdout)
    versions, pins = installed(), pinned()
    vulnerable: dict[str, list[str]] = {}
    audited_by = {}
    skipped = []
    for dep in report["dependencies"]:
        name = canonicalize_name(dep["name"])
        if name in OURS:
            continue
        if "skip_reason" in dep:
            skipped.append(name)
            continue
        audited_by[name] = "pip-audit"
        if dep.get("vulns"):
            vulnerable[name] = [v["id"] for v in dep["vulns"]]

    unaudited = []
    for name in skipped:
        vulns = pypi_latest_vulns(name, versions[name])
        if vulns is None:
            unaudited.append(f"{name}=={versions[name]}")
            continue
        audited_by[name] = "pypi-latest"
        if vulns:
            vulnerable[name] = vulns

    record(
        "audit",
        packages=len(audited_by) + len(unaudited),
        audited_by_pip_audit=sum(v == "pip-audit" for v in audited_by.values()),
        audited_by_pypi_latest=sum(v == "pypi-latest" for v in audited_by.values()),
        unaudited_transitive=unaudited,
        vulnerable=vulnerable,
    )
    assert not vulnerable, vulnerable
    unaudited_pins = [u for u in unaudited if canonicalize_name(u.split("==")[0]) in pins]
    reported = {canonicalize_name(u.split("==")[0]) for u in unaudited}
    missing = [
        f"{name}=={versions[name]}"
        for name in pins
        if name not in audited_by and name not in reported and name in versions
    ]
    not_audited = sorted(unaudited_pins + missing)
    if not_audited:
        pytest.skip(
            f"not audited: no vulnerability database answered for {len(not_audited)} pinned "
            f"packages: {', '.join(not_audited)} ({len(audited_by)} others audited, none "
            "vulnerable)"
        )
