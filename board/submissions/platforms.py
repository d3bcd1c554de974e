"""Prefill from a platform's public API (Greenhouse, Lever, Workday) through the extraction
functions the spiders call (board.extract)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from board.extract import Fetched, Source, SourceError, platform
from board.extract.workday import tenant_and_site

_GREENHOUSE_PAGE = re.compile(r"^/([\w-]+)/jobs/(\d+)")
_GREENHOUSE_API = re.compile(r"^/v1/boards/([\w-]+)/jobs/(\d+)")
_LEVER_PAGE = re.compile(r"^/([\w.-]+)/([0-9a-f-]{36})")
_LEVER_API = re.compile(r"^/v0/postings/([\w.-]+)/([0-9a-f-]{36})")
# A Workday job page (/[locale/]SITE/job/...) or its CXS record (/wday/cxs/TENANT/SITE/job/...).
_WORKDAY_JOB = re.compile(r"^(?P<site>/.+?)(?P<job>/job/[^?#]+?)(?:/apply(?:/.*)?)?/?$")


@dataclass(frozen=True)
class ApiPosting:
    """Where a posting's API record is, and which spider reads it."""

    platform: str
    api_url: str
    listing_url: str
    page_url: str = ""
    source_url: str = ""  # the url a source entry of this site would have
    detail_path: str = ""  # Workday: the job's externalPath


def api_posting(url: str) -> ApiPosting | None:
    """The API record behind a Greenhouse, Lever or Workday posting URL (page or API), if any."""
    parts = urlsplit(url)
    origin, host, path = f"{parts.scheme}://{parts.netloc}", parts.hostname or "", parts.path
    if match := _GREENHOUSE_API.match(path):
        return _greenhouse(origin, *match.groups())
    greenhouse_page = host in ("boards.greenhouse.io", "job-boards.greenhouse.io")
    if greenhouse_page and (match := _GREENHOUSE_PAGE.match(path)):
        return _greenhouse("https://boards-api.greenhouse.io", *match.groups())
    if match := _LEVER_API.match(path):
        return _lever(origin, *match.groups())
    if host == "jobs.lever.co" and (match := _LEVER_PAGE.match(path)):
        return _lever("https://api.lever.co", *match.groups())
    workday_page = host.endswith((".myworkdayjobs.com", ".myworkdaysite.com"))
    if (workday_page or path.startswith("/wday/cxs/")) and (match := _WORKDAY_JOB.match(path)):
        return _workday(origin, match["site"], match["job"])
    return None


def _greenhouse(origin: str, board: str, job: str) -> ApiPosting:
    listing = f"{origin}/v1/boards/{board}/jobs"
    return ApiPosting("greenhouse", f"{listing}/{job}", listing)


def _lever(origin: str, company: str, posting: str) -> ApiPosting:
    listing = f"{origin}/v0/postings/{company}"
    return ApiPosting("lever", f"{listing}/{posting}", listing)


def _workday(origin: str, site_path: str, job: str) -> ApiPosting | None:
    """The CXS detail record of a Workday job, tenant and site read as the spider reads them."""
    source = Source(id="prefill", institution="", platform="workday", url=origin + site_path)
    try:
        tenant, site = tenant_and_site(source)
    except SourceError:
        return None
    listing = f"{origin}/wday/cxs/{tenant}/{site}"
    return ApiPosting(
        "workday", f"{listing}{job}", listing, f"{origin}/{site}{job}", origin + site_path, job
    )


def raw_from_api(where: ApiPosting, body: bytes) -> dict[str, Any] | None:
    """The raw posting the platform's detail step makes of the API record (None if unreadable)."""
    url = where.source_url or where.listing_url
    source = Source(id="prefill", institution="", platform=where.platform, url=url)
    meta = {"entry": {"externalPath": where.detail_path}} if where.detail_path else {}
    try:
        page = platform(where.platform).parse("detail", Fetched(where.api_url, body), source, meta)
    except (SourceError, ValueError, TypeError, KeyError, AttributeError):
        return None  # a record the platform module cannot read is simply not prefilled
    return page.records[0] if page.records and not page.failed else None


# Job pages without JSON-LD that a platform's own detail step reads: (platform, step, url).
_PAGE_READERS = (
    ("pageup", "detail", re.compile(r"/job/\d+(?:/|$)")),
    ("euraxess", "offer", re.compile(r"^https?://euraxess\.ec\.europa\.eu/jobs/\d+")),
    ("peopleadmin", "posting", re.compile(r"/postings/\d+(?:[/?#]|$)")),
)


def raw_from_page(url: str, body: bytes) -> dict[str, Any] | None:
    """The raw posting a platform's detail step reads from a job page (PageUp, EURAXESS,
    PeopleAdmin), for pages that carry no JobPosting JSON-LD; None when none reads it."""
    for name, step, pattern in _PAGE_READERS:
        if not pattern.search(url):
            continue
        source = Source(id="prefill", institution="", platform=name, url=url)
        page = platform(name).parse(step, Fetched(url, body), source, {})
        if page.records and not page.failed:
            return page.records[0]
    return None
