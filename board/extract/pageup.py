"""PageUp career sites, on pageuppeople.com or on an institution's own domain.

URL forms (the listing url a person copies from the browser):
- https://careers.pageuppeople.com/ID/CHANNEL/LOCALE/listing/ (CHANNEL cw, nr, ...),
- https://jobs.INSTITUTION/LOCALE/listing/ and https://careers.INSTITUTION/cw/LOCALE/listing/
  (own domains; LOCALE en, en-us, en-au, ...),
- https://careers.pageuppeople.com/ID/ with the `site_id` key (read as /ID/cw/en/).
Job pages are BASE/job/JOB_ID/slug. `search` uses BASE/search/?search-keyword=...
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from bs4.element import Tag

from board.extract.html import (
    attr,
    document_complete,
    first_text,
    inner_html,
    job_looking_links,
    parse_html,
    text_of,
)
from board.extract.jobposting import page_postings, posting_fields
from board.extract.page import Fetched, NextRequest, Page
from board.extract.pay import pay_range_line
from board.extract.source import Source, SourceError

NAME = "pageup"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("site_id",)
URL_FORMS = (
    "https://careers.pageuppeople.com/ID/cw/en/listing/",
    "https://jobs.INSTITUTION/en-us/listing/ (own domain)",
    "https://careers.INSTITUTION/cw/en-us/listing/ (own domain)",
)
_BASE = re.compile(
    r"^(?P<base>(?:/\d+)?(?:/[a-z]{2,3})?/[a-z]{2}(?:-[a-z]{2,4})?)"
    r"(?:/(?:listing|search|job|jobs|filter|home)(?:/.*)?)?/?$",
    re.IGNORECASE,
)
_SITE_ONLY = re.compile(r"^/(\d+)/?$")
_JOB = re.compile(r"/job/(\d+)(?:[/?#]|$)")
_LABEL = re.compile(
    r"^(Location|Work type|Contract type|Job no|Salary|Remuneration|Categories)\s*:\s*", re.I
)
_CONTAINERS = (
    "#search-results, #recent-jobs, #search-results-content, #recent-jobs-content, "
    ".list-view, #job-search-results"
)
_TITLE = "#job-content h2, #job h2, #job-details h2, h2#job-title, .job-title, h1"


def site_path(source: Source) -> str:
    """The site's base path: "/513/cw/en", "/en-us", "/cw/en-us" (from the url), or
    /{site_id}/cw/en for a bare pageuppeople.com url with the `site_id` key."""
    path = urlsplit(source.url).path or "/"
    match = _BASE.match(path)
    if match:
        return match.group("base")
    bare = _SITE_ONLY.match(path)
    site = source.get("site_id") or (bare.group(1) if bare else None)
    if site and source.host.endswith("pageuppeople.com") and (bare or path == "/"):
        return f"/{site}/cw/en"
    raise SourceError(
        f"{source.id}: pageup needs the listing url as the browser shows it: "
        "https://careers.pageuppeople.com/ID/cw/en/listing/ or, on the institution's own "
        f"domain, https://HOST/en-us/listing/ (got {source.url!r})"
    )


def check(source: Source) -> None:
    """Refuse an entry whose url names no PageUp site."""
    site_path(source)


def start(source: Source) -> list[NextRequest]:
    """The first listing page (the keyword search when `search` is set)."""
    base = f"{source.origin}{site_path(source)}"
    if source.search:
        url = f"{base}/search/?{urlencode({'search-keyword': source.search})}"
    else:
        url = f"{base}/listing/"
    return [NextRequest(url, "listing", listing=True)]


def parse_listing(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Job links of one listing page, then its "More jobs" link; a whole page without one
    is the end of the listing."""
    page = Page()
    soup = parse_html(fetched.body)
    seen = set(meta.get("seen") or ())
    rows = listing_rows(soup, fetched.url)
    if not rows:
        unread = [u for u in job_looking_links(soup, fetched.url) if not _JOB.search(u)]
        if unread:
            return page.fail("unknown_listing_shape", f"{fetched.url}: {unread[0]}")
        if not soup.select(_CONTAINERS):
            return page.fail("unexpected_listing", fetched.url)
    for url, listed in rows:
        if url in seen:
            continue
        seen.add(url)
        page.detail(NextRequest(url, "detail", meta={"listed": listed}))
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    more = soup.select_one("a.more-link[href], a[title='More Jobs'][href]")
    more_url = urljoin(fetched.url, attr(more, "href")) if more is not None else None
    pages = set(meta.get("pages") or ()) | {fetched.url}
    if more_url and more_url not in pages:
        page.follow(
            NextRequest(
                more_url,
                "listing",
                meta={"seen": sorted(seen), "pages": sorted(pages)},
                listing=True,
            )
        )
    else:
        page.end = True
    return page


def listing_rows(soup: Tag, base_url: str) -> list[tuple[str, dict[str, Any]]]:
    """(job url, what the row says) of each job link of a listing page."""
    rows: list[tuple[str, dict[str, Any]]] = []
    links = soup.select("a.job-link[href]") or [
        a for a in soup.select("a[href]") if _JOB.search(attr(a, "href"))
    ]
    for link in links:
        url = urljoin(base_url, attr(link, "href")).split("#")[0]
        if not _JOB.search(url) or any(url == known for known, _ in rows):
            continue
        row = link.find_parent(["tr", "li", "article"]) or link.find_parent(
            class_=re.compile("list-view--item|job-item|result")
        )
        container = row if row is not None else link.parent
        closes = container.select_one(".close-date time[datetime]") if container else None
        rows.append(
            (
                url,
                {
                    "title": text_of(link),
                    "location": _clean(first_text(container, ".location")) if container else None,
                    "closes": attr(closes, "datetime") or None,
                },
            )
        )
    return rows


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One job page: JSON-LD when the site publishes it, else the job-details markup."""
    page = Page()
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    soup = parse_html(fetched.body)
    listed = dict(meta.get("listed") or {})
    postings = page_postings(fetched.body, fetched.url)
    if postings:
        fields = posting_fields(postings[0], fetched.url)
        fields["institution"] = None
    else:
        details = soup.select_one("#job-details") or soup.select_one("#job-content, .job-content")
        if details is None:
            return page.fail("no_job_details", fetched.url)
        posted = soup.select_one(".open-date time[datetime]")
        closes = soup.select_one(".close-date time[datetime]")
        fields = {
            "title": first_text(soup, _TITLE),
            "location": _clean(first_text(soup, ".location")),
            "description": inner_html(details),
            "posted": attr(posted, "datetime") or _clean(first_text(soup, ".open-date")),
            "closes": attr(closes, "datetime") or _clean(first_text(soup, ".close-date")),
            "employment_type": _clean(first_text(soup, ".work-type")),
            "salary": _clean(first_text(soup, ".salary, .remuneration"))
            or pay_range_line(inner_html(details)),
        }
    for key in ("title", "location", "closes"):
        fields[key] = fields.get(key) or listed.get(key)
    job = _JOB.search(fetched.url)
    fields["url"] = fetched.url
    fields["source_id"] = job.group(1) if job else fetched.url
    page.record(source, **fields)
    return page


def _clean(text: str | None) -> str | None:
    """A field's text without its "Location:"-style label."""
    if not text:
        return None
    return _LABEL.sub("", text).strip() or None


STEPS = {"listing": parse_listing, "detail": parse_detail}
