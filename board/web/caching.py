"""Conditional GET: ETag and Last-Modified on feeds, the API and posting pages; 304 if unchanged."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Response, request
from sqlalchemy import func, select

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
    """Add a strong ETag (a hash of the body) and Last-Modified; answer 304 when they match."""
    if response.status_code != 200:
        return response
    response.add_etag()
    if last_modified is not None:
        stamp = last_modified if last_modified.tzinfo else last_modified.replace(tzinfo=UTC)
        response.last_modified = stamp.replace(microsecond=0)
    if public:
        response.cache_control.public = True
        response.cache_control.max_age = PUBLIC_MAX_AGE
    else:
        response.cache_control.no_cache = True  # may be stored, but asked again every time
        response.vary.add("Cookie")
    response.make_conditional(request)  # in place: a 304 keeps the headers, drops the body
    return response
