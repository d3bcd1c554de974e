"""Atom and RSS feeds for any search: the listing's query string, newest first."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, request

from board.web.caching import conditional, data_changed_at
from board.web.context import absolute_url, page_url
from board.web.jobs import FACET_TITLES, facet_label, format_day, permanent_url, run_search
from board.web.params import FEED_SIZE, search_request, to_args
from board.web.xmltext import plain_text, xml_safe

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

    from search_index import SearchRequest, SearchResult

bp = Blueprint("feeds", __name__)

MEDIA_TYPES = {"atom": "application/atom+xml", "rss": "application/rss+xml"}


@bp.get("/jobs/feed.atom", defaults={"kind": "atom"})
@bp.get("/jobs/feed.rss", defaults={"kind": "rss"})
def feed(kind: str) -> Response:
    """The feed of a search: same filters as /jobs, newest first unless a sort is given."""
    listing = search_request(request.args)
    result = run_search(feed_request(listing, request.args))
    if result is None:
        abort(503)
    generator = build_feed(listing, result, kind)
    body = generator.atom_str(pretty=True) if kind == "atom" else generator.rss_str(pretty=True)
    return conditional(Response(body, mimetype=MEDIA_TYPES[kind]), data_changed_at())


def feed_request(listing: SearchRequest, args: Any) -> SearchRequest:
    """The search behind a feed: the listing's, newest first by default, one page."""
    return replace(
        listing,
        sort=listing.sort if "sort" in args else "newest",
        per_page=listing.per_page if "per_page" in args else FEED_SIZE,
    )


def feed_links(search: SearchRequest) -> dict[str, str]:
    """Relative URLs of the Atom and RSS feeds of a search (for <link rel="alternate">)."""
    args = to_args(search, page=1)
    # The feed's own defaults (newest first, FEED_SIZE entries) stay out of its URL and id.
    if args.get("sort") == "newest":
        args.poplist("sort")
    if args.get("per_page") == str(FEED_SIZE):
        args.poplist("per_page")
    return {kind: page_url("feeds.feed", args, kind=kind) for kind in ("atom", "rss")}


def describe(search: SearchRequest) -> str:
    """A short human title for a search ("director" · Country: Canada)."""
    parts = [f"“{search.q}”"] if search.q else []
    for facet, values in search.filters.items():
        labels = ", ".join(facet_label(v, facet) for v in values)
        parts.append(f"{FACET_TITLES.get(facet, facet)}: {labels}")
    if search.status != "open":
        parts.append(f"status: {search.status}")
    return " · ".join(parts) or "all open postings"


def _moment(day: date | None) -> datetime:
    return datetime.combine(day or date(2000, 1, 1), time(0, 0), tzinfo=UTC)


def build_feed(search: SearchRequest, result: SearchResult, kind: str) -> FeedGenerator:
    """A feedgen FeedGenerator whose entry ids are the postings' permanent URLs."""
    from feedgen.feed import FeedGenerator  # feedgen and lxml load with the first feed

    links = feed_links(search)
    listing = absolute_url(page_url("jobs.listing", to_args(search, page=1)))
    generator = FeedGenerator()
    generator.id(absolute_url(links["atom"]))
    generator.title(xml_safe(f"rcjobs: {describe(search)}"))
    generator.subtitle("Jobs leading research computing teams")
    generator.link(href=absolute_url(links[kind]), rel="self")
    generator.link(href=listing, rel="alternate")  # last: feedgen's RSS <link> is the last one
    generator.language("en")
    generator.generator("rcjobs")
    days = [hit.posted_on for hit in result.hits if hit.posted_on]
    generator.updated(_moment(max(days)) if days else _moment(datetime.now(UTC).date()))
    for hit in result.hits:
        url = permanent_url(hit.id)
        entry = generator.add_entry(order="append")
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(plain_text(hit.title) or "(untitled)")
        entry.link(href=url, rel="alternate")
        entry.author(name=plain_text(hit.institution) or "rcjobs")
        entry.published(_moment(hit.posted_on))
        entry.updated(_moment(hit.posted_on))
        entry.category(term=xml_safe(hit.role), label=facet_label(hit.role, "role"))
        closing = f" Closes {format_day(hit.closes_on)}." if hit.closes_on else ""
        where = " · ".join(x for x in (hit.institution, hit.location_display) if x)
        summary = plain_text(f"{where}. {hit.summary}{closing}")
        # Atom says the summary is text; an RSS description is HTML, so its text is escaped.
        if kind == "rss":
            entry.summary(html.escape(summary, quote=False))
        else:
            entry.summary(summary, type="text")
    return generator


def register(app: Any) -> None:
    """Register the feeds and offer feed_links to templates."""
    app.register_blueprint(bp)
    app.add_template_global(feed_links)
    app.add_template_global(describe, "describe_search")
