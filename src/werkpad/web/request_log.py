"""The request log of ``werkpad serve``: one line per request, never personal data.

A line holds the method, the path without its query string (a search query holds names and
BSNs), the status, the duration, the worker's process id and the user's numeric id (never the
username). Uvicorn's own access log is switched off because it prints query strings and client
addresses. ``log_config("json")`` writes JSON lines for a log collector; exceptions are logged
with their type and stack but without their message, which can quote the input.
"""

from __future__ import annotations

import json
import logging
import time
import traceback
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import inspect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("werkpad.request")
LOG_FORMATS = ("text", "json")
# Fields a record may carry into the JSON line (set through ``extra=`` by RequestLog).
REQUEST_FIELDS = ("method", "path", "status", "duration_ms", "user_id")


def _user_id(user: object) -> int | None:
    """The user's id without touching the database: after a failed request the session is
    closed and its objects expired, and reading ``user.id`` would raise instead of logging."""
    state = inspect(user, raiseerr=False) if user is not None else None
    if state is None or not state.identity:
        return None
    return int(state.identity[0])


class RequestLog:
    """ASGI middleware that logs each HTTP request after its response has been sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the client gets when the app raises before answering
        # The same dict becomes ``request.state``; ``current_user`` puts the user there.
        state: dict[str, Any] = scope.setdefault("state", {})

        async def send_and_note_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_and_note_status)
        finally:
            user_id = _user_id(state.get("user"))
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            method, path = scope.get("method", ""), scope.get("path", "")
            log.info(
                "%s %s %s %.1fms user=%s",
                method,
                path,
                status,
                duration_ms,
                user_id if user_id is not None else "-",
                extra={
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": duration_ms,
                    "user_id": user_id,
                },
            )


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, pid, message and request fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
        }
        if record.name == log.name:
            line["event"] = "request"
            line.update({name: getattr(record, name, None) for name in REQUEST_FIELDS})
        else:
            line["message"] = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, _exc, tb = record.exc_info
            # The type and where it happened; the message may quote a BSN or a name.
            line["exception"] = exc_type.__name__
            line["stack"] = "".join(traceback.format_tb(tb))
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """A readable line; exceptions show type and stack like the JSON lines, no message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s")

    def formatException(self, ei: Any) -> str:
        exc_type, _exc, tb = ei
        return "".join(traceback.format_tb(tb)) + (exc_type.__name__ if exc_type else "")


def log_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn and werkpad in every worker process."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {LOG_FORMATS}, not {log_format!r}")
    formatter = JsonLinesFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"werkpad": {"()": f"{__name__}.{formatter.__name__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "werkpad",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True, "level": level},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": level},
            # Alembic announces its plugins at import time in every worker.
            "alembic": {"level": "WARNING"},
            # Off: it prints query strings (search terms) and client addresses.
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "CRITICAL"},
        },
    }
