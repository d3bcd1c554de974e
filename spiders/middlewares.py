"""Downloader middleware: wait before a retry, exponentially, honouring Retry-After."""

from __future__ import annotations

import asyncio
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

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
