"""iCIMS career portals: the search listing (or the portal's sitemap), then JSON-LD details.

URL forms: https://careers-ORG.icims.com/jobs/search[?...] (paged with `pr` inside the
portal's iframe view; `search` sent as searchKeyword), https://careers-ORG.icims.com/
sitemap.xml, or an institution's own domain serving the same paths.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from board.extract import jsonld
from board.extract.html import attr, document_complete, job_looking_links, parse_html, text_of
from board.extract.page import Fetched, NextRequest, Page
from board.extract.sitemaps import sitemap_step
from board.extract.source import Source

NAME = "icims"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("sitemap_follow",)
URL_FORMS = (
    "https://careers-ORG.icims.com/jobs/search",
    "https://careers-ORG.icims.com/sitemap.xml",
)
_JOB = re.compile(r"/jobs/(\d+)/[^/?#]*/job")
_PAGE_OF = re.compile(r"\bpage\s+(\d+)\s+of\s+(\d+)\b", re.IGNORECASE)


def check(source: Source) -> None:
    """Every http(s) url is acceptable: a search page or a sitemap."""


def page_url(source: Source, page: int) -> str:
    """Search page `page` (0-based) in the iframe view, with the keywords."""
    parts = urlsplit(source.url)
    path = parts.path if parts.path.rstrip("/").endswith("/search") else "/jobs/search"
    query = dict(parse_qsl(parts.query))
    query.update({"ss": "1", "in_iframe": "1", "pr": str(page)})
    if source.search:
        query["searchKeyword"] = source.search
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def start(source: Source) -> list[NextRequest]:
    """The sitemap as given, or the first search page."""
    if urlsplit(source.url).path.endswith((".xml", ".xml.gz")):
        return [NextRequest(source.url, "sitemap", listing=True)]
    return [NextRequest(page_url(source, 0), "listing", meta={"page": 0}, listing=True)]


def wants_detail(source: Source, url: str) -> bool:
    """An iCIMS job page (/jobs/ID/slug/job), not /jobs/intro and the like."""
    return bool(_JOB.search(url))


def parse_listing(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One search page, then the next, until "Page N of N" or a page with no new jobs."""
    page = Page()
    if fetched.sitemap is not None:
        return parse_sitemap(fetched, source, meta)
    soup = parse_html(fetched.body)
    if not soup.body:
        return page.fail("truncated_page", fetched.url)
    if not soup.select('[class*="iCIMS_"], [id*="iCIMS_"]'):
        return page.fail("unexpected_listing", f"{fetched.url}: not an iCIMS search page")
    number = int(meta.get("page", 0))
    seen = set(meta.get("seen") or ())
    fresh = 0
    for anchor in soup.select("a[href]"):
        url = urljoin(fetched.url, attr(anchor, "href")).split("?")[0]
        match = _JOB.search(url)
        if match and url not in seen:
            seen.add(url)
            fresh += 1
            page.detail(NextRequest(url, "detail"))
    if not fresh and not seen:
        unread = [u for u in job_looking_links(soup, fetched.url) if not _JOB.search(u)]
        if unread:
            return page.fail("unknown_listing_shape", f"{fetched.url}: {unread[0]}")
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    paging = _PAGE_OF.search(text_of(soup.body))
    last = paging is not None and int(paging.group(1)) >= int(paging.group(2))
    if fresh and not last:
        page.follow(
            NextRequest(
                page_url(source, number + 1),
                "listing",
                meta={"page": number + 1, "seen": sorted(seen)},
                listing=True,
            )
        )
    else:
        page.end = True  # the last page says so, or the next page showed no new job
    return page


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """A JSON-LD detail page; the iCIMS job number is the posting's id."""
    page = jsonld.parse_detail(fetched, source, meta)
    for record in page.records:
        match = _JOB.search(fetched.url) or _JOB.search(str(record.get("url") or ""))
        if match:
            record["source_id"] = match.group(1)
    return page


parse_sitemap = sitemap_step(wants_detail)

STEPS = {"listing": parse_listing, "sitemap": parse_sitemap, "detail": parse_detail}
