"""The JSON log line: one parseable object with the request id and every extra field."""

import json
import logging
import re
import sys

from roleplay_api.observability import JsonFormatter


def test_json_line_carries_fields_extras_and_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.makeLogRecord(
        {
            "name": "roleplay_api.access",
            "levelname": "INFO",
            "msg": "%s %s",
            "args": ("GET", "/healthz"),
            "created": 1795243475.25,
            "request_id": "abc",
            "status": 200,
            "user_id": None,
            "exc_info": exc_info,
        }
    )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["ts"] == "2026-11-21T06:44:35.250+00:00"
    assert entry["message"] == "GET /healthz"
    assert entry["request_id"] == "abc"
    assert entry["status"] == 200 and entry["user_id"] is None
    assert "ValueError: boom" in entry["exc_info"]
    assert not {"args", "msg", "levelno", "created"} & set(entry)


def test_objects_json_cannot_encode_are_stringified():
    record = logging.makeLogRecord({"msg": "x", "when": object()})
    entry = json.loads(JsonFormatter().format(record))
    assert re.match(r"<object object at 0x[0-9a-f]+>", entry["when"])
