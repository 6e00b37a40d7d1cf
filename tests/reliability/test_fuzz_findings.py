"""What the fuzzer found, pinned down as plain tests so they stay fixed on every database."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.reliability


@pytest.mark.parametrize("offset", ["2147483648", "9223372036854775808", "1" + "0" * 40])
def test_an_offset_past_the_database_range_is_400_not_500(client, auth_headers, offset):
    response = client.get(f"/api/training/roleplay/sessions?offset={offset}", headers=auth_headers)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["code"] == "validation_error"
    assert "offset" in response.get_json()["error"]["details"]


def test_largest_offset_is_accepted(client, auth_headers):
    response = client.get("/api/training/roleplay/sessions?offset=2147483647", headers=auth_headers)
    assert response.status_code == 200
    assert response.get_json()["data"]["sessions"] == []


def test_document_says_nul_is_not_valid_in_text(client):
    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert schemas["Register"]["properties"]["password"]["pattern"] == "^[^\\x00]*$"
