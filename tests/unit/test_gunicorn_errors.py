"""gunicorn's own error replies (gunicorn_errors): the API's envelope, never the request echoed."""

import json
import re

from roleplay_api.gunicorn_errors import reply


def split(raw: bytes) -> tuple[str, dict[str, str], dict]:
    head, body = raw.split(b"\r\n\r\n", 1)
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    assert int(headers["Content-Length"]) == len(body)
    return status, headers, json.loads(body)


def test_an_overlong_request_line_is_414_in_the_envelope_with_a_request_id():
    status, headers, body = split(reply(414, "URI Too Long"))
    assert status == "HTTP/1.1 414 URI Too Long"
    assert headers["Content-Type"] == "application/json"
    assert headers["Connection"] == "close"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
    assert body == {
        "success": False,
        "error": {"code": "uri_too_long", "message": "Request line is too long"},
    }


def test_any_other_status_gets_a_fixed_message():
    assert split(reply(400, "Bad Request"))[2]["error"]["code"] == "validation_error"
    assert split(reply(431, "Request Header Fields Too Large"))[2]["error"]["code"] == (
        "headers_too_large"
    )
    assert split(reply(502, "Bad Gateway"))[2]["error"]["code"] == "internal_error"
    assert split(reply(418, "Teapot"))[2]["error"]["message"] == "Malformed HTTP request"
