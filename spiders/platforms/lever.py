"""Lever job sites through the public postings API."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from spiders.base import PlatformSpider
from spiders.sources import Source, SourceError

PAGE_SIZE = 100
_COMPANY = re.compile(r"/v0/postings/([^/?#]+)")


def company_slug(source: Source) -> str:
    """The Lever site name: the `company` key, else /v0/postings/{company} in the url."""
    company = source.get("company")
    if not company:
        match = _COMPANY.search(source.url)
        company = match.group(1) if match else ""
    if not company:
        raise SourceError(
            f"{source.id}: lever needs a `company` key or a "
            "https://api.lever.co/v0/postings/COMPANY url"
        )
    return str(company)


class LeverSpider(PlatformSpider):
    """Postings of one Lever site: GET /v0/postings/{company}?mode=json, paged by skip.

    Source keys: `company` (else taken from the url). Postings listed without a
    description are fetched from /v0/postings/{company}/{id}.
    """

    name = "lever"
    optional_keys = ("company",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.company = company_slug(self.source)

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Refuse an entry without a company."""
        super().check_source(source)
        company_slug(source)

    @property
    def api_base(self) -> str:
        """{origin}/v0/postings/{company}."""
        return f"{self.source.origin}/v0/postings/{self.company}"

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The first page of postings."""
        yield self.list_request(0)

    def list_request(self, skip: int) -> scrapy.Request:
        """One page of postings."""
        url = f"{self.api_base}?mode=json&skip={skip}&limit={PAGE_SIZE}"
        return self.json_request(url, self.parse_list, cb_kwargs={"skip": skip})

    def parse_list(self, response: Response, skip: int = 0) -> Iterator[Any]:
        """Items of one page; the next page while pages are full."""
        postings = self.json_body(response, expect=list)
        if postings is None:
            return
        for posting in postings:
            if not isinstance(posting, dict) or not posting.get("id"):
                self.drop("no_id", str(posting)[:200])
            elif posting.get("description") or posting.get("descriptionPlain"):
                yield from self.item_from(posting)
            else:
                url = f"{self.api_base}/{posting['id']}"
                yield self.json_request(url, self.parse_detail)
        if len(postings) >= PAGE_SIZE:
            yield self.list_request(skip + PAGE_SIZE)
        else:
            self.listing_complete()

    def parse_detail(self, response: Response) -> Iterator[Any]:
        """One posting from /v0/postings/{company}/{id}."""
        data = self.json_body(response)
        if data is not None:
            yield from self.item_from(data)

    def item_from(self, posting: dict[str, Any]) -> Iterator[Any]:
        """The raw posting of one Lever posting."""
        categories = posting.get("categories") or {}
        places = categories.get("allLocations") or [categories.get("location")]
        location = "; ".join(p for p in places if p) or None
        if posting.get("workplaceType") == "remote":
            location = f"Remote {location or posting.get('country') or ''}".strip()
        item = self.posting(
            title=posting.get("text"),
            location=location,
            description=_description(posting),
            url=posting.get("hostedUrl"),
            posted=_epoch_ms(posting.get("createdAt")),
            salary=_salary(posting.get("salaryRange")),
            employment_type=categories.get("commitment"),
            source_id=posting.get("id"),
        )
        if item is not None:
            yield item


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
