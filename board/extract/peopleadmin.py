"""PeopleAdmin applicant portals (https://ORG.peopleadmin.com/postings/search).

URL forms: https://ORG.peopleadmin.com/postings/search, or an institution's own domain
serving PeopleAdmin 7 (https://jobs.INSTITUTION/postings/search). `search` is sent as query.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urljoin

from bs4.element import Tag

from board.extract.html import attr, document_complete, parse_html, text_of
from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source

NAME = "peopleadmin"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS: tuple[str, ...] = ()
URL_FORMS = (
    "https://ORG.peopleadmin.com/postings/search",
    "https://jobs.INSTITUTION/postings/search (own domain)",
)
_POSTING = re.compile(r"/postings/(\d+)(?:[/?#]|$)")
_DISPLAYING = re.compile(r"displaying\s+(?:\w+\s+)?(\d+)\s*-\s*(\d+)\s+of\s+(\d+)", re.I)
_LABELS = {
    "working title": "title",
    "position title": "title",
    "posting title": "title",
    "job title": "title",
    "location": "location",
    "campus location": "location",
    "work location": "location",
    "posting detail information job description": "description",
    "job description": "description",
    "position summary": "description",
    "summary": "description",
    "duties and responsibilities": "duties",
    "salary": "salary",
    "salary range": "salary",
    "pay range": "salary",
    "hiring range": "salary",
    "open date": "posted",
    "posting date": "posted",
    "close date": "closes",
    "closing date": "closes",
    "application deadline": "closes",
    "full-time/part-time": "employment_type",
    "full time or part time": "employment_type",
    "employment type": "employment_type",
    "posting number": "posting_number",
}


def check(source: Source) -> None:
    """Every http(s) url is acceptable: the portal's search page is on its origin."""


def start(source: Source) -> list[NextRequest]:
    """The first search page."""
    query = urlencode({"query": source.search or "", "commit": "Search"})
    return [NextRequest(f"{source.origin}/postings/search?{query}", "search", listing=True)]


def parse_search(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Posting requests of one results page, then the next page (will_paginate)."""
    page = Page()
    soup = parse_html(fetched.body)
    if not soup.body:
        return page.fail("truncated_page", fetched.url)
    seen = set(meta.get("seen") or ()) | {fetched.url}
    for anchor in soup.select("a[href]"):
        url = urljoin(fetched.url, attr(anchor, "href")).split("?")[0]
        if _POSTING.search(url) and url not in seen:
            seen.add(url)
            page.detail(NextRequest(url, "posting"))
    if not page.listed and not soup.select(
        "#search_results, .job-item, #no_results, .no-results, .pagination"
    ):
        return page.fail("unexpected_listing", fetched.url)
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    shown = _DISPLAYING.search(text_of(soup.body))
    next_href = attr(soup.select_one("a.next_page[href], a[rel=next][href]"), "href")
    next_url = urljoin(fetched.url, next_href) if next_href else None
    if shown and int(shown.group(2)) >= int(shown.group(3)):
        page.end = True  # "Displaying postings 21 - 25 of 25 in total"
    elif next_url and next_url not in seen:
        page.follow(NextRequest(next_url, "search", meta={"seen": sorted(seen)}, listing=True))
    else:
        page.end = True
    return page


def parse_posting(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One posting page: its th/td (or dt/dd) pairs mapped to raw fields."""
    page = Page()
    soup = parse_html(fetched.body)
    fields = posting_table(soup)
    if not fields:
        return page.fail("no_posting_table", fetched.url)
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    match = _POSTING.search(fetched.url)
    description = "\n".join(
        v for v in (fields.pop("description", None), fields.pop("duties", None)) if v
    )
    fields.pop("posting_number", None)
    page.record(
        source,
        **fields,
        description=description or None,
        url=fetched.url,
        source_id=match.group(1) if match else fetched.url,
    )
    return page


def posting_table(soup: Tag) -> dict[str, str]:
    """Label/value pairs of a posting page, keyed by raw-field name (first label wins)."""
    fields: dict[str, str] = {}
    pairs = [(row.find("th"), row.find("td")) for row in soup.select("tr")]
    pairs += [(term, term.find_next_sibling("dd")) for term in soup.select("dt")]
    for label_element, value_element in pairs:
        label = text_of(label_element).rstrip(":").lower()
        key = _LABELS.get(label)
        if not key or key in fields or value_element is None:
            continue
        if key in ("description", "duties"):
            blocks = [str(child) for child in value_element.find_all(recursive=False)]
            value = "".join(blocks) or text_of(value_element)
        else:
            value = text_of(value_element)
        if value.strip():
            fields[key] = value.strip()
    if "title" not in fields:
        title = text_of(soup.select_one("h2.job-title") or soup.select_one("h1"))
        if title and fields:
            fields["title"] = title
    return fields


STEPS = {"search": parse_search, "posting": parse_posting}
