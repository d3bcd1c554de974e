"""Lever job sites through the public postings API.

URL forms: https://api.lever.co/v0/postings/COMPANY[?mode=json], or any host with `company`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from board.extract.jsonapi import json_body
from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source

NAME = "lever"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("company",)
URL_FORMS = ("https://api.lever.co/v0/postings/COMPANY?mode=json",)
PAGE_SIZE = 100
_COMPANY = re.compile(r"/v0/postings/([^/?#]+)")
_HEADERS = {"Accept": "application/json"}


def company_slug(source: Source) -> str:
    """The Lever site name: the `company` key, else /v0/postings/{company} in the url."""
    return source.key_or_url_part(
        "company", _COMPANY, "a `company` key or a https://api.lever.co/v0/postings/COMPANY url"
    )


def check(source: Source) -> None:
    """Refuse an entry without a company."""
    company_slug(source)


def api_base(source: Source) -> str:
    """{api origin}/v0/postings/{company}."""
    return f"{source.origin}/v0/postings/{company_slug(source)}"


def start(source: Source) -> list[NextRequest]:
    """The first page of postings."""
    return [list_request(source, 0)]


def list_request(source: Source, skip: int) -> NextRequest:
    """One page of postings."""
    url = f"{api_base(source)}?mode=json&skip={skip}&limit={PAGE_SIZE}"
    return NextRequest(url, "listing", headers=_HEADERS, meta={"skip": skip}, listing=True)


def parse_listing(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Records of one page; the next page while pages are full (a short page ends it)."""
    page = Page()
    postings = json_body(fetched, page, expect=list)
    if postings is None:
        return page
    for posting in postings:
        if not isinstance(posting, dict) or not posting.get("id"):
            page.drop("no_id", str(posting)[:200])
        elif posting.get("description") or posting.get("descriptionPlain"):
            page.listed += 1
            page.record(source, **posting_fields(posting))
        else:
            url = f"{api_base(source)}/{posting['id']}"
            page.detail(NextRequest(url, "detail", headers=_HEADERS))
    if len(postings) >= PAGE_SIZE:
        page.follow(list_request(source, int(meta.get("skip", 0)) + PAGE_SIZE))
    else:
        page.end = True
    return page


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One posting from /v0/postings/{company}/{id}."""
    page = Page()
    data = json_body(fetched, page)
    if data is not None:
        page.record(source, **posting_fields(data))
    return page


def posting_fields(posting: dict[str, Any]) -> dict[str, Any]:
    """The raw fields of one Lever posting."""
    categories = posting.get("categories") or {}
    places = categories.get("allLocations") or [categories.get("location")]
    location = "; ".join(p for p in places if p) or None
    if posting.get("workplaceType") == "remote":
        location = f"Remote {location or posting.get('country') or ''}".strip()
    return {
        "title": posting.get("text"),
        "location": location,
        "description": _description(posting),
        "url": posting.get("hostedUrl"),
        "posted": _epoch_ms(posting.get("createdAt")),
        "salary": _salary(posting.get("salaryRange")),
        "employment_type": categories.get("commitment"),
        "source_id": posting.get("id"),
    }


def _description(posting: dict[str, Any]) -> str:
    """The description HTML with its lists ("Responsibilities", ...) and closing text."""
    parts = [posting.get("description") or ""]
    for block in posting.get("lists") or []:
        if isinstance(block, dict):
            parts.append(f"<h3>{block.get('text', '')}</h3><ul>{block.get('content', '')}</ul>")
    parts.append(posting.get("additional") or "")
    return "\n".join(p for p in parts if p)


def _epoch_ms(value: Any) -> str | None:
    """Lever's createdAt (milliseconds since the epoch) as an ISO date."""
    try:
        return dt.datetime.fromtimestamp(int(value) / 1000, tz=dt.UTC).date().isoformat()
    except (TypeError, ValueError, OverflowError):
        return None


def _salary(value: Any) -> dict[str, Any] | None:
    """salaryRange {min, max, currency, interval} as a dict the normalizer reads."""
    if not isinstance(value, dict) or not (value.get("min") or value.get("max")):
        return None
    interval = str(value.get("interval") or "").replace("per-", "").replace("-", " ")
    return {
        "min": value.get("min"),
        "max": value.get("max"),
        "currency": value.get("currency"),
        "period": interval or None,
    }


STEPS = {"listing": parse_listing, "detail": parse_detail}
