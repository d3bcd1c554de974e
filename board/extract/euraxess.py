"""EURAXESS job offers (euraxess.ec.europa.eu/jobs/search), Europe's research-jobs portal.

URL form: https://euraxess.ec.europa.eu/jobs/search[?filters] (filters kept; `search` sent
as keywords, paged by `page` from 0). Offers are /jobs/ID pages; each offer's
"Organisation/Company" is its institution (the portal lists many employers).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4.element import NavigableString, Tag

from board.extract.html import attr, document_complete, inner_html, parse_html, text_of
from board.extract.jobposting import page_postings, posting_fields
from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source

NAME = "euraxess"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS: tuple[str, ...] = ()
URL_FORMS = ("https://euraxess.ec.europa.eu/jobs/search[?filters]",)
_OFFER = re.compile(r"/jobs/(\d+)(?:[/?#]|$)")
_SHOWING = re.compile(r"showing\s+(\d[\d,]*)\s+of\s+(\d[\d,]*)\s+results", re.IGNORECASE)
_KICKER = re.compile(r"^(?:job offer|hosting offer|funding offer|offer)\s*[:\-–]?\s*", re.I)
_META_CLASS = re.compile(r"meta|eyebrow|kicker|label|breadcrumb|subtitle", re.I)
_FIELDS = {
    "organisation/company": "institution",
    "organisation": "institution",
    "country": "country",
    "city": "city",
    "application deadline": "closes",
    "type of contract": "contract",
    "job status": "status",
    "offer starting date": "start",
    "salary": "salary",
}


def check(source: Source) -> None:
    """Every http(s) url is acceptable (filters in its query are kept)."""


def start(source: Source) -> list[NextRequest]:
    """The first search page."""
    return [page_request(source, 0, [])]


def page_request(source: Source, number: int, seen: list[str]) -> NextRequest:
    """Search result page `number`."""
    parts = urlsplit(source.url)
    query = dict(parse_qsl(parts.query))
    if source.search:
        query["keywords"] = source.search
    query["page"] = str(number)
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
    return NextRequest(url, "search", meta={"page": number, "seen": seen}, listing=True)


def parse_search(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Offer requests of one result page; the next page while the page links one."""
    page = Page()
    soup = parse_html(fetched.body)
    if not soup.body:
        return page.fail("truncated_page", fetched.url)
    seen = set(meta.get("seen") or ())
    cards = soup.select("article, .ecl-content-item")
    links = [a for card in cards for a in card.select("a[href]")]
    offers = [a for a in links if _OFFER.search(urljoin(fetched.url, attr(a, "href")))]
    if not offers:
        stray = [a for a in soup.select("a[href]") if _OFFER.search(attr(a, "href"))]
        if stray:
            return page.fail("unknown_listing_shape", f"{fetched.url}: {attr(stray[0], 'href')}")
        if (
            not cards
            and not _SHOWING.search(text_of(soup.body))
            and not soup.select(".ecl-pagination, [class*=search-results], [class*=no-results]")
        ):
            return page.fail("unexpected_listing", fetched.url)
    fresh = 0
    for anchor in offers:
        url = urljoin(fetched.url, attr(anchor, "href")).split("?")[0]
        if url not in seen:
            seen.add(url)
            fresh += 1
            page.detail(NextRequest(url, "offer"))
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    has_next = soup.select_one("a[rel=next], .ecl-pagination__item--next a") is not None
    if fresh and has_next:
        page.follow(page_request(source, int(meta.get("page", 0)) + 1, sorted(seen)))
    else:
        page.end = True
    return page


def offer_title(soup: Tag) -> str:
    """The offer's own heading: the page header's title, never the "Job offer" kicker that
    sits beside it (in its own element or its own <h1>)."""
    headings = [*soup.select(".ecl-page-header__title"), *soup.select("h1")]
    for heading in headings:
        parts: list[str] = []
        for node in heading.children:
            if isinstance(node, NavigableString):
                parts.append(str(node))
            elif isinstance(node, Tag):
                if not _META_CLASS.search(" ".join(node.get("class") or [])):
                    parts.append(node.get_text(" "))
        title = _KICKER.sub("", " ".join(" ".join(parts).split()))
        if title and not _KICKER.fullmatch(title + " "):
            return title
    return ""


def parse_offer(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One offer page: JSON-LD when present, else its heading, facts and sections."""
    page = Page()
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    soup = parse_html(fetched.body)
    offer = _OFFER.search(fetched.url)
    postings = page_postings(fetched.body, fetched.url)
    facts = offer_facts(soup)
    if postings:
        fields = posting_fields(postings[0], fetched.url)
    else:
        sections = soup.select("#offer-description, section[id*=description], .ecl-u-mb-l")
        fields = {
            "title": offer_title(soup),
            "description": "\n".join(inner_html(s) for s in sections) or None,
        }
    place = ", ".join(v for v in (facts.get("city"), facts.get("country")) if v)
    fields["institution"] = fields.get("institution") or facts.get("institution")
    fields["location"] = fields.get("location") or place or None
    fields["closes"] = fields.get("closes") or facts.get("closes")
    fields["salary"] = fields.get("salary") or facts.get("salary")
    fields["employment_type"] = fields.get("employment_type") or ", ".join(
        v for v in (facts.get("contract"), facts.get("status")) if v
    )
    fields["url"] = fetched.url
    fields["source_id"] = offer.group(1) if offer else fetched.url
    page.record(source, **fields)
    return page


def offer_facts(soup: Tag) -> dict[str, str]:
    """The offer's labelled facts (dt/dd pairs), keyed by the names in _FIELDS."""
    facts: dict[str, str] = {}
    for term in soup.select("dt"):
        label = text_of(term).rstrip(":").lower()
        key = _FIELDS.get(label)
        value = term.find_next_sibling("dd")
        text = text_of(value)
        if key and text and key not in facts:
            facts[key] = text
    return facts


STEPS = {"search": parse_search, "offer": parse_offer}
