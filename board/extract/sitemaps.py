"""Sitemaps as listings: which entries to follow, and whether the document was whole.

The crawler decompresses (gzip) and parses sitemaps with Scrapy's own sitemap machinery and
hands the entries over in `Fetched.sitemap`; this module decides what they mean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import lxml.etree

from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source


def looks_like_sitemap(body: bytes) -> bool:
    """Whether a (decompressed) body is a sitemap or sitemap index."""
    head = body[:8192].lstrip().lower()
    return b"<urlset" in head or b"<sitemapindex" in head


def xml_complete(body: bytes) -> bool:
    """Whether an XML document is well-formed to its closing root tag."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        lxml.etree.fromstring(body.strip(), parser)
    except lxml.etree.XMLSyntaxError:
        return False
    return True


def on_origin(url: str, origin: str) -> str:
    """A sitemap entry moved onto the source's origin (sitemaps list only their own host)."""
    parts = urlsplit(url)
    base = urlsplit(origin)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def read_sitemap(
    fetched: Fetched,
    source: Source,
    wants_detail: Callable[[str], bool],
    detail_step: str = "detail",
    follow: re.Pattern[str] | None = None,
) -> Page:
    """Child sitemaps of an index (listing requests) or detail requests of a urlset.

    A sitemap is whole only when its document is well-formed to the closing tag: a cut
    one fails the page (its entries are still followed; the run stays incomplete).
    """
    page = Page()
    if fetched.sitemap is None:
        return page.fail("malformed_sitemap", fetched.url)
    kind, entries = fetched.sitemap
    locs = [str(e["loc"]).strip() for e in entries if isinstance(e, dict) and e.get("loc")]
    if kind == "sitemapindex":
        for loc in locs:
            if follow is None or follow.search(loc):
                page.follow(NextRequest(on_origin(loc, source.origin), "sitemap", listing=True))
    else:
        for loc in locs:
            if wants_detail(loc):
                page.detail(NextRequest(on_origin(loc, source.origin), detail_step))
    if not xml_complete(fetched.body):
        return page.fail("truncated_sitemap", fetched.url)
    if kind == "urlset" or not page.requests:
        page.end = True  # a whole urlset, or an index without children to read
    return page


def sitemap_step(
    wants_detail: Callable[[Source, str], bool], follow_key: str = "sitemap_follow"
) -> Callable[[Fetched, Source, dict[str, Any]], Page]:
    """A "sitemap" step for a platform: its own detail filter, the source's follow regex."""

    def parse_sitemap(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
        """One sitemap or sitemap index."""
        pattern = source.get(follow_key)
        return read_sitemap(
            fetched,
            source,
            lambda url: wants_detail(source, url),
            follow=re.compile(pattern) if pattern else None,
        )

    return parse_sitemap
