"""JSON with orjson, both ways: the app's provider for HTTP bodies, the codec for JSON columns."""

from __future__ import annotations

import json
from typing import Any

import orjson
from flask.json.provider import DefaultJSONProvider


class OrjsonProvider(DefaultJSONProvider):
    """orjson for speed; datetimes come out as ISO-8601 with their UTC offset."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj, default=self.default).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _json_loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        # Rows written by the stdlib encoder before orjson may hold what orjson refuses
        # (NaN, a lone surrogate escape); they must stay readable.
        return json.loads(text)


# JSON columns (a session's history, a scenario's persona) go through orjson both ways.
JSON_COLUMN_CODEC = {"json_serializer": _json_dumps, "json_deserializer": _json_loads}
