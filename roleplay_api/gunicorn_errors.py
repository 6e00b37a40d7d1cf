"""gunicorn's own error replies in the API's JSON envelope, not its HTML page.

gunicorn answers a request it cannot parse (a request line over ``limit_request_line``, too
many or too large headers, a malformed line) itself, before the app sees it. Its reply was an
HTML page without an X-Request-ID. gunicorn.conf.py installs :func:`write_error` in each worker
(``post_fork``, before it loads the app), so every worker answers those in the envelope the
contract documents (docs/API.md, Errors). The client's own words are never echoed: the message
is fixed by status.
"""

from __future__ import annotations

import json
import uuid

from gunicorn import util

# status -> (error code, message); codes beyond the app's own table are additive.
ERRORS = {
    400: ("validation_error", "Malformed HTTP request"),
    403: ("forbidden", "Not allowed"),
    414: ("uri_too_long", "Request line is too long"),
    417: ("expectation_failed", "Expectation not supported"),
    431: ("headers_too_large", "Request headers are too large"),
    500: ("internal_error", "Internal server error"),
    501: ("not_implemented", "Transfer coding not supported"),
}


def reply(status: int, reason: str) -> bytes:
    code, message = ERRORS.get(
        status, ("internal_error", "Internal server error") if status >= 500 else ERRORS[400]
    )
    body = json.dumps(
        {"success": False, "error": {"code": code, "message": message}}, separators=(",", ":")
    ).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"X-Request-ID: {uuid.uuid4().hex}\r\n"
        "\r\n"
    )
    return head.encode("latin-1") + body


def write_error(sock, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn.util.write_error's signature; ``mesg`` (it may quote the request) is dropped."""
    util.write_nonblock(sock, reply(int(status_int), reason))


def install() -> None:
    util.write_error = write_error
