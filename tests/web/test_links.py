"""The listing's links (board.web.links) are the URLs url_for and to_args build, to the letter."""

from __future__ import annotations

import random
from datetime import date

from flask import Flask, url_for
from werkzeug.datastructures import MultiDict

from board.web import params as P
from board.web.context import page_url
from board.web.links import SearchLinks, request_url_for

VALUES = ["CA", "us", "director", "hpc", "a b", "x&y=z", "café", "100%", "é/ü", "+plus", ""]
CHANGES = [
    {},
    {"page": 1},
    {"page": 7},
    {"status": "all", "page": 1},
    {"relevant": "all", "page": 1},
    {"q": "", "page": 1},
    {"q": "new words & more", "page": 1, "correct": True},
    {"page": 1, "correct": False},
    {"filters": {}, "salary_min": None, "page": 1},
    {"salary_min": None, "salary_currency": "USD", "page": 1},
    {"salary_min": None, "page": 1},
    {"posted_since": None, "page": 1},
    {"posted_since": date(2026, 1, 2), "page": 1},
    {"sort": "relevance", "page": 1},
    {"q": "", "page": 1, "correct": True},
]


def random_args(rng: random.Random) -> list[tuple[str, str]]:
    args: list[tuple[str, str]] = []
    if rng.random() < 0.7:
        args.append(("q", rng.choice(["director hpc", '"research software"', "a+b & c", "ü"])))
    for name in rng.sample(list(P.FACETS), rng.randint(0, 3)):
        args += [(name, rng.choice(VALUES)) for _ in range(rng.randint(1, 2))]
    for name, choices in [
        ("status", ["open", "closed", "all"]),
        ("relevant", ["true", "all"]),
        ("sort", ["relevance", "newest", "closing"]),
        ("page", ["1", "2", "40"]),
        ("per_page", ["20", "50"]),
        ("salary_min", ["120k", "90000", "0"]),
        ("salary_currency", ["USD", "CAD", "EUR"]),
        ("posted_since", ["2026-01-01"]),
        ("correct", ["false"]),
    ]:
        if rng.random() < 0.3:
            args.append((name, rng.choice(choices)))
    return args


def test_search_links_are_the_urls_to_args_builds(app: Flask) -> None:
    rng = random.Random(15)
    with app.test_request_context("/jobs"):
        for _ in range(300):
            search = P.search_request(MultiDict(random_args(rng)))
            links = SearchLinks(search)
            for changes in CHANGES:
                expected = page_url("jobs.listing", P.to_args(search, **changes))
                assert links.to(**changes) == expected, (search, changes)
                assert links.url("api.jobs", **changes) == page_url(
                    "api.jobs", P.to_args(search, **changes)
                )
            for facet in P.FACETS:
                for value in [*search.filters.get(facet, []), "ca", "x y"]:
                    expected = page_url("jobs.listing", P.toggle_filter(search, facet, value))
                    assert links.toggle(facet, value) == expected


def test_feed_links_are_the_feeds_own(app: Flask) -> None:
    """The listing's Atom/RSS links (SearchLinks.feeds) are feed_links's, to the letter."""
    from board.web.feeds import feed_links

    rng = random.Random(16)
    with app.test_request_context("/jobs"):
        for _ in range(300):
            search = P.search_request(MultiDict(random_args(rng)))
            assert SearchLinks(search).feeds(P.FEED_SIZE) == feed_links(search), search


def test_path_links_are_the_urls_url_for_builds(app: Flask) -> None:
    with app.test_request_context("/jobs"):
        links = SearchLinks(P.search_request({}))
        for public_id, slug in [("abc123", "director-hpc"), ("a_b-c", "job"), ("x y", "é/?#%")]:
            expected = url_for("jobs.posting", public_id=public_id, slug=slug)
            assert links.path("jobs.posting", public_id=public_id, slug=slug) == expected
        for slug in ["mcmaster", "école polytechnique", "a/b", "100%"]:
            expected = url_for("institutions.show", slug=slug)
            assert links.path("institutions.show", slug=slug) == expected


def test_template_url_for_is_url_for_remembered_per_request(app: Flask) -> None:
    with app.test_request_context("/jobs"):
        assert request_url_for("static", filename="site.css") == url_for(
            "static", filename="site.css"
        )
        assert request_url_for("jobs.listing") == url_for("jobs.listing")
        assert request_url_for("feeds.feed", kind="rss") == url_for("feeds.feed", kind="rss")
    with app.test_request_context("/jobs", base_url="http://example.org/mounted"):
        assert request_url_for("jobs.listing") == "/mounted/jobs"


def test_a_path_segment_is_quoted_as_werkzeug_quotes_it():
    # links._segment keeps a value as it is when quote would; every other one is quoted.
    from urllib.parse import quote

    from board.web.links import _PATH_SAFE, _segment

    for code in [*range(0x250), 0x2028, 0x1F600]:
        for value in (chr(code), f"ab{chr(code)}", chr(code) * 3):
            assert _segment(value) == quote(value, safe=_PATH_SAFE), repr(value)
