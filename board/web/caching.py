"""Conditional GET: ETag and Last-Modified on feeds, the API and posting pages; 304 if unchanged."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import lru_cache

from flask import Response, request
from sqlalchemy import func, select
from werkzeug.http import http_date

from board.models import Posting
from board.web.context import get_board, get_db
from board.web.versioned import per_index_version

#: Shared caches may keep public documents briefly; pages with a session are revalidated.
PUBLIC_MAX_AGE = 300


def data_changed_at() -> datetime | None:
    """When any posting last changed: every feed and search answer is at most this old."""
    return get_db().scalar(select(func.max(Posting.updated_at)))


def index_changed_at() -> datetime | None:
    """data_changed_at as of the index's version: search answers are made from the index, and
    every posting change reaches it through the change log (read once per index version)."""
    return per_index_version(get_board(), "data_changed_at", data_changed_at)


def conditional(
    response: Response, last_modified: datetime | None = None, public: bool = True
) -> Response:
    """Add a strong ETag (a hash of the body) and Last-Modified; answer 304 when they match.

    The headers are werkzeug's (add_etag, last_modified, cache_control, make_conditional),
    written directly when the request asks nothing conditional (most searches): werkzeug's
    header objects cost more than the search's JSON. A conditional or range request, or a
    response that already has a Cache-Control, takes werkzeug's own path."""
    if response.status_code != 200:
        return response
    response.add_etag()
    headers = response.headers
    stamp = None
    if last_modified is not None:
        stamp = last_modified if last_modified.tzinfo else last_modified.replace(tzinfo=UTC)
        stamp = stamp.replace(microsecond=0)
    environ = request.environ
    if "cache-control" in headers or any(name in environ for name in CONDITIONAL_ENVIRON):
        return _werkzeug_conditional(response, stamp, public)
    if stamp is not None:
        headers["Last-Modified"] = _http_date(stamp)
    if public:
        headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
    else:
        headers["Cache-Control"] = "no-cache"
        response.vary.add("Cookie")
    if environ["REQUEST_METHOD"] in ("GET", "HEAD"):
        if "date" not in headers:
            headers["Date"] = _date_now()
        if response.automatically_set_content_length and "content-length" not in headers:
            length = response.calculate_content_length()
            if length is not None:
                headers["Content-Length"] = str(length)
    return response


#: The request headers (as WSGI environ keys) that can make an answer 304, 412 or partial.
CONDITIONAL_ENVIRON = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
    "HTTP_IF_RANGE",
    "HTTP_RANGE",
)
PUBLIC_CACHE_CONTROL = f"public, max-age={PUBLIC_MAX_AGE}"


@lru_cache(maxsize=64)
def _http_date(stamp: datetime) -> str:
    return http_date(stamp)


def _date_now() -> str:
    """http_date() of now, made once a second (it has no finer part)."""
    global _now  # noqa: PLW0603 - one (second, text) pair, replaced whole
    second = int(time.time())
    kept = _now
    if kept[0] != second:
        kept = _now = (second, http_date(second))
    return kept[1]


_now: tuple[int, str] = (-1, "")


def _werkzeug_conditional(response: Response, stamp: datetime | None, public: bool) -> Response:
    if stamp is not None:
        response.last_modified = stamp
    if public:
        response.cache_control.public = True
        response.cache_control.max_age = PUBLIC_MAX_AGE
    else:
        response.cache_control.no_cache = True  # may be stored, but asked again every time
        response.vary.add("Cookie")
    response.make_conditional(request)  # in place: a 304 keeps the headers, drops the body
    return response
