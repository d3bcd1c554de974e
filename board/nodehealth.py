"""How one node stands: database reachable, how far its index lags the change log, broker.

Used by the /healthz endpoint and the /metrics scrape; no Flask here.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import func, select, text

from board.clock import utcnow
from board.config import ConfigError, whole_number
from board.models import CrawlRun, Posting, PostingChange

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from board.services import Board

DEFAULT_MAX_LAG = 60
BROKER_TIMEOUT = 2.0
BROKER_TTL = 5.0
#: The first frame of an AMQP 0-9-1 handshake (RabbitMQ answers it with Connection.Start).
AMQP_HEADER = b"AMQP\x00\x00\x09\x01"


@dataclass
class IndexLag:
    """The index's watermark against the newest change, and the oldest change not applied."""

    watermark: int
    latest: int
    seconds: float  # since the oldest change the index has not applied (0 when none)

    @property
    def changes(self) -> int:
        """How many change ids the index is behind (0 when it is up to date)."""
        return max(self.latest - self.watermark, 0)


def max_lag() -> int:
    """RCJOBS_HEALTH_MAX_LAG: seconds of index lag before /healthz answers 503 (60)."""
    return whole_number(
        "RCJOBS_HEALTH_MAX_LAG", os.environ.get("RCJOBS_HEALTH_MAX_LAG"), DEFAULT_MAX_LAG, 1
    )


def index_lag(board: Board, session: Session) -> IndexLag:
    """This node's index lag, in changes and in seconds."""
    watermark = board.index.watermark() if board.index.exists() else 0
    latest = int(session.scalar(select(func.max(PostingChange.id))) or 0)
    seconds = 0.0
    if latest > watermark:
        oldest = session.scalar(
            select(func.min(PostingChange.created_at)).where(PostingChange.id > watermark)
        )
        if oldest is not None:
            seconds = max((utcnow() - oldest).total_seconds(), 0.0)
    return IndexLag(watermark, latest, seconds)


def ping_database(session: Session) -> None:
    """Raise when the database does not answer."""
    session.execute(text("SELECT 1"))


def postings_by_status(session: Session) -> dict[str, int]:
    """Visible postings per status, and the hidden ones as "hidden"."""
    counts: dict[str, int] = {}
    rows = session.execute(
        select(Posting.status, Posting.hidden, func.count()).group_by(
            Posting.status, Posting.hidden
        )
    ).all()
    for status, hidden, count in rows:
        key = "hidden" if hidden else str(status)
        counts[key] = counts.get(key, 0) + int(count)
    return counts


def crawl_runs_by_outcome(session: Session) -> dict[str, int]:
    """Every crawl run ever recorded, per outcome (running, success, partial, failed...)."""
    rows = session.execute(select(CrawlRun.outcome, func.count()).group_by(CrawlRun.outcome))
    return {str(outcome): int(count) for outcome, count in rows}


def broker_url() -> str | None:
    """RCJOBS_BROKER_URL, or None when it is not set."""
    return os.environ.get("RCJOBS_BROKER_URL") or None


_broker_seen: dict[str, tuple[float, dict[str, Any]]] = {}


def broker_status(url: str | None, ttl: float = BROKER_TTL) -> dict[str, Any]:
    """check_broker, remembered for `ttl` seconds: a load balancer asking /healthz every second
    on every worker opens a broker connection at most every few seconds."""
    if not url:
        return {"status": "not configured"}
    now = time.monotonic()
    seen = _broker_seen.get(url)
    if seen is not None and now - seen[0] < ttl:
        return seen[1]
    result = check_broker(url)
    _broker_seen[url] = (now, result)
    return result


def check_broker(url: str | None, timeout: float = BROKER_TIMEOUT) -> dict[str, Any]:
    """{"status": "ok" | "unreachable" | "not configured", "error"?: why} for a broker URL.

    AMQP: the protocol header is sent and the server must answer with a method frame; Redis:
    PING (which also checks the password). Nothing is declared or consumed.
    """
    if not url:
        return {"status": "not configured"}
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        if scheme in ("redis", "rediss"):
            import redis

            client = redis.Redis.from_url(
                url, socket_timeout=timeout, socket_connect_timeout=timeout
            )
            try:
                client.ping()
            finally:
                client.close()
        elif scheme in ("amqp", "amqps", "pyamqp"):
            if scheme == "amqps":
                _connect(parts.hostname, parts.port or 5671, timeout, b"")
            else:
                _connect(parts.hostname, parts.port or 5672, timeout, AMQP_HEADER)
        else:
            raise ConfigError(f"RCJOBS_BROKER_URL has a scheme rcjobs cannot check: {scheme!r}")
    except Exception as exc:  # noqa: BLE001 - any failure is reported, never raised
        return {"status": "unreachable", "error": _reason(exc)}
    return {"status": "ok"}


def _connect(host: str | None, port: int, timeout: float, hello: bytes) -> None:
    with socket.create_connection((host or "127.0.0.1", port), timeout=timeout) as sock:
        if not hello:
            return
        sock.sendall(hello)
        first = sock.recv(1)
        if first != b"\x01":  # a method frame; anything else is not an AMQP 0-9-1 broker
            raise ConnectionError("the broker did not answer the AMQP handshake")


def _reason(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", None) or exc).strip()
    return (text_.splitlines()[0] if text_ else exc.__class__.__name__)[:200]
