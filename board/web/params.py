"""Parse search parameters from a query string into a SearchRequest, never failing."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

FACETS = (
    "country",
    "region",
    "role",
    "technical",
    "sector",
    "institution",
    "institution_type",
    "remote",
)
SORTS = ("relevance", "newest", "closing")
MAX_QUERY = 500
MAX_PER_PAGE = 100


def _int(value: Any, default: int, low: int, high: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def search_request(args: Mapping[str, Any]):  # noqa: ANN201 - a SearchRequest
    """A SearchRequest from request.args (a MultiDict) with every value bounded."""
    from search_index import SearchRequest

    getlist = getattr(args, "getlist", lambda k: [args[k]] if k in args else [])
    filters = {}
    for name in FACETS:
        values = [str(v)[:100] for v in getlist(name) if str(v).strip()][:20]
        if values:
            filters[name] = values
    status = str(args.get("status", "open"))
    relevant = str(args.get("relevant", "true"))
    sort = str(args.get("sort", "relevance"))
    posted_since = None
    try:
        if args.get("posted_since"):
            posted_since = date.fromisoformat(str(args.get("posted_since")))
    except ValueError:
        posted_since = None
    return SearchRequest(
        q=str(args.get("q", ""))[:MAX_QUERY],
        filters=filters,
        status=status if status in ("open", "closed", "all") else "open",
        relevant=relevant if relevant in ("true", "false", "all") else "true",
        posted_since=posted_since,
        sort=sort if sort in SORTS else "relevance",
        page=_int(args.get("page"), 1, 1, 10_000),
        per_page=_int(args.get("per_page"), 20, 1, MAX_PER_PAGE),
    )
