"""jobs.ac.uk: search result pages, then each advert's JSON-LD and details table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from spiders.platforms.jsonld import JsonldSpider

PAGE_SIZE = 25
_REF = re.compile(r"/job/([A-Z0-9]+)/")


class JobsAcUkSpider(JsonldSpider):
    """Adverts found by a jobs.ac.uk search (the `search` keywords), paged by startIndex.

    The source url is https://www.jobs.ac.uk/search/ (any filters in its query are kept).
    A full page of results asks for the next; a shorter page ends the listing.
    """

    name = "jobs_ac_uk"
    default_link_pattern = r"/job/[A-Z0-9]+/"

    def start_url(self) -> str:
        """The search URL with keywords, page size and the first start index."""
        return self.page_url(1)

    def page_url(self, start_index: int) -> str:
        """The search page starting at a (1-based) result index."""
        parts = urlsplit(self.source.url)
        query = dict(parse_qsl(parts.query))
        if self.source.search:
            query["keywords"] = self.source.search
        query.update({"pageSize": str(PAGE_SIZE), "startIndex": str(start_index)})
        return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))

    def parse_start(self, response: Response, start_index: int = 1) -> Iterator[Any]:
        """One search page: advert requests, then the next page while pages are full."""
        cards = response.css(".j-search-result__result")
        if not cards and not response.css("#job-listings, .j-search-content, body"):
            self.fail_page("truncated_page", response.url)
            return
        fresh = 0
        for card in cards:
            href = card.css(".j-search-result__text a::attr(href), a::attr(href)").get()
            if not href or not _REF.search(href):
                self.drop("no_advert_link", card.attrib.get("data-advert-id", "?"))
                continue
            url = response.urljoin(href)
            if url in self.listing_pages:
                continue
            self.listing_pages.add(url)
            fresh += 1
            yield self.request(url, self.parse_detail, cb_kwargs={"card": _card_fields(card)})
        if len(cards) >= PAGE_SIZE and fresh:
            next_index = start_index + PAGE_SIZE
            yield self.request(
                self.page_url(next_index), self.parse_start, cb_kwargs={"start_index": next_index}
            )
        else:
            self.listing_complete()

    def refine(
        self,
        fields: dict[str, Any],
        posting: dict[str, Any],
        response: Response,
        card: dict[str, Any] | None = None,
        **context: Any,
    ) -> dict[str, Any]:
        """Details-table salary and dates, the advert ref as id, the card's employer."""
        table = advert_table(response)
        card = card or {}
        ref = _REF.search(response.url)
        fields["salary"] = table.get("salary") or card.get("salary") or fields.get("salary")
        fields["posted"] = fields.get("posted") or table.get("placed on")
        fields["closes"] = fields.get("closes") or table.get("closes")
        fields["location"] = fields.get("location") or table.get("location") or card.get("location")
        fields["institution"] = fields.get("institution") or card.get("employer")
        contract = ", ".join(v for v in (table.get("hours"), table.get("contract type")) if v)
        fields["employment_type"] = contract or fields.get("employment_type")
        fields["source_id"] = ref.group(1) if ref else fields.get("source_id")
        fields["url"] = response.url
        return fields


def advert_table(response: Response) -> dict[str, str]:
    """The advert's details table: lower-cased header (no colon) → cell text."""
    table: dict[str, str] = {}
    for row in response.css(".j-advert-details__container tr"):
        header = " ".join(row.css("th ::text").getall()).strip().rstrip(":").lower()
        value = " ".join(" ".join(row.css("td ::text").getall()).split())
        if header and value:
            table[header] = value
    return table


def _card_fields(card: Any) -> dict[str, Any]:
    """Employer, location and salary from a search-result card."""
    location = card.xpath(".//div[starts-with(normalize-space(.), 'Location:')]/text()").get()
    salary = " ".join(" ".join(card.css(".j-search-result__info::text").getall()).split())
    return {
        "employer": " ".join(card.css(".j-search-result__employer ::text").getall()).strip()
        or None,
        "location": location.split(":", 1)[1].strip() if location and ":" in location else None,
        "salary": salary or None,
    }
