"""iCIMS career portals: the search listing (or sitemap), then JSON-LD detail pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from spiders.platforms.jsonld import JsonldSpider

_JOB = re.compile(r"/jobs/(\d+)/[^/?#]*/job")


class IcimsSpider(JsonldSpider):
    """Jobs of one iCIMS portal (https://careers-ORG.icims.com/jobs/search or /sitemap.xml).

    A search url is paged with `pr` (0-based) and the `search` keywords as
    `searchKeyword`, inside the portal's iframe view; a page without new job links ends
    the listing. A sitemap url is walked like any sitemap.
    """

    name = "icims"
    default_link_pattern = _JOB.pattern

    def start_url(self) -> str:
        """The sitemap as given, or the first search page."""
        if urlsplit(self.source.url).path.endswith(".xml"):
            return self.source.url
        return self.page_url(0)

    def page_url(self, page: int) -> str:
        """Search page `page` (0-based) in the iframe view, with the keywords."""
        parts = urlsplit(self.source.url)
        path = parts.path if parts.path.rstrip("/").endswith("/search") else "/jobs/search"
        query = dict(parse_qsl(parts.query))
        query.update({"ss": "1", "in_iframe": "1", "pr": str(page)})
        if self.source.search:
            query["searchKeyword"] = self.source.search
        return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))

    def parse_start(self, response: Response, page: int = 0) -> Iterator[Any]:
        """A sitemap, or one search page and the next while it shows new jobs."""
        if page == 0 and response.body.lstrip()[:200].lower().find(b"<urlset") >= 0:
            yield from super().parse_start(response)
            return
        if not response.css("body"):
            self.fail_page("truncated_page", response.url)
            return
        fresh = 0
        for href in response.css("a::attr(href)").getall():
            url = response.urljoin(href).split("?")[0]
            if _JOB.search(url) and url not in self.listing_pages:
                self.listing_pages.add(url)
                fresh += 1
                yield self.request(url, self.parse_detail)
        if fresh:
            yield self.request(
                self.page_url(page + 1), self.parse_start, cb_kwargs={"page": page + 1}
            )
        else:
            self.listing_complete()

    def refine(
        self, fields: dict[str, Any], posting: dict[str, Any], response: Response, **context: Any
    ) -> dict[str, Any]:
        """The iCIMS job number is the posting's id."""
        match = _JOB.search(response.url) or _JOB.search(str(fields.get("url") or ""))
        if match:
            fields["source_id"] = match.group(1)
        return fields
