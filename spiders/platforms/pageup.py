"""PageUp career sites (careers.pageuppeople.com/{id}/cw/en/listing/), used by most
Australian and New Zealand universities."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response

from spiders.base import PlatformSpider
from spiders.parsing import find_job_postings, jsonld_objects, pay_range_line, posting_fields
from spiders.sources import Source, SourceError

_JOB = re.compile(r"/cw/[a-z-]+/job/(\d+)(?:/|$)")
_LABEL = re.compile(r"^(Location|Work type|Job no|Salary)\s*:\s*", re.IGNORECASE)
_SITE = re.compile(r"^/(\d+)/(\w+)/([a-z-]+)/")


def site_path(source: Source) -> str:
    """ "/{id}/cw/en": the `site_id` key (with cw/en), else the url's first three segments."""
    if source.get("site_id"):
        return f"/{source.get('site_id')}/cw/en"
    match = _SITE.match(urlsplit(source.url).path)
    if not match:
        raise SourceError(
            f"{source.id}: pageup needs a `site_id` key or a "
            "https://careers.pageuppeople.com/ID/cw/en/listing/ url"
        )
    return f"/{match.group(1)}/{match.group(2)}/{match.group(3)}"


class PageupSpider(PlatformSpider):
    """The listing (searched by `search` as keyword) with its "More jobs" pages, then
    each job page /{id}/cw/en/job/{job_id}/{slug}.

    Source keys: `site_id` (else from the url path).
    """

    name = "pageup"
    optional_keys = ("site_id",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site = site_path(self.source)
        self.listing_pages: set[str] = set()

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Refuse an entry without a site id."""
        super().check_source(source)
        site_path(source)

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The first listing page (the keyword search when `search` is set)."""
        path = "search/" if self.source.search else "listing/"
        query = (
            f"?{urlencode({'search-keyword': self.source.search})}" if self.source.search else ""
        )
        yield self.request(f"{self.source.origin}{self.site}/{path}{query}", self.parse_listing)

    def parse_listing(self, response: Response) -> Iterator[Any]:
        """Job links of one listing page, then its "More jobs" link until there is none."""
        self.listing_pages.add(response.url)
        if not response.css("body") or not response.css("#search-results, #recent-jobs, table"):
            self.fail_page("unexpected_listing", response.url)
            return
        for row in response.css("a.job-link, #recent-jobs-content a, #search-results-content a"):
            href = row.attrib.get("href", "")
            url = response.urljoin(href)
            if _JOB.search(url) and url not in self.listing_pages:
                self.listing_pages.add(url)
                yield self.request(url, self.parse_job)
        more = response.css("a.more-link::attr(href)").get()
        if more and response.urljoin(more) not in self.listing_pages:
            yield self.request(response.urljoin(more), self.parse_listing)
        else:
            self.listing_complete()

    def parse_job(self, response: Response) -> Iterator[Any]:
        """One job page: JSON-LD when the site publishes it, else the job-details markup."""
        job_id = _JOB.search(response.url)
        postings = list(find_job_postings(jsonld_objects(response.body, response.url)))
        if postings:
            fields = posting_fields(postings[0], response.url)
        else:
            details = response.css("#job-details, #job-content, .job-content")
            if not details:
                self.drop("no_job_details", response.url)
                return
            fields = {
                "title": _text(response, "#job-details h2::text, h2#job-title::text, h1::text"),
                "location": _text(response, ".location::text"),
                "description": "\n".join(response.css("#job-details, #job-content").getall()),
                "posted": response.css(".open-date time::attr(datetime)").get()
                or _text(response, ".open-date::text"),
                "closes": response.css(".close-date time::attr(datetime)").get()
                or _text(response, ".close-date::text"),
                "employment_type": _text(response, ".work-type::text"),
                "salary": _text(response, ".salary::text, .remuneration::text")
                or pay_range_line("\n".join(details.getall())),
            }
        fields["url"] = response.url
        fields["source_id"] = job_id.group(1) if job_id else response.url
        fields["institution"] = None
        item = self.posting(**fields)
        if item is not None:
            yield item


def _text(response: Response, css: str) -> str | None:
    """The first non-blank text a selector finds, whitespace collapsed."""
    for text in response.css(css).getall():
        text = _LABEL.sub("", " ".join(text.split()))
        if text:
            return text
    return None
