"""Access logs without secrets: private-link tokens (submission status, alerts) are redacted."""

from __future__ import annotations

import logging
import re
import time
import traceback
from typing import Any

from gunicorn.glogging import Logger

REDACTED = "[redacted]"
# A private link's token: the status page of a submission, an alert's manage/unsubscribe page.
_PRIVATE = re.compile(r"(/submit/status/|/alerts/)[A-Za-z0-9_\-]{16,}")


def redact(text: str) -> str:
    """The text with every private-link token replaced by [redacted]."""
    if "/submit/status/" not in text and "/alerts/" not in text:
        return text  # the common case: no pattern to run
    return _PRIVATE.sub(rf"\1{REDACTED}", text)


class RedactingFilter(logging.Filter):
    """A logging filter that redacts tokens from a record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the message in place; never drops a record."""
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


#: gunicorn's default access-log format (Apache's combined format, without the time taken).
DEFAULT_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s"'


class AccessLogger(Logger):
    """gunicorn's logger, with every access-log field (request line, Location...) redacted;
    JSON lines for both of its logs when RCJOBS_LOG_FORMAT=json.

    With the default format each line is made from the nine fields it shows (gunicorn's own
    path builds a dict of every header and environ value and redacts each); a custom
    access_log_format takes gunicorn's path. With the access log off nothing is done."""

    def setup(self, cfg: Any) -> None:
        """gunicorn's handlers, with the JSON formatter when asked for."""
        super().setup(cfg)
        from board.jsonlog import JsonFormatter, wants_json

        self.json = wants_json()
        if self.json:
            for logger in (self.error_log, self.access_log):
                for handler in logger.handlers:
                    handler.setFormatter(JsonFormatter())

    def access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        """One access-log line (nothing when the access log is off); in JSON, the request's
        fields as fields of their own."""
        if not getattr(self, "access_log_enabled", True):
            return
        if getattr(self, "json", False):
            self._json_access(resp, req, environ, request_time)
            return
        if self.cfg.access_log_format != DEFAULT_FORMAT or "HTTP_AUTHORIZATION" in environ:
            super().access(resp, req, environ, request_time)
            return
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = body_bytes(resp)
        request_line = (
            f"{environ['REQUEST_METHOD']} {environ['RAW_URI']} {environ['SERVER_PROTOCOL']}"
        )
        line = (
            f"{_q(environ.get('REMOTE_ADDR', '-'))} - - "
            f"{time.strftime('[%d/%b/%Y:%H:%M:%S %z]')} "
            f'"{_q(request_line)}" {_q(status)} {sent if sent is not None and str(sent) else "-"} '
            f'"{_q(environ.get("HTTP_REFERER", "-"))}" "{_q(environ.get("HTTP_USER_AGENT", "-"))}"'
        )
        try:
            self.access_log.info(redact(line))
        except Exception:  # noqa: BLE001 - as gunicorn: a failed log line is logged, not raised
            self.error(traceback.format_exc())

    def _json_access(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> None:
        if not (self.cfg.accesslog or self.cfg.logconfig or self.cfg.syslog):
            return
        atoms = self.atoms(resp, req, environ, request_time)
        fields = {
            "remote_addr": atoms.get("h"),
            "method": atoms.get("m"),
            "path": atoms.get("U"),
            "query": atoms.get("q") or "",
            "status": resp.status_code if hasattr(resp, "status_code") else atoms.get("s"),
            "bytes": atoms.get("B"),
            "duration_ms": round(request_time.total_seconds() * 1000, 3),
            "user_agent": atoms.get("a"),
        }
        message = redact(f"{fields['method']} {fields['path']} {fields['status']}")
        self.access_log.info(message, extra=fields)

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:
        """gunicorn's atoms with tokens redacted from each text value."""
        atoms = super().atoms(resp, req, environ, request_time)
        sent = body_bytes(resp)
        if sent != getattr(resp, "sent", None):
            atoms["b"], atoms["B"] = str(sent), sent
        return {k: redact(v) if isinstance(v, str) else v for k, v in atoms.items()}


def body_bytes(resp: Any) -> int | None:
    """The body's bytes sent, as the access log shows them. gunicorn counts what its write()
    sends, but not a file it sends with sendfile(2) (its path for `wsgi.file_wrapper`, which
    Flask's static files take): that leaves the count at 0. socket.sendfile sends the whole
    declared length or raises before the line is logged, so a body-bearing response (not
    HEAD, 1xx, 204 or 304) with a Content-Length and nothing counted sent that length."""
    sent = getattr(resp, "sent", None)
    if sent == 0 and not getattr(resp, "_omits_body", False):
        length = getattr(resp, "response_length", None)
        if isinstance(length, int) and length > 0:
            return length
    return sent


def _q(value: Any) -> str:
    """A field as gunicorn's SafeAtoms writes it: double quotes escaped."""
    return str(value).replace('"', '\\"')


def install_filters() -> None:
    """Redact tokens in the development server's request log (werkzeug's logger) too."""
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
