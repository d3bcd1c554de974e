"""schema.org JobPosting JSON-LD on any site: a listing page, a sitemap, or a detail page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.http import Response
from scrapy.utils.sitemap import Sitemap

from spiders.base import PlatformSpider
from spiders.parsing import find_job_postings, jsonld_objects, posting_fields


class JsonldSpider(PlatformSpider):
    """Postings from JSON-LD detail pages reached from a listing page or a sitemap.

    Source keys: `link_pattern` (regex a detail URL must match), `link_selector` (CSS for
    detail links on a listing page, default every `a`), `next_selector` (CSS for the
    listing's next-page link), `sitemap_follow` (regex for child sitemaps of an index).
    """

    name = "jsonld"
    optional_keys = ("link_pattern", "link_selector", "next_selector", "sitemap_follow")
    #: Subclasses (iCIMS, ...) set a default detail-link pattern.
    default_link_pattern: str | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        pattern = self.source.get("link_pattern") or self.default_link_pattern
        self.link_re = re.compile(pattern) if pattern else None
        follow = self.source.get("sitemap_follow")
        self.sitemap_follow_re = re.compile(follow) if follow else None
        self.pending_sitemaps = 0
        self.listing_pages: set[str] = set()

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The source url: a listing page, a sitemap or a detail page."""
        yield self.request(self.start_url(), self.parse_start)

    def start_url(self) -> str:
        """Where the walk begins (a hook for platforms that build it from the source)."""
        return self.source.url

    def parse_start(self, response: Response) -> Iterator[Any]:
        """Tell a sitemap from a page and walk it."""
        if _looks_like_sitemap(response):
            self.pending_sitemaps += 1
            yield from self.parse_sitemap(response)
        else:
            yield from self.parse_listing(response)

    # -- sitemaps --------------------------------------------------------------------------

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        """Follow a sitemap's <loc> entries (child sitemaps of an index, or detail pages)."""
        self.pending_sitemaps -= 1
        try:
            sitemap = Sitemap(response.body)
        except Exception as exc:  # noqa: BLE001 - lxml raises several types on broken XML
            self.fail_page("malformed_sitemap", f"{response.url}: {exc}")
            return
        locs = [entry["loc"] for entry in sitemap if entry.get("loc")]
        if not locs and not response.body.strip().endswith(b">"):
            self.fail_page("truncated_sitemap", response.url)
            return
        if sitemap.type == "sitemapindex":
            for loc in locs:
                if self.sitemap_follow_re is None or self.sitemap_follow_re.search(loc):
                    self.pending_sitemaps += 1
                    yield self.request(on_origin(loc, self.source.origin), self.parse_sitemap)
        else:
            for loc in locs:
                if self.wants_detail(loc):
                    yield self.request(on_origin(loc, self.source.origin), self.parse_detail)
        if self.pending_sitemaps == 0:
            self.listing_complete()

    # -- listing pages ---------------------------------------------------------------------

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """A page with JSON-LD postings is itself a detail page; otherwise follow its links."""
        postings = list(find_job_postings(jsonld_objects(response.body, response.url)))
        if postings:
            yield from self.postings_from(response, postings)
            self.listing_complete()
            return
        if not _is_html(response):
            self.fail_page("not_html", response.url)
            return
        yield from self.follow_listing(response)

    def follow_listing(self, response: Response) -> Iterator[Any]:
        """Detail links of a listing page, then its next page (complete when there is none)."""
        self.listing_pages.add(response.url)
        selector = self.source.get("link_selector") or "a"
        hrefs = response.css(f"{selector}::attr(href)").getall()
        if not hrefs and not response.css("body"):
            self.fail_page("truncated_page", response.url)
            return
        next_href = self.next_page(response)
        next_url = response.urljoin(next_href) if next_href else None
        for href in dict.fromkeys(hrefs):
            url = response.urljoin(href.strip())
            if url == next_url or url in self.listing_pages:
                continue
            if url.startswith("http") and self.wants_detail(url, listing=True):
                yield self.request(url, self.parse_detail)
        if next_url and next_url not in self.listing_pages:
            yield self.request(next_url, self.follow_listing)
        else:
            self.listing_complete()

    def next_page(self, response: Response) -> str | None:
        """The listing's next-page link, from the source's `next_selector`."""
        selector = self.source.get("next_selector")
        return response.css(f"{selector}::attr(href)").get() if selector else None

    def wants_detail(self, url: str, listing: bool = False) -> bool:
        """Whether a link (or sitemap entry) is a detail page worth fetching.

        Without a `link_pattern`, a listing page's links are followed only on the source's
        own host (not the navigation, social media and other sites a page links to).
        """
        if self.link_re is not None:
            return bool(self.link_re.search(url))
        if listing and urlsplit(url).netloc != urlsplit(self.source.url).netloc:
            return False
        return url.split("#")[0] != self.source.url

    # -- detail pages ----------------------------------------------------------------------

    def parse_detail(self, response: Response, **context: Any) -> Iterator[Any]:
        """The JobPosting(s) of a detail page; a page without one is dropped."""
        if not _is_html(response):
            self.drop("not_html", response.url)
            return
        postings = list(find_job_postings(jsonld_objects(response.body, response.url)))
        if not postings:
            self.drop("no_jsonld", response.url)
            return
        yield from self.postings_from(response, postings, **context)

    def postings_from(
        self, response: Response, postings: list[dict[str, Any]], **context: Any
    ) -> Iterator[Any]:
        """Raw items from JobPosting objects, with the page's own URL when there is one."""
        for posting in postings:
            fields = posting_fields(posting, response.url if len(postings) == 1 else None)
            fields = self.refine(fields, posting, response, **context)
            item = self.posting(**fields)
            if item is not None:
                yield item

    def refine(
        self,
        fields: dict[str, Any],
        posting: dict[str, Any],
        response: Response,
        **context: Any,
    ) -> dict[str, Any]:
        """Hook for platform subclasses: adjust the fields taken from JSON-LD."""
        return fields


def _looks_like_sitemap(response: Response) -> bool:
    head = response.body[:500].lstrip().lower()
    return (
        b"<urlset" in head
        or b"<sitemapindex" in head
        or (head.startswith(b"<?xml") and (b"sitemap" in response.body[:2000].lower()))
    )


def _is_html(response: Response) -> bool:
    head = response.body[:1000].lstrip().lower()
    return head.startswith(b"<") or b"<html" in head or b"<script" in head


def on_origin(url: str, origin: str) -> str:
    """A sitemap entry moved onto the source's origin (sitemaps list only their own host)."""
    parts = urlsplit(url)
    base = urlsplit(origin)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))
