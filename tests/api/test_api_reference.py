"""docs/API.md and the served OpenAPI document agree: the same operations, the same statuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from roleplay_api.openapi import operations

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "API.md"
OUTSIDE = " (not in the OpenAPI document)"
_HEADING = re.compile(r"^### (GET|POST|PUT|DELETE|PATCH) (/\S*)(.*)$")
_STATUSES = re.compile(r"^Statuses: ([0-9, ]+)")


def documented() -> dict[tuple[str, str], tuple[list[int], bool]]:
    """(method, path) -> (statuses, in the OpenAPI document?) from docs/API.md's headings."""
    found: dict[tuple[str, str], tuple[list[int], bool]] = {}
    current: tuple[str, str] | None = None
    inside = True
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        heading = _HEADING.match(line)
        if heading:
            assert current is None, f"no 'Statuses:' line under {current}"
            current = (heading[1].lower(), heading[2])
            inside = heading[3] != OUTSIDE
            assert current not in found, f"{current} documented twice"
            continue
        statuses = _STATUSES.match(line)
        if statuses and current is not None:
            found[current] = ([int(s) for s in statuses[1].split(",")], inside)
            current = None
    assert current is None, f"no 'Statuses:' line under {current}"
    return found


@pytest.fixture(scope="module")
def spec():
    from roleplay_api.extensions import db
    from tests.conftest import build_app

    app = build_app("sqlite://")
    document = app.test_client().get("/api/openapi.json").get_json()
    with app.app_context():
        db.engine.dispose()
    return document


def test_reference_lists_exactly_the_documents_operations(spec):
    in_document = {(method, path) for method, path, _ in operations(spec)}
    in_reference = {key for key, (_, inside) in documented().items() if inside}
    assert in_reference - in_document == set(), "in docs/API.md only"
    assert in_document - in_reference == set(), "in the OpenAPI document only"


def test_reference_gives_each_operation_the_documents_statuses(spec):
    reference = documented()
    for method, path, operation in operations(spec):
        statuses, _ = reference[(method, path)]
        assert statuses == sorted(statuses), (method, path)
        assert statuses == sorted(int(s) for s in operation["responses"]), (method, path)


def test_what_the_reference_keeps_out_of_the_document_is_served_but_absent(spec, client):
    outside = {key: statuses for key, (statuses, inside) in documented().items() if not inside}
    assert ("get", "/metrics") in outside
    for (method, path), statuses in outside.items():
        assert path not in spec["paths"]
        response = client.open(path, method=method.upper())
        assert response.status_code in statuses, path


def test_every_error_code_the_document_shows_is_in_the_reference(spec):
    text = REFERENCE.read_text(encoding="utf-8")
    for _, _, operation in operations(spec):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                code = response["content"]["application/json"]["example"]["error"]["code"]
                assert f"`{code}`" in text, code
