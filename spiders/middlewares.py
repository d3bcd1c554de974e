"""Downloader middleware: wait before a retry, exponentially, honouring Retry-After; send a
request again once when its connection closed before any answer; hold the per-host limit."""

from __future__ import annotations

import asyncio
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.internet.error import ConnectionDone, ConnectionLost
from twisted.web._newclient import RequestTransmissionFailed, ResponseNeverReceived

RETRY_AFTER_KEY = "rcjobs_retry_after"


def retry_after_seconds(value: bytes | str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), if it has one."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    from datetime import UTC, datetime

    return max((when - datetime.now(UTC)).total_seconds(), 0.0)


class BackoffRetryMiddleware:
    """Delay each retried request: base × 2^(attempt-1), capped, or the server's Retry-After."""

    def __init__(self, base: float, cap: float) -> None:
        self.base = base
        self.cap = cap

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        """Read RETRY_BACKOFF_BASE and RETRY_BACKOFF_MAX."""
        settings = crawler.settings
        return cls(
            settings.getfloat("RETRY_BACKOFF_BASE", 2.0),
            settings.getfloat("RETRY_BACKOFF_MAX", 60.0),
        )

    def delay_for(self, request: Request) -> float:
        """How long to wait before sending this (retried) request."""
        attempt = int(request.meta.get("retry_times", 0))
        if attempt <= 0:
            return 0.0
        hinted = request.meta.get(RETRY_AFTER_KEY)
        if hinted is not None:
            return min(float(hinted), self.cap)
        return min(self.base * 2 ** (attempt - 1), self.cap)

    async def process_request(self, request: Request, spider: Any = None) -> None:
        """Sleep before a retry; the first attempt goes straight through."""
        delay = self.delay_for(request)
        if delay > 0:
            await asyncio.sleep(delay)

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        """Remember a 429/503's Retry-After so the retry waits as long as asked."""
        if response.status in (429, 503):
            seconds = retry_after_seconds(response.headers.get(b"Retry-After"))
            if seconds is not None:
                request.meta[RETRY_AFTER_KEY] = seconds
        return response


#: Request meta: sending the request twice changes nothing on the site (a listing query).
REPEATABLE_KEY = "rcjobs_repeatable"
#: Request meta: the request was already sent again after its connection closed unanswered.
RESENT_KEY = "rcjobs_resent"
#: Methods whose requests may always be sent twice (RFC 9110, 9.2.2).
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
#: A connection that ended before the response began (no byte of an answer was read).
UNANSWERED = (ResponseNeverReceived, RequestTransmissionFailed, ConnectionDone, ConnectionLost)


def unanswered(exception: BaseException) -> bool:
    """Whether a download failed because its connection ended before any answer: the
    exception or one it was raised from (Scrapy >= 2.14 wraps Twisted's in its own)."""
    seen: BaseException | None = exception
    for _ in range(4):
        if seen is None:
            return False
        if isinstance(seen, UNANSWERED):
            return True
        seen = seen.__cause__
    return False


class ResendUnansweredMiddleware:
    """Send a request again, once, when its connection closed before any answer came.

    Servers close idle keep-alive connections whenever they like; a request that goes out on
    one just as it closes gets no answer at all. Twisted's pool sends it again by itself only
    when it is a GET-like request on a pooled connection, never a POST. (Twisted also keeps a
    connection after an HTTP/1.0 answer without "Connection: close", which such a server then
    closes: every pooled connection to it is dead, and one resend is not enough there.)
    The spiders' POSTs (Workday's list API, search forms) are queries, marked REPEATABLE_KEY.
    This is a reconnect, not a retry of a failure the server reported: once per request,
    whatever RETRY_TIMES says; the retry middleware (after this one) handles what fails again.
    """

    def process_exception(
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | None:
        """The request again (at the front of the queue), or None to let others decide."""
        if not unanswered(exception) or request.meta.get(RESENT_KEY):
            return None
        if request.method.upper() not in IDEMPOTENT and not request.meta.get(REPEATABLE_KEY):
            return None  # sending it twice might do something twice
        again = request.replace(dont_filter=True, priority=request.priority + 1)
        again.meta[RESENT_KEY] = True
        return again


HOST_PLACE_KEY = "rcjobs_host_place"


class HostConcurrencyMiddleware:
    """At most CONCURRENT_REQUESTS_PER_DOMAIN requests in flight to one host, for every crawler
    of the process together.

    Scrapy's downloader checks a slot's free transfer places before the downloads it starts
    have begun (each is a task scheduled on the asyncio loop), so with no download delay it
    sends a slot's whole queue at once, and with a delay shorter than the responses it keeps
    adding requests; two crawlers of one process on one host also have a slot each. This
    holds the limit: a request waits for one of its host's places before it goes out and
    gives it back with its response or its failure.
    """

    _limits: dict[str, asyncio.Semaphore] = {}
    _live: set[int] = set()
    _next = 0

    def __init__(self, per_host: int) -> None:
        self.per_host = max(per_host, 1)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> HostConcurrencyMiddleware:
        """Read CONCURRENT_REQUESTS_PER_DOMAIN."""
        return cls(crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN", 2))

    @classmethod
    def _host(cls, request: Request) -> str:
        from scrapy.utils.httpobj import urlparse_cached

        return (urlparse_cached(request).hostname or "").lower()

    def _limit(self, host: str) -> asyncio.Semaphore:
        limits = HostConcurrencyMiddleware._limits
        if host not in limits:
            limits[host] = asyncio.Semaphore(self.per_host)
        return limits[host]

    async def process_request(self, request: Request, spider: Any = None) -> None:
        """Wait for a place on the request's host."""
        self._give_back(request)  # a copy (redirect) of a request that held one
        await self._limit(self._host(request)).acquire()
        HostConcurrencyMiddleware._next += 1
        token = HostConcurrencyMiddleware._next
        HostConcurrencyMiddleware._live.add(token)
        request.meta[HOST_PLACE_KEY] = token

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Response:
        """Give the place back."""
        self._give_back(request)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        """Give the place back when the download failed."""
        self._give_back(request)

    def _give_back(self, request: Request) -> None:
        token = request.meta.pop(HOST_PLACE_KEY, None)
        if token is not None and token in HostConcurrencyMiddleware._live:
            HostConcurrencyMiddleware._live.discard(token)
            self._limit(self._host(request)).release()
