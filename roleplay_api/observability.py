"""Request ids, JSON logs and the one access-log line per request."""

from __future__ import annotations

import logging
import os
import re
import secrets
import sys
import time
from typing import Any

import orjson
from flask import Flask, Response, current_app, g, has_request_context, request

from roleplay_api.internals import verified_jwt_claims

REQUEST_ID_HEADER = "X-Request-ID"
# Echo a client's id only when it is harmless in logs and headers.
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
access_log = logging.getLogger("roleplay_api.access")
_HANDLER_NAME = "roleplay_api"


def current_request_id() -> str:
    if has_request_context():
        return getattr(g, "request_id", "-")
    return "-"


class RequestContextFilter(logging.Filter):
    """Stamp every record with the id of the request being served (or '-')."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line. orjson, because this runs for every request."""

    _RESERVED = frozenset(vars(logging.makeLogRecord({}))) | {"message", "request_id", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        created = record.created
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
            + f".{int(created * 1000) % 1000:03d}+00:00",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in record.__dict__.items():
            if key not in self._RESERVED:
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class LineHandler(logging.StreamHandler):
    """A StreamHandler that writes each formatted line with one ``os.write`` and no lock.

    StreamHandler holds a lock across its write and flush; with a thread per request (gunicorn
    gthread) the threads queued on it around the syscall: the access line cost ~65 us of worker
    CPU, now ~45. The kernel does not interleave one write(2) with another: always on a pipe up
    to PIPE_BUF (4 KiB, far above an access line), and in practice for files and journald's
    socket; only a record longer than that (a traceback) on a full pipe could be split. A
    stream without a file descriptor (a test's capture) falls back to StreamHandler.
    """

    def __init__(self, stream: Any = None) -> None:
        super().__init__(stream)
        try:
            self._fd: int | None = self.stream.fileno()
        except (AttributeError, OSError, ValueError):
            self._fd = None

    def handle(self, record: logging.LogRecord) -> bool:
        if self._fd is None:
            return bool(super().handle(record))
        rv = self.filter(record)
        if isinstance(rv, logging.LogRecord):
            record = rv
        if rv:
            self.emit(record)
        return bool(rv)

    def emit(self, record: logging.LogRecord) -> None:
        if self._fd is None:
            super().emit(record)
            return
        try:
            data = (self.format(record) + self.terminator).encode("utf-8", "backslashreplace")
            while data:
                data = data[os.write(self._fd, data) :]
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)


class WerkzeugAccessFilter(logging.Filter):
    """Drops the development server's own access line: roleplay_api.access already logs one
    per request (with its id); werkzeug's startup and error messages still pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        # werkzeug's _log strips the handler's trailing newline; accept either form.
        return not (isinstance(record.msg, str) and record.msg.rstrip().endswith('] "%s" %s %s'))


def configure_logging(app: Flask) -> None:
    handler = LineHandler(sys.stderr)
    if app.config["LOG_FORMAT"] == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s")
        )
    handler.addFilter(RequestContextFilter())
    handler.set_name(_HANDLER_NAME)
    for logger in (logging.getLogger("roleplay_api"), app.logger):
        # Replace our own handler from an earlier create_app; leave anyone else's alone.
        logger.handlers[:] = [h for h in logger.handlers if h.get_name() != _HANDLER_NAME]
        logger.addHandler(handler)
        logger.setLevel(app.config["LOG_LEVEL"])
        logger.propagate = False
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, WerkzeugAccessFilter) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(WerkzeugAccessFilter())


def remember_user() -> None:
    """Set ``g.user_id`` from the JWT this request verified, if it verified one.

    flask-jwt-extended keeps the decoded token only once signature, expiry and revocation
    have all passed, so a rejected token never names a user in the logs.
    """
    claims = verified_jwt_claims()
    if claims:
        identity = claims.get(current_app.config["JWT_IDENTITY_CLAIM"])
        if identity is not None:
            g.user_id = str(identity)


def register_request_id(app: Flask) -> None:
    @app.before_request
    def assign_request_id() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _VALID_REQUEST_ID.match(given) else secrets.token_hex(16)
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        """The access line: once per request, so kept lean."""
        remember_user()
        request_id = getattr(g, "request_id", "-")
        response.headers[REQUEST_ID_HEADER] = request_id
        started = getattr(g, "request_started", None)
        seconds = time.perf_counter() - started if started is not None else None
        method, path, status = request.method, request.path, response.status_code
        if access_log.isEnabledFor(logging.INFO):
            access_log.info(
                "%s %s %s",
                method,
                path,
                status,
                extra={
                    "request_id": request_id,
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 2) if seconds is not None else None,
                    "user_id": getattr(g, "user_id", None),
                    "client": request.remote_addr,
                },
            )
        return response
