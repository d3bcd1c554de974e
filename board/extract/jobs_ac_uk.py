"""jobs.ac.uk: search result pages, then each advert's JSON-LD and details table.

URL form: https://www.jobs.ac.uk/search/[?filters] (filters kept; `search` sent as
keywords, paged by startIndex).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4.element import Tag

from board.extract import jsonld
from board.extract.html import attr, document_complete, parse_html, text_of
from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source

NAME = "jobs_ac_uk"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS: tuple[str, ...] = ()
URL_FORMS = ("https://www.jobs.ac.uk/search/[?filters]",)
PAGE_SIZE = 25
_REF = re.compile(r"/job/([A-Z0-9]+)/")


def check(source: Source) -> None:
    """Every http(s) url is acceptable (filters in its query are kept)."""


def page_url(source: Source, start_index: int) -> str:
    """The search page starting at a (1-based) result index."""
    parts = urlsplit(source.url)
    query = dict(parse_qsl(parts.query))
    if source.search:
        query["keywords"] = source.search
    query.update({"pageSize": str(PAGE_SIZE), "startIndex": str(start_index)})
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def start(source: Source) -> list[NextRequest]:
    """The first search page."""
    return [listing_request(source, 1)]


def listing_request(source: Source, start_index: int) -> NextRequest:
    """The search page from `start_index`."""
    return NextRequest(
        page_url(source, start_index), "listing", meta={"start": start_index}, listing=True
    )


def parse_listing(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Advert requests of one page; a full page asks for the next, a shorter one ends it."""
    page = Page()
    soup = parse_html(fetched.body)
    cards = soup.select(".j-search-result__result")
    if not cards and not soup.select("#job-listings, .j-search-content"):
        if soup.select('a[href*="/job/"]'):
            return page.fail("unknown_listing_shape", fetched.url)
        return page.fail("unexpected_listing", fetched.url)
    for card in cards:
        link = card.select_one(".j-search-result__text a[href]") or card.select_one("a[href]")
        href = attr(link, "href")
        if not href or not _REF.search(href):
            page.drop("no_advert_link", attr(card, "data-advert-id") or "?")
            continue
        page.detail(
            NextRequest(urljoin(fetched.url, href), "detail", meta={"card": card_fields(card)})
        )
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    if len(cards) >= PAGE_SIZE and page.listed:
        page.follow(listing_request(source, int(meta.get("start", 1)) + PAGE_SIZE))
    else:
        page.end = True
    return page


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """An advert: its JSON-LD, with the details table's salary and dates, the ref as id."""
    page = jsonld.parse_detail(fetched, source, meta)
    table = advert_table(parse_html(fetched.body)) if page.records else {}
    card = meta.get("card") or {}
    ref = _REF.search(fetched.url)
    for fields in page.records:
        fields["salary"] = table.get("salary") or card.get("salary") or fields.get("salary")
        fields["posted"] = fields.get("posted") or table.get("placed on")
        fields["closes"] = fields.get("closes") or table.get("closes")
        fields["location"] = fields.get("location") or table.get("location") or card.get("location")
        if fields.get("institution") in (None, "", source.institution) and card.get("employer"):
            fields["institution"] = card["employer"]
        contract = ", ".join(v for v in (table.get("hours"), table.get("contract type")) if v)
        fields["employment_type"] = contract or fields.get("employment_type")
        if ref:
            fields["source_id"] = ref.group(1)
        fields["url"] = fetched.url
        for key in [k for k, v in fields.items() if v in (None, "")]:
            del fields[key]
    return page


def advert_table(soup: Tag) -> dict[str, str]:
    """The advert's details table: lower-cased header (no colon) → cell text."""
    table: dict[str, str] = {}
    for row in soup.select(".j-advert-details__container tr"):
        header = text_of(row.find("th")).rstrip(":").lower()
        value = text_of(row.find("td"))
        if header and value:
            table[header] = value
    return table


def card_fields(card: Tag) -> dict[str, Any]:
    """Employer, location and salary from a search-result card."""
    location = None
    for div in card.find_all("div"):
        text = text_of(div)
        if text.startswith("Location:") and not div.find("div"):
            location = text.split(":", 1)[1].strip() or None
            break
    info = card.select_one(".j-search-result__info")
    return {
        "employer": text_of(card.select_one(".j-search-result__employer")) or None,
        "location": location,
        "salary": re.sub(r"^Salary:\s*", "", text_of(info)) or None,
    }


STEPS = {"listing": parse_listing, "detail": parse_detail}
