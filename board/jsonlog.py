"""Structured logs: one JSON object a line on stderr when RCJOBS_LOG_FORMAT=json.

Each line has `time` (UTC, ISO 8601), `level`, `logger`, `message`, `pid`, the exception's
traceback as `exception` when there is one, and any `extra={...}` fields the call passed
(the access log passes method, route, path, status, duration_ms, remote_addr...).
"""

from __future__ import annotations

import json
import logging
import os
import sys
from datetime import UTC, datetime

from board.config import ConfigError

FORMATS = ("text", "json")
#: The attributes every LogRecord has: anything else on a record came from `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def log_format(value: str | None = None) -> str:
    """RCJOBS_LOG_FORMAT: "text" (the default) or "json"."""
    raw = os.environ.get("RCJOBS_LOG_FORMAT", "") if value is None else value
    chosen = (raw or "text").strip().lower()
    if chosen not in FORMATS:
        raise ConfigError(f"RCJOBS_LOG_FORMAT must be text or json, not {raw!r}")
    return chosen


def wants_json() -> bool:
    """Whether logs are to be written as JSON lines."""
    return log_format() == "json"


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON."""

    def format(self, record: logging.LogRecord) -> str:
        """The record's fields and extras as a JSON object."""
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(stream: object = None) -> bool:
    """With RCJOBS_LOG_FORMAT=json, make the root logger write JSON lines; whether it did."""
    if not wants_json():
        return False
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, "_rcjobs_json", False)), None)
    if handler is None:
        handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
        handler._rcjobs_json = True  # type: ignore[attr-defined]
        root.addHandler(handler)
    for each in root.handlers:
        each.setFormatter(JsonFormatter())
    return True
