"""schema.org JobPosting JSON-LD on any site: a listing page, a sitemap, or a detail page.

URL forms: a listing page (detail links chosen by `link_pattern` / `link_selector`, pages by
`next_selector`), a sitemap.xml or sitemap index (gzipped children too), or one detail page.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from board.extract.html import attr, document_complete, job_looking_links, parse_html
from board.extract.jobposting import page_postings, posting_fields
from board.extract.page import Fetched, NextRequest, Page
from board.extract.sitemaps import sitemap_step
from board.extract.source import Source, SourceError

NAME = "jsonld"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("link_pattern", "link_selector", "next_selector", "sitemap_follow")
URL_FORMS = (
    "https://HOST/careers/ (a listing page)",
    "https://HOST/sitemap.xml (a sitemap or index; .xml.gz children too)",
    "https://HOST/careers/job/123 (one detail page)",
)


def check(source: Source) -> None:
    """Refuse an entry whose patterns do not compile."""
    for key in ("link_pattern", "sitemap_follow"):
        if source.get(key):
            try:
                re.compile(str(source.get(key)))
            except re.error as exc:
                raise SourceError(f"{source.id}: {key} is not a valid pattern: {exc}") from exc


def start(source: Source) -> list[NextRequest]:
    """The source url: a listing page, a sitemap or a detail page."""
    return [NextRequest(source.url, "start", listing=True)]


def is_html(body: bytes) -> bool:
    """Whether a body looks like HTML (or at least markup with scripts)."""
    head = body[:1000].lstrip().lower()
    return head.startswith(b"<") or b"<html" in head or b"<script" in head


def wants_detail(source: Source, url: str, listing: bool = False) -> bool:
    """Whether a link (or sitemap entry) is a detail page worth fetching.

    Without a `link_pattern`, a listing page's links are followed only on the source's
    own host (not the navigation, social media and other sites a page links to).
    """
    pattern = source.get("link_pattern")
    if pattern:
        return bool(re.search(str(pattern), url))
    if listing and urlsplit(url).netloc != urlsplit(source.url).netloc:
        return False
    return url.split("#")[0] != source.url


def parse_start(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """A sitemap, a page that is itself a posting, or a listing page."""
    if fetched.sitemap is not None:
        return parse_sitemap(fetched, source, meta)
    postings = page_postings(fetched.body, fetched.url)
    if postings:
        page = records_from(fetched, source, postings)
        page.listed = len(page.records)
        page.end = True  # a detail page as the source url is its own whole listing
        return page
    return parse_listing(fetched, source, meta)


def parse_listing(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Detail links of a listing page, then its next page (the end: no next page on a
    whole document)."""
    page = Page()
    if not is_html(fetched.body):
        return page.fail("not_html", fetched.url)
    soup = parse_html(fetched.body)
    if not soup.body and not soup.find("a"):
        return page.fail("truncated_page", fetched.url)
    seen = set(meta.get("pages") or ()) | {fetched.url}
    selector = source.get("link_selector") or "a"
    next_selector = source.get("next_selector")
    next_link = soup.select_one(str(next_selector)) if next_selector else None
    next_url = urljoin(fetched.url, attr(next_link, "href")) if attr(next_link, "href") else None
    for element in soup.select(str(selector)):
        href = attr(element, "href") or attr(element.find("a"), "href")
        if not href:
            continue
        url = urljoin(fetched.url, href)
        if url == next_url or url.split("#")[0] in seen:
            continue
        if url.startswith("http") and wants_detail(source, url, listing=True):
            seen.add(url)
            page.detail(NextRequest(url, "detail"))
    if not page.listed and source.get("link_pattern") and not meta.get("pages"):
        unread = [
            u
            for u in job_looking_links(soup, fetched.url)
            if urlsplit(u).netloc == urlsplit(fetched.url).netloc
        ]
        if unread:  # the site's job links no longer match the entry's link_pattern
            return page.fail("unknown_listing_shape", f"{fetched.url}: {unread[0]}")
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    if next_url and next_url not in seen:
        page.follow(NextRequest(next_url, "listing", meta={"pages": sorted(seen)}, listing=True))
    else:
        page.end = True
    return page


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """The JobPosting(s) of a detail page; a page without one is dropped."""
    page = Page()
    if not is_html(fetched.body):
        page.drop("not_html", fetched.url)
        return page
    postings = page_postings(fetched.body, fetched.url)
    if not postings:
        page.drop("no_jsonld", fetched.url)
        return page
    return records_from(fetched, source, postings)


def records_from(fetched: Fetched, source: Source, postings: list[dict[str, Any]]) -> Page:
    """Records of JobPosting objects, with the page's own URL when there is one posting."""
    page = Page()
    for posting in postings:
        page.record(source, **posting_fields(posting, fetched.url if len(postings) == 1 else None))
    return page


parse_sitemap = sitemap_step(wants_detail)

STEPS = {
    "start": parse_start,
    "listing": parse_listing,
    "sitemap": parse_sitemap,
    "detail": parse_detail,
}
