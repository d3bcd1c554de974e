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

from board.extract.html import (
    attr,
    document_complete,
    inner_html,
    job_looking_links,
    parse_html,
    text_of,
)
from board.extract.jobposting import page_postings, posting_fields
from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source

NAME = "euraxess"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS: tuple[str, ...] = ()
URL_FORMS = ("https://euraxess.ec.europa.eu/jobs/search[?filters]",)
_OFFER = re.compile(r"/jobs/(\d+)(?:[/?#]|$)")
_FACET = re.compile(r"^f\[\d+\]$")
_OFFER_COUNT = re.compile(r"^number of offers:\s*\d+\s*,?\s*", re.IGNORECASE)
_SHOWING = re.compile(r"showing\s+(\d[\d,]*)\s+of\s+(\d[\d,]*)\s+results", re.IGNORECASE)
_KICKER = re.compile(r"^(?:job offer|hosting offer|funding offer|offer)\s*[:\-–]?\s*", re.I)
_SITE_SUFFIX = re.compile(r"\s*[|\-–]\s*EURAXESS\s*$", re.IGNORECASE)
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
    """Search result page `number`: the keywords both as `keywords` and as the portal's
    own `f[N]=keywords:...` facet (the form its search deep links use)."""
    parts = urlsplit(source.url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query) if k != "page"]
    if source.search:
        facets = [k for k, _ in pairs if _FACET.match(k)]
        pairs.append(("keywords", source.search))
        pairs.append((f"f[{len(facets)}]", f"keywords:{source.search}"))
    pairs.append(("page", str(number)))
    url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs), ""))
    return NextRequest(url, "search", meta={"page": number, "seen": seen}, listing=True)


def parse_search(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Offer requests of one result page; the next page while the page links one."""
    page = Page()
    soup = parse_html(fetched.body)
    if not soup.body:
        return page.fail("truncated_page", fetched.url)
    for chrome in soup.select("header, footer, nav:not(.ecl-pagination)"):
        chrome.decompose()
    number = int(meta.get("page", 0))
    seen = set(meta.get("seen") or ())
    offers = [a for a in soup.select("a[href]") if _OFFER.search(attr(a, "href"))]
    if not offers:
        unread = [u for u in job_looking_links(soup, fetched.url) if "/jobs/" in u]
        if unread:
            return page.fail("unknown_listing_shape", f"{fetched.url}: {unread[0]}")
        if not soup.select('[class*="ecl-"]'):
            return page.fail("unexpected_listing", fetched.url)
    fresh = 0
    for anchor in offers:
        url = urljoin(fetched.url, attr(anchor, "href")).split("?")[0].split("#")[0]
        if url in seen or not text_of(anchor):
            continue
        seen.add(url)
        fresh += 1
        page.detail(NextRequest(url, "offer", meta={"listed": card_fields(anchor)}))
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    has_next = (
        soup.select_one("a[rel=next], .ecl-pagination__item--next a") is not None
        or soup.select_one(f'a[href*="page={number + 1}"]') is not None
    )
    if fresh and has_next:
        page.follow(page_request(source, number + 1, sorted(seen)))
    else:
        page.end = True
    return page


def card_fields(anchor: Tag) -> dict[str, Any]:
    """What a search result card says of its offer (title, organisation, place, dates)."""
    card = anchor.find_parent(["article", "li"]) or anchor.parent or anchor
    meta = [text_of(m) for m in card.select(".ecl-content-block__primary-meta-item")]
    posted = next(
        (m.split(":", 1)[1].strip() for m in meta if m.lower().startswith("posted")), None
    )
    organisation = next((m for m in meta if m and not m.lower().startswith("posted")), None)
    deadline = card.select_one(".id-Application-Deadline time[datetime]")
    return {
        "title": text_of(anchor) or None,
        "institution": organisation,
        "posted": posted,
        "location": _work_locations(card),
        "closes": attr(deadline, "datetime") or _meta_value(card, "id-Application-Deadline"),
    }


def _meta_value(root: Tag, name: str) -> str | None:
    """The value of an ECL labelled block (`.id-Work-Locations .ecl-text-standard`)."""
    block = root.select_one(f".{name}")
    if block is None:
        return None
    value = block.select_one(".ecl-text-standard") or block
    children = value.find_all("div", recursive=False) if value is block else []
    return text_of(children[-1] if len(children) > 1 else value) or None


def _work_locations(root: Tag) -> str | None:
    """ "Number of offers: 1, Spain, INSTITUTE, CITY" without its count."""
    text = _meta_value(root, "id-Work-Locations")
    return _OFFER_COUNT.sub("", text).strip() or None if text else None


def offer_title(soup: Tag) -> str:
    """The offer's own heading: the page header's title, never the "Job offer" kicker that
    sits beside it (in its own element or its own <h1>)."""
    headings = [*soup.select(".ecl-page-header__title"), *soup.select("h1")]
    for heading in headings:
        parts: list[str] = []
        for node in heading.children:
            if isinstance(node, NavigableString):
                parts.append(str(node))
            elif isinstance(node, Tag) and not _META_CLASS.search(
                " ".join(node.get("class") or [])
            ):
                parts.append(node.get_text(" "))
        title = _KICKER.sub("", " ".join(" ".join(parts).split()))
        if title and not _KICKER.fullmatch(title + " "):
            return title
    social = attr(soup.select_one('meta[property="og:title"]'), "content")
    page_title = text_of(soup.find("title"))
    for text in (social, page_title):
        title = _KICKER.sub("", _SITE_SUFFIX.sub("", " ".join(text.split())))
        if title:
            return title
    return ""


def parse_offer(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One offer page: JSON-LD when present, else its heading, facts and description; what
    the search card said fills the gaps."""
    page = Page()
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    soup = parse_html(fetched.body)
    offer = _OFFER.search(fetched.url)
    listed = dict(meta.get("listed") or {})
    postings = page_postings(fetched.body, fetched.url)
    facts = offer_facts(soup)
    if postings:
        fields = posting_fields(postings[0], fetched.url)
    else:
        fields = {"title": offer_title(soup), "description": offer_description(soup)}
    place = ", ".join(v for v in (facts.get("city"), facts.get("country")) if v)
    fields["institution"] = (
        fields.get("institution")
        or facts.get("institution")
        or text_of(soup.select_one(".organisation-name"))
        or listed.get("institution")
    )
    fields["location"] = (
        fields.get("location") or place or _work_locations(soup) or listed.get("location")
    )
    fields["closes"] = fields.get("closes") or facts.get("closes") or listed.get("closes")
    fields["posted"] = fields.get("posted") or listed.get("posted")
    fields["salary"] = fields.get("salary") or facts.get("salary")
    fields["employment_type"] = fields.get("employment_type") or ", ".join(
        v for v in (facts.get("contract"), facts.get("status")) if v
    )
    fields["title"] = fields.get("title") or listed.get("title")
    fields["url"] = fetched.url
    fields["source_id"] = offer.group(1) if offer else fetched.url
    page.record(source, **fields)
    return page


def offer_description(soup: Tag) -> str | None:
    """The offer's description: its "Offer Description" section (the heading's following
    blocks up to the next heading of its level), else the description blocks it marks."""
    heading = soup.find(id="offer-description")
    if heading is None:
        heading = next(
            (h for h in soup.find_all(["h2", "h3"]) if text_of(h).lower() == "offer description"),
            None,
        )
    if heading is not None and heading.name in ("h2", "h3"):
        blocks = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h1", "h2") or (heading.name == "h3" and sibling.name == "h3"):
                break
            blocks.append(str(sibling))
        return "\n".join(blocks).strip() or None
    if heading is not None:
        return inner_html(heading) or None
    sections = soup.select("section[id*=description], .ecl-u-mb-l")
    return "\n".join(inner_html(s) for s in sections) or None


def offer_facts(soup: Tag) -> dict[str, str]:
    """The offer's labelled facts (dt/dd pairs), keyed by the names in _FIELDS."""
    facts: dict[str, str] = {}
    for term in soup.select("dt"):
        label = text_of(term).rstrip(":").lower()
        key = _FIELDS.get(label)
        value = term.find_next_sibling("dd")
        when = value.select_one("time[datetime]") if value is not None else None
        text = attr(when, "datetime") or text_of(value)  # the exact timestamp when given
        if key and text and key not in facts:
            facts[key] = text
    return facts


STEPS = {"search": parse_search, "offer": parse_offer}
