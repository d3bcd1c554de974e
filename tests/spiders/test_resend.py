"""ResendUnansweredMiddleware: a query whose connection closed unanswered goes again, once."""

from __future__ import annotations

from scrapy import Request
from scrapy.exceptions import DownloadFailedError
from twisted.internet.error import ConnectionDone, ConnectionRefusedError
from twisted.python.failure import Failure
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

from spiders.middlewares import REPEATABLE_KEY, RESENT_KEY, ResendUnansweredMiddleware

URL = "https://example.wd5.myworkdayjobs.com/wday/cxs/example/Research/jobs"


def never_answered() -> Exception:
    """What Scrapy raises when the server closed the connection before any byte of an answer."""
    cause = ResponseNeverReceived([Failure(ConnectionDone())])
    error = DownloadFailedError(str(cause))
    error.__cause__ = cause
    return error


def test_a_listing_query_never_answered_goes_again_once():
    mw = ResendUnansweredMiddleware()
    query = Request(URL, method="POST", body=b'{"offset": 20}', meta={REPEATABLE_KEY: True})
    again = mw.process_exception(query, never_answered())
    assert isinstance(again, Request)
    assert (again.url, again.method, again.body) == (query.url, "POST", query.body)
    assert again.dont_filter and again.meta[RESENT_KEY]
    assert mw.process_exception(again, never_answered()) is None  # once: then retry decides


def test_a_post_not_marked_repeatable_is_never_sent_twice():
    mw = ResendUnansweredMiddleware()
    assert mw.process_exception(Request(URL, method="POST"), never_answered()) is None


def test_a_get_goes_again_and_twisteds_own_exception_counts_too():
    mw = ResendUnansweredMiddleware()
    again = mw.process_exception(Request(URL), ResponseNeverReceived([Failure(ConnectionDone())]))
    assert isinstance(again, Request) and again.meta[RESENT_KEY]


def test_failures_after_an_answer_began_or_before_connecting_are_left_to_retry():
    mw = ResendUnansweredMiddleware()
    query = Request(URL, method="POST", meta={REPEATABLE_KEY: True})
    partial = DownloadFailedError("lost mid-body")
    partial.__cause__ = ResponseFailed([Failure(ConnectionDone())])
    assert mw.process_exception(query, partial) is None
    assert mw.process_exception(query, ConnectionRefusedError()) is None


def test_every_spider_request_is_marked_repeatable():
    from board.extract import NextRequest
    from spiders.platforms.workday import WorkdaySpider

    spider = WorkdaySpider.__new__(WorkdaySpider)
    spider.pending_listing = 0
    made = spider.make_request(NextRequest(URL, "list", json={"offset": 0}, listing=True))
    assert made.method == "POST" and made.meta[REPEATABLE_KEY] is True
