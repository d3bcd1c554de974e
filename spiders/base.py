"""The one base spider: Scrapy requests, politeness and completeness around the platform's
pure extraction functions (board.extract).

A spider class is a name (the platform key of sources.toml); the platform module says
what to request and reads every answer. Completeness comes only from the platform's own
end-of-listing signal: the run is complete when an end signal was seen, every listing
request was answered, and no page failed. A listing page that neither continues the
listing nor carries the end signal is a failure ("no_end_signal").
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip, gzip_magic_number
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from board.extract import Fetched, NextRequest, Page, Source, platform, source_from_mapping
from board.extract.sitemaps import looks_like_sitemap
from spiders.items import RawPosting
from spiders.middlewares import REPEATABLE_KEY

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed
_SOURCE_ARGS = ("id", "institution", "platform", "url", "search")


class PlatformSpider(scrapy.Spider):
    """Base for one hiring platform; a source entry (or `-a` arguments) says which site."""

    def __init__(self, source: Source | None = None, **kwargs: Any) -> None:
        if source is None:
            source = self.source_from_arguments(kwargs)
        super().__init__(**{k: v for k, v in kwargs.items() if k not in self._source_args()})
        self.source = source
        self.platform = platform(self.name)
        self.end_seen = False
        self.pending_listing = 0
        self.failed_pages = 0
        self.seen_ids: set[str] = set()
        #: `rcjobs sources --check`: read the first listing page only and report on it.
        self.check_only = bool(kwargs.get("check_only"))
        self.report: dict[str, Any] = {"problems": []}

    @classmethod
    def _source_args(cls) -> set[str]:
        return {*_SOURCE_ARGS, *platform(cls.name).keys, "check_only"}

    @classmethod
    def source_from_arguments(cls, kwargs: dict[str, Any]) -> Source:
        """A source built from `scrapy crawl NAME -a url=... -a institution=...`."""
        entry = {k: v for k, v in kwargs.items() if k in cls._source_args() and k != "check_only"}
        entry.setdefault("platform", cls.name)
        entry.setdefault("id", f"{cls.name}-adhoc")
        if not entry.get("institution"):
            entry["institution"] = "Unknown institution"
        return source_from_mapping(entry, where=f"{cls.name} arguments")

    # -- listing bookkeeping -------------------------------------------------------------

    @property
    def listing_walked(self) -> bool:
        """The platform's end signal was seen and every listing request was answered."""
        return self.end_seen and self.pending_listing == 0

    @property
    def complete(self) -> bool:
        """True when the whole listing was walked and no page failed on the way."""
        return self.listing_walked and self.failed_pages == 0

    def drop(self, reason: str, detail: str = "") -> None:
        """Count and log an item or page skipped for a data-quality reason."""
        self.crawler.stats.inc_value(f"rcjobs/dropped/{reason}")
        self.logger.warning("skipped (%s) %s", reason, detail)

    def fail_page(self, reason: str, detail: str = "") -> None:
        """A page that could not be read: counted like a drop, and the run stays incomplete."""
        self.failed_pages += 1
        self.crawler.stats.inc_value(f"rcjobs/failed/{reason}")
        self.drop(reason, detail)

    def closed(self, reason: str) -> None:
        """Put the listing's outcome in the crawl stats (read by operators and the store)."""
        stats = self.crawler.stats
        stats.set_value("rcjobs/listing_walked", int(self.listing_walked))
        stats.set_value("rcjobs/failed_pages", self.failed_pages)
        stats.set_value("rcjobs/complete", int(self.complete))

    def on_error(self, failure: Failure) -> None:
        """Errback for every request: a failed download marks the run incomplete."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        if request is not None and request.cb_kwargs.get("listing"):
            self.pending_listing -= 1
        robots = failure.check(IgnoreRequest) and not failure.check(HttpError)
        reason = "robots_disallowed" if robots else "request_failed"
        if failure.check(HttpError):
            self.report["status"] = failure.value.response.status
        self.report["problems"].append(reason)
        self.fail_page(reason, f"{url}: {failure.getErrorMessage()}")

    # -- requests --------------------------------------------------------------------------

    def make_request(self, wanted: NextRequest) -> scrapy.Request:
        """The Scrapy request of one NextRequest, read back by `parse_step`."""
        if wanted.listing:
            self.pending_listing += 1
        kwargs: dict[str, Any] = {
            "callback": self.parse_step,
            "errback": self.on_error,
            "headers": dict(wanted.headers),
            "cb_kwargs": {"step": wanted.step, "meta": wanted.meta, "listing": wanted.listing},
            # Listing pages are never dropped as duplicates: an unanswered one keeps the run
            # incomplete, and the platform modules stop their own loops.
            "dont_filter": wanted.listing,
        }
        # Every request a spider makes reads a page or queries a listing: sending it twice
        # changes nothing on the site (ResendUnansweredMiddleware may, once).
        kwargs["meta"] = {REPEATABLE_KEY: True}
        if wanted.accept_status:
            kwargs["meta"]["handle_httpstatus_list"] = list(wanted.accept_status)
        if wanted.json is not None:
            return scrapy.http.JsonRequest(wanted.url, data=wanted.json, **kwargs)
        if wanted.form is not None:
            return scrapy.FormRequest(wanted.url, formdata=wanted.form, **kwargs)
        return scrapy.Request(wanted.url, method=wanted.method, **kwargs)

    async def start(self) -> Any:
        """Scrapy >= 2.13 entry point: the platform's first requests."""
        for request in self.start_requests():
            yield request

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The platform's first requests for this source."""
        for wanted in self.platform.start(self.source):
            yield self.make_request(wanted)

    # -- responses -------------------------------------------------------------------------

    def fetched(self, response: Response) -> Fetched:
        """The response as extraction reads it; sitemaps (gzipped too) parsed by Scrapy."""
        body = response.body
        if gzip_magic_number(response):
            # Not gzip after all, or too large: read as it came.
            with contextlib.suppress(OSError, ValueError):
                body = gunzip(body, max_size=MAX_SITEMAP_BYTES)
        sitemap = None
        if looks_like_sitemap(body):
            parsed = Sitemap(body)
            sitemap = (str(parsed.type), [dict(entry) for entry in parsed])
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        return Fetched(response.url, body, response.status, content_type, sitemap)

    def parse_step(
        self, response: Response, step: str, meta: dict[str, Any], listing: bool = False
    ) -> Iterator[Any]:
        """Read one response with the platform's extraction; yield items and requests."""
        if listing:
            self.pending_listing -= 1
            self.report["status"] = response.status
        page = self.platform.parse(step, self.fetched(response), self.source, meta)
        yield from self.outcome(page, listing, response.url)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        """A response without a step (Scrapy's default callback, `scrapy parse URL`): read
        as the first page of the listing."""
        first = self.platform.start(self.source)[0]
        self.pending_listing += 1
        yield from self.parse_step(response, first.step, first.meta, listing=True)

    def outcome(self, page: Page, listing: bool, url: str) -> Iterator[Any]:
        """Count a page's problems, yield its records and follow its requests."""
        for problem in page.problems:
            if problem.fails:
                self.fail_page(problem.reason, problem.detail)
            else:
                self.drop(problem.reason, problem.detail)
        continues = any(r.listing for r in page.requests)
        if listing and not page.end and not continues and not page.failed:
            self.fail_page("no_end_signal", f"{url}: the page neither ends nor continues")
        if page.end:
            self.end_seen = True
        if self.check_only and listing:
            yield from self.check_outcome(page, continues)
            return
        for record in page.records:
            item = self.posting(record)
            if item is not None:
                yield item
        for wanted in page.requests:
            yield self.make_request(wanted)

    def check_outcome(self, page: Page, continues: bool) -> Iterator[Any]:
        """Record what a listing page showed; go on only past pages that list nothing yet
        (a session page before the first page of results)."""
        report = self.report
        report["problems"].extend(p.reason for p in page.problems if p.fails)
        report["recognised"] = not page.failed
        report["postings"] = report.get("postings", 0) + page.listed
        report["end"] = page.end
        report["more"] = continues
        hops = report.setdefault("hops", 0)
        if not page.failed and not page.end and not page.listed and continues and hops < 3:
            report["hops"] = hops + 1
            for wanted in page.requests:
                if wanted.listing:
                    yield self.make_request(wanted)

    def posting(self, record: dict[str, Any]) -> RawPosting | None:
        """The item of one record, unless this run already yielded its id."""
        key = str(record.get("source_id") or record.get("url") or "")
        if key in self.seen_ids:
            self.drop("duplicate_id", key)
            return None
        self.seen_ids.add(key)
        return RawPosting(**record)
