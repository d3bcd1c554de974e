"""Workday career sites through their CXS JSON API (list by POST, detail by GET)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from spiders.base import PlatformSpider
from spiders.parsing import pay_range_line
from spiders.sources import Source, SourceError

PAGE_SIZE = 20
_LOCALE = re.compile(r"^[a-z]{2}(-[A-Za-z]{2})?$")
_RELATIVE = re.compile(r"posted\s+(today|yesterday|(\d+)\+?\s+days?\s+ago)", re.IGNORECASE)


def tenant_and_site(source: Source) -> tuple[str, str]:
    """The Workday tenant and career site of a source: its keys, else derived from its url."""
    parts = urlsplit(source.url)
    segments = [s for s in parts.path.split("/") if s]
    if segments[:2] == ["wday", "cxs"] and len(segments) >= 4:
        derived_tenant, derived_site = segments[2], segments[3]
    else:
        segments = [s for s in segments if not _LOCALE.match(s)]
        derived_site = segments[0] if segments else ""
        derived_tenant = (parts.hostname or "").split(".")[0]
    tenant = str(source.get("tenant") or derived_tenant)
    site = str(source.get("site") or derived_site)
    if not tenant or not site:
        raise SourceError(
            f"{source.id}: workday url {source.url!r} names no career site; "
            "use https://HOST/en-US/SITE or set `tenant` and `site`"
        )
    return tenant, site


def resolve_posted_on(text: str | None, today: dt.date | None = None) -> str | None:
    """ "Posted 3 Days Ago" → an ISO date counted back from the crawl date; else the text."""
    if not text:
        return None
    match = _RELATIVE.search(text)
    if not match:
        return text
    today = today or dt.date.today()
    word = match.group(1).lower()
    days = 0 if word == "today" else 1 if word == "yesterday" else int(match.group(2))
    return (today - dt.timedelta(days=days)).isoformat()


def detail_fields(
    info: dict[str, Any], entry: dict[str, Any], page: str, list_id: str | None = None
) -> dict[str, Any]:
    """The raw posting fields of a detail's `jobPostingInfo`, the list entry filling gaps."""
    locations = [info.get("location") or entry.get("locationsText")]
    locations += list(info.get("additionalLocations") or [])
    description = info.get("jobDescription") or ""
    return {
        "title": info.get("title") or entry.get("title"),
        "location": "; ".join(str(loc) for loc in locations if loc) or None,
        "description": description,
        "url": info.get("externalUrl") or page,
        "posted": resolve_posted_on(info.get("postedOn") or entry.get("postedOn"))
        or info.get("startDate"),
        "closes": info.get("endDate"),
        "salary": pay_range_line(description),
        "employment_type": info.get("timeType"),
        "source_id": info.get("jobReqId") or list_id or entry.get("externalPath"),
    }


class WorkdaySpider(PlatformSpider):
    """Postings of one Workday career site: `tenant` and `site` keys, or derived from url.

    Source keys: `tenant`, `site`, `page_size` (default 20; a refused larger size falls back
    to 20), `search` (sent as searchText).
    """

    name = "workday"
    optional_keys = ("page_size",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tenant, self.site = tenant_and_site(self.source)
        self.page_size = int(self.source.get("page_size") or PAGE_SIZE)
        self.total: int | None = None

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Refuse an entry whose tenant and site cannot be known."""
        super().check_source(source)
        tenant_and_site(source)

    @property
    def api_base(self) -> str:
        """{origin}/wday/cxs/{tenant}/{site}."""
        return f"{self.source.origin}/wday/cxs/{self.tenant}/{self.site}"

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The first list page."""
        yield self.list_request(0)

    def list_request(self, offset: int) -> scrapy.Request:
        """POST one page of the job list."""
        payload = {
            "appliedFacets": {},
            "limit": self.page_size,
            "offset": offset,
            "searchText": self.source.search or "",
        }
        return self.json_request(
            f"{self.api_base}/jobs",
            self.parse_list,
            payload=payload,
            cb_kwargs={"offset": offset},
            meta={"handle_httpstatus_list": [400]},
            dont_filter=True,
        )

    def parse_list(self, response: Response, offset: int) -> Iterator[Any]:
        """Detail requests for one list page, then the next page until `total`."""
        if response.status == 400:
            if self.page_size > PAGE_SIZE:
                self.logger.info("limit %s refused; paging by %s", self.page_size, PAGE_SIZE)
                self.page_size = PAGE_SIZE
                yield self.list_request(offset)
            else:
                self.fail_page("http_400", response.url)
            return
        data = self.json_body(response)
        if data is None:
            return
        postings = data.get("jobPostings")
        if not isinstance(postings, list):
            self.fail_page("no_job_list", response.url)
            return
        total = data.get("total")
        if offset == 0 or self.total is None:
            # Workday reports the total on the first page only (later pages say 0).
            if not isinstance(total, int):
                self.fail_page("no_total", response.url)
                return
            self.total = total
        for entry in postings:
            request = self.detail_request(entry)
            if request is not None:
                yield request
        if not postings and offset < self.total:
            self.fail_page("short_listing", f"{response.url}: empty page at offset {offset}")
            return
        next_offset = offset + self.page_size
        if next_offset < self.total:
            yield self.list_request(next_offset)
        else:
            self.listing_complete()

    def detail_request(self, entry: Any) -> scrapy.Request | None:
        """The detail GET of one list entry, or None (dropped) when it has no path."""
        if not isinstance(entry, dict) or not entry.get("externalPath"):
            self.drop("no_external_path", str(entry)[:200])
            return None
        bullets = entry.get("bulletFields") or []
        return self.json_request(
            self.api_base + str(entry["externalPath"]),
            self.parse_detail,
            cb_kwargs={"entry": entry, "list_id": bullets[0] if bullets else None},
        )

    def parse_detail(
        self, response: Response, entry: dict[str, Any], list_id: str | None = None
    ) -> Iterator[Any]:
        """One posting from the detail JSON."""
        data = self.json_body(response)
        if data is None:
            return
        info = data.get("jobPostingInfo")
        if not isinstance(info, dict):
            self.fail_page("no_job_posting_info", response.url)
            return
        page = f"{self.source.origin}/{self.site}{entry['externalPath']}"
        item = self.posting(**detail_fields(info, entry, page, list_id))
        if item is not None:
            yield item
