"""EURAXESS job offers (euraxess.ec.europa.eu/jobs/search), Europe's research-jobs portal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from spiders.base import PlatformSpider
from spiders.parsing import find_job_postings, jsonld_objects, posting_fields

_OFFER = re.compile(r"/jobs/(\d+)(?:[/?#]|$)")
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


class EuraxessSpider(PlatformSpider):
    """Job offers matching the `search` keywords, paged by `page` (0-based), then each offer.

    The source url is https://euraxess.ec.europa.eu/jobs/search (filters in its query are
    kept). A page without new offers ends the listing. The portal lists many employers:
    each offer's "Organisation/Company" is its institution.
    """

    name = "euraxess"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.offers: set[str] = set()

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The first search page."""
        yield self.page_request(0)

    def page_request(self, page: int) -> scrapy.Request:
        """Search result page `page`."""
        parts = urlsplit(self.source.url)
        query = dict(parse_qsl(parts.query))
        if self.source.search:
            query["keywords"] = self.source.search
        query["page"] = str(page)
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
        return self.request(url, self.parse_search, cb_kwargs={"page": page})

    def parse_search(self, response: Response, page: int = 0) -> Iterator[Any]:
        """Offer requests of one result page; the next page while it shows new offers."""
        if not response.css("body"):
            self.fail_page("truncated_page", response.url)
            return
        fresh = 0
        for href in response.css("article a::attr(href), .ecl-content-item a::attr(href)").getall():
            url = response.urljoin(href).split("?")[0]
            if _OFFER.search(url) and url not in self.offers:
                self.offers.add(url)
                fresh += 1
                yield self.request(url, self.parse_offer)
        if fresh and response.css("a[rel=next], .ecl-pagination__item--next"):
            yield self.page_request(page + 1)
        else:
            self.listing_complete()

    def parse_offer(self, response: Response) -> Iterator[Any]:
        """One offer page: JSON-LD when present, else its definition lists and sections."""
        offer = _OFFER.search(response.url)
        postings = list(find_job_postings(jsonld_objects(response.body, response.url)))
        facts = offer_facts(response)
        if postings:
            fields = posting_fields(postings[0], response.url)
        else:
            title = " ".join("".join(response.css("h1 ::text").getall()).split())
            description = response.css(
                "#offer-description, .ecl-u-mb-l, section[id*=description]"
            ).getall()
            fields = {"title": title, "description": "\n".join(description) or None}
        place = ", ".join(v for v in (facts.get("city"), facts.get("country")) if v)
        fields["institution"] = fields.get("institution") or facts.get("institution")
        fields["location"] = fields.get("location") or place or None
        fields["closes"] = fields.get("closes") or facts.get("closes")
        fields["salary"] = fields.get("salary") or facts.get("salary")
        fields["employment_type"] = fields.get("employment_type") or ", ".join(
            v for v in (facts.get("contract"), facts.get("status")) if v
        )
        fields["url"] = response.url
        fields["source_id"] = offer.group(1) if offer else response.url
        item = self.posting(**fields)
        if item is not None:
            yield item


def offer_facts(response: Response) -> dict[str, str]:
    """The offer's labelled facts (dt/dd pairs), keyed by the names in _FIELDS."""
    facts: dict[str, str] = {}
    for term in response.css("dt"):
        label = " ".join(" ".join(term.css("::text").getall()).split()).rstrip(":").lower()
        key = _FIELDS.get(label)
        value = term.xpath("following-sibling::dd[1]")
        text = " ".join(" ".join(value.css("::text").getall()).split()) if value else ""
        if key and text and key not in facts:
            facts[key] = text
    return facts
