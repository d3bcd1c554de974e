"""Retries back off exponentially and honour Retry-After."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

from scrapy import Request
from scrapy.http import Response

from spiders.middlewares import RETRY_AFTER_KEY, BackoffRetryMiddleware, retry_after_seconds


def test_delay_doubles_per_attempt_up_to_the_cap():
    mw = BackoffRetryMiddleware(base=2.0, cap=10.0)
    delays = [mw.delay_for(Request("http://127.0.0.1/", meta={"retry_times": n})) for n in range(5)]
    assert delays == [0.0, 2.0, 4.0, 8.0, 10.0]


def test_retry_after_from_a_429_sets_the_next_wait():
    mw = BackoffRetryMiddleware(base=2.0, cap=60.0)
    request = Request("http://127.0.0.1/jobs")
    response = Response(
        "http://127.0.0.1/jobs", status=429, headers={"Retry-After": "7"}, request=request
    )
    assert mw.process_response(request, response) is response
    assert request.meta[RETRY_AFTER_KEY] == 7.0
    retried = request.replace(meta={**request.meta, "retry_times": 1})
    assert mw.delay_for(retried) == 7.0


def test_retry_after_parses_seconds_and_dates_and_ignores_junk():
    assert retry_after_seconds(b"120") == 120.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


def test_a_retried_request_really_waits_before_it_is_sent():
    mw = BackoffRetryMiddleware(base=0.05, cap=1.0)
    retried = Request("http://127.0.0.1/", meta={"retry_times": 2})

    async def timed(request: Request) -> float:
        started = time.monotonic()
        await mw.process_request(request)
        return time.monotonic() - started

    # A thread of its own: the browser tests' Playwright loop may be running in this one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        waited = pool.submit(asyncio.run, timed(retried)).result(timeout=30)
    assert waited >= 0.1
