"""RSS 2.0 and Atom job feeds (another board's feed, or an institution's own)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response, XmlResponse

from spiders.base import PlatformSpider
from spiders.parsing import pay_range_line

_LOCATION = re.compile(r"Location:\s*(?:</strong>|</b>)?\s*([^<\n]+)", re.IGNORECASE)
# "Brisbane, Queensland, Australia. This position is hybrid": the place is the first sentence.
_SENTENCE_END = re.compile(r"(?<=[a-z]{3})\.\s+(?=[A-Z])")


class FeedSpider(PlatformSpider):
    """Every entry of one feed (the feed is its whole listing).

    Source keys: `title_separator` (e.g. " - " when titles read "Title - Org"; the last
    part is then the institution), `location_pattern` (regex with one group, applied to
    the description; default a "Location: ..." line).
    """

    name = "feed"
    optional_keys = ("title_separator", "location_pattern")

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The feed itself."""
        yield self.request(self.source.url, self.parse_feed)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        """Items of an RSS or Atom feed; a body that is not a feed is dropped."""
        if not isinstance(response, XmlResponse):
            response = XmlResponse(url=response.url, body=response.body, request=response.request)
        try:
            response.selector.remove_namespaces()
            root = response.xpath("/*")
        except ValueError:
            root = None
        name = root[0].root.tag if root else ""
        if name not in ("rss", "feed", "RDF"):
            self.fail_page("not_a_feed", response.url)
            return
        entries = response.xpath("//item | //entry")
        for entry in entries:
            item = self.item_from(entry)
            if item is not None:
                yield item
        if not response.body.rstrip().endswith(b">"):
            self.fail_page("truncated_feed", response.url)
            return
        self.listing_complete()

    def item_from(self, entry: Any) -> Any:
        """The raw posting of one <item> or <entry>."""
        title = " ".join((entry.xpath("title/text()").get() or "").split())
        institution = None
        separator = self.source.get("title_separator")
        if separator and separator in title:
            title, institution = (part.strip() for part in title.rsplit(separator, 1))
        description = ""
        for path in ("description", "encoded", "content", "summary"):
            # Escaped HTML is text; some feeds put raw (well-formed) HTML elements inside.
            description = "".join(entry.xpath(f"{path}/node()").getall()).strip()
            if description:
                break
        link = entry.xpath("link/text()").get() or entry.xpath("link/@href").get()
        return self.posting(
            title=title,
            institution=institution,
            location=self.location_of(entry, description),
            description=description.strip(),
            salary=pay_range_line(description),
            url=(link or "").strip() or None,
            posted=entry.xpath("pubDate/text() | published/text() | updated/text()").get(),
            source_id=(entry.xpath("guid/text() | id/text()").get() or link or "").strip(),
        )

    def location_of(self, entry: Any, description: str) -> str | None:
        """RSS <category domain="location"> places (else the description's location line),
        followed by what that line says beyond its first sentence ("This position is hybrid")."""
        places = [
            " ".join(text.split())
            for text in entry.xpath('category[@domain="location"]/text()').getall()
            if text.strip()
        ]
        line = re.compile(self.source.get("location_pattern") or _LOCATION.pattern, re.I)
        found = line.search(description)
        text = found.group(1).strip() if found else None
        if not places:
            return text
        rest = _SENTENCE_END.split(text, maxsplit=1)[1:] if text else []
        return ". ".join([" or ".join(places), *rest])
