"""What every platform spider shares: its source, polite defaults and the listing bookkeeping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from spiders.items import RawPosting
from spiders.parsing import loads_lenient
from spiders.sources import Source, SourceError


class PlatformSpider(scrapy.Spider):
    """Base for one hiring platform; a source entry (or `-a` arguments) says which site.

    Subclasses set `name` (the platform key used in sources.toml), implement
    `start_requests`, yield `RawPosting` items and call `self.listing_complete()` once they
    have walked the source's whole listing: only then may the crawl close postings that
    were not seen. A page that fails (`fail_page`, or a request error through `on_error`)
    keeps the run incomplete whatever the listing said.
    """

    #: sources.toml keys this platform needs beyond id/institution/platform/url.
    required_keys: tuple[str, ...] = ()
    #: sources.toml keys this platform understands (documentation and `-a` arguments).
    optional_keys: tuple[str, ...] = ()

    def __init__(self, source: Source | None = None, **kwargs: Any) -> None:
        if source is None:
            source = self.source_from_arguments(kwargs)
        super().__init__(**{k: v for k, v in kwargs.items() if k not in self._source_args()})
        self.source = source
        self.listing_walked = False
        self.failed_pages = 0
        self.seen_ids: set[str] = set()

    @classmethod
    def _source_args(cls) -> set[str]:
        return {*_SOURCE_ARGS, *cls.required_keys, *cls.optional_keys}

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Refuse an entry that lacks a key this platform needs (before any request)."""
        missing = [key for key in cls.required_keys if not source.get(key)]
        if missing:
            raise SourceError(f"{source.id}: platform {cls.name} needs {', '.join(missing)}")

    @classmethod
    def source_from_arguments(cls, kwargs: dict[str, Any]) -> Source:
        """A source built from `scrapy crawl NAME -a url=... -a institution=...`."""
        from spiders.sources import source_from_mapping

        entry = {k: v for k, v in kwargs.items() if k in cls._source_args()}
        entry.setdefault("platform", cls.name)
        entry.setdefault("id", f"{cls.name}-adhoc")
        entry.setdefault("institution", "")
        if not entry["institution"]:
            entry["institution"] = "Unknown institution"
        return source_from_mapping(entry, where=f"{cls.name} arguments")

    # -- listing bookkeeping -------------------------------------------------------------

    @property
    def complete(self) -> bool:
        """True when the whole listing was walked and no page failed on the way."""
        return self.listing_walked and self.failed_pages == 0

    def listing_complete(self) -> None:
        """Record that the whole listing was walked (pages until the platform's total)."""
        if not self.listing_walked:
            self.logger.info("listing of %s walked to the end", self.source.id)
        self.listing_walked = True

    def drop(self, reason: str, detail: str = "") -> None:
        """Count and log an item or page skipped for a data-quality reason."""
        self.crawler.stats.inc_value(f"rcjobs/dropped/{reason}")
        self.logger.warning("skipped (%s) %s", reason, detail)

    def fail_page(self, reason: str, detail: str = "") -> None:
        """A page that could not be read: counted like a drop, and the run stays incomplete."""
        self.failed_pages += 1
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
        self.fail_page("request_failed", f"{url}: {failure.getErrorMessage()}")

    # -- requests --------------------------------------------------------------------------

    def url_for(self, path: str) -> str:
        """An absolute URL on the source's own scheme, host and port."""
        if path.startswith(("http://", "https://")):
            return path
        return urljoin(self.source.origin + "/", path)

    def request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request:
        """A GET (or any method) with the shared errback."""
        kwargs.setdefault("errback", self.on_error)
        return scrapy.Request(url, callback=callback, **kwargs)

    def json_request(
        self, url: str, callback: Any, payload: Any = None, **kwargs: Any
    ) -> scrapy.Request:
        """A JSON API request: POST when there is a payload, GET otherwise."""
        kwargs.setdefault("errback", self.on_error)
        headers = {"Accept": "application/json", **kwargs.pop("headers", {})}
        if payload is not None:
            return scrapy.http.JsonRequest(
                url, data=payload, callback=callback, headers=headers, **kwargs
            )
        return scrapy.Request(url, callback=callback, headers=headers, **kwargs)

    def json_body(self, response: Response, expect: type = dict) -> Any:
        """The response's JSON, or None after `fail_page` when it is not the expected JSON."""
        text = response.body.decode(getattr(response, "encoding", None) or "utf-8", "replace")
        stripped = text.lstrip()
        if stripped.startswith("<"):
            self.fail_page("html_not_json", response.url)
            return None
        data = loads_lenient(text)
        if data is None:
            self.fail_page("malformed_json", response.url)
            return None
        if not isinstance(data, expect):
            self.fail_page("unexpected_json", f"{response.url}: {type(data).__name__}")
            return None
        if isinstance(data, dict) and _is_error_body(data):
            self.fail_page("error_body", f"{response.url}: {json.dumps(data)[:200]}")
            return None
        return data

    # -- items -----------------------------------------------------------------------------

    def make_item(self, **fields: Any) -> RawPosting:
        """A raw posting with this source's id and institution filled in."""
        if not fields.get("institution"):
            fields["institution"] = self.source.institution
        fields["source"] = self.source.id
        if fields.get("source_id") is not None:
            fields["source_id"] = str(fields["source_id"])
        return RawPosting(**{k: v for k, v in fields.items() if v not in (None, "", [], {})})

    def posting(self, **fields: Any) -> RawPosting | None:
        """`make_item` after the checks every platform shares: a title, and a new id."""
        title = str(fields.get("title") or "").strip()
        key = str(fields.get("source_id") or fields.get("url") or "")
        if not title:
            self.drop("no_title", key or "(no id)")
            return None
        if not key:
            self.drop("no_id", title)
            return None
        if key in self.seen_ids:
            self.drop("duplicate_id", key)
            return None
        self.seen_ids.add(key)
        fields["title"] = title
        return self.make_item(**fields)

    def start_requests(self) -> Iterator[scrapy.Request]:  # pragma: no cover - abstract
        raise NotImplementedError

    async def start(self) -> Any:
        """Scrapy >= 2.13 entry point: the same requests as `start_requests`."""
        for request in self.start_requests():
            yield request


def _is_error_body(data: dict[str, Any]) -> bool:
    """A 200 answer whose body says it is an error (`{"error": ...}`, `{"errors": [...]}`)."""
    keys = {k.lower() for k in data}
    if "error" in keys or "errors" in keys:
        return not any(k in keys for k in ("jobs", "jobpostings", "items", "postings"))
    status = data.get("status") or data.get("httpStatus")
    return isinstance(status, int) and status >= 400


_SOURCE_ARGS = ("id", "institution", "platform", "url", "search", "tenant", "site")
