"""PeopleAdmin applicant portals (https://ORG.peopleadmin.com/postings/search)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from spiders.base import PlatformSpider

_POSTING = re.compile(r"/postings/(\d+)(?:[/?#]|$)")
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


class PeopleadminSpider(PlatformSpider):
    """Postings found by the portal's search (`search` as query), paged by its next link,
    then each /postings/{id} page's label/value table.
    """

    name = "peopleadmin"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seen_pages: set[str] = set()

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The first search page."""
        query = urlencode({"query": self.source.search or "", "commit": "Search"})
        yield self.request(f"{self.source.origin}/postings/search?{query}", self.parse_search)

    def parse_search(self, response: Response) -> Iterator[Any]:
        """Posting requests of one results page, then the next page (will_paginate)."""
        self.seen_pages.add(response.url)
        if not response.css("body"):
            self.fail_page("truncated_page", response.url)
            return
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href).split("?")[0]
            match = _POSTING.search(url)
            if match and url not in self.seen_pages:
                self.seen_pages.add(url)
                yield self.request(url, self.parse_posting)
        next_href = response.css("a.next_page::attr(href), a[rel=next]::attr(href)").get()
        if next_href and response.urljoin(next_href) not in self.seen_pages:
            yield self.request(response.urljoin(next_href), self.parse_search)
        else:
            self.listing_complete()

    def parse_posting(self, response: Response) -> Iterator[Any]:
        """One posting page: its th/td (or dt/dd) pairs mapped to raw fields."""
        fields = posting_table(response)
        if not fields:
            self.drop("no_posting_table", response.url)
            return
        match = _POSTING.search(response.url)
        description = "\n".join(
            v for v in (fields.pop("description", None), fields.pop("duties", None)) if v
        )
        fields.pop("posting_number", None)
        item = self.posting(
            **fields,
            description=description or None,
            url=response.url,
            source_id=match.group(1) if match else response.url,
        )
        if item is not None:
            yield item


def posting_table(response: Response) -> dict[str, str]:
    """Label/value pairs of a posting page, keyed by raw-field name (first label wins)."""
    fields: dict[str, str] = {}
    for row in response.css("tr"):
        label = " ".join(" ".join(row.css("th ::text").getall()).split()).rstrip(":").lower()
        key = _LABELS.get(label)
        if not key or key in fields:
            continue
        if key in ("description", "duties"):
            value = "".join(row.css("td > *").getall()) or " ".join(row.css("td ::text").getall())
        else:
            value = " ".join(" ".join(row.css("td ::text").getall()).split())
        if value.strip():
            fields[key] = value.strip()
    if "title" not in fields:
        title = " ".join(" ".join(response.css("h2.job-title ::text, h1 ::text").getall()).split())
        if title and fields:
            fields["title"] = title
    return fields
