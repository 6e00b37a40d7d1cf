"""Development: werkzeug's own access line is dropped (ours is logged), its other lines kept."""

import logging

from roleplay_api.observability import WerkzeugAccessFilter


def record(msg: str, *args: object) -> logging.LogRecord:
    return logging.LogRecord("werkzeug", logging.INFO, __file__, 1, msg, args, None)


def test_werkzeug_access_line_is_dropped():
    line = '127.0.0.1 - - [01/Jan/2026 10:00:00] "%s" %s %s'
    for msg in (line, line + "\n"):  # werkzeug's _log logs it rstripped
        assert not WerkzeugAccessFilter().filter(record(msg, "GET / HTTP/1.1", "200", "-"))


def test_werkzeug_banner_and_errors_pass():
    assert WerkzeugAccessFilter().filter(record(" * Running on http://127.0.0.1:5000"))
    assert WerkzeugAccessFilter().filter(record("Error on request:\n%s", "trace"))


def test_create_app_installs_the_filter_once():
    from tests.conftest import build_app

    for _ in range(2):
        build_app("sqlite://")
    filters = logging.getLogger("werkzeug").filters
    assert sum(isinstance(f, WerkzeugAccessFilter) for f in filters) == 1
