"""Workday career sites through their CXS JSON API (list by POST, detail by GET).

URL forms: https://TENANT.wdN.myworkdayjobs.com/[LOCALE/]SITE[/...] (a /job/ or /details/
link too), https://wdN.myworkdaysite.com/[LOCALE/]recruiting/TENANT/SITE[/...], a CXS
url /wday/cxs/TENANT/SITE/..., or any host with the `tenant` and `site` keys.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from board.extract.jsonapi import json_body
from board.extract.page import Fetched, NextRequest, Page
from board.extract.pay import pay_range_line
from board.extract.source import Source, SourceError

NAME = "workday"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("tenant", "site", "page_size")
URL_FORMS = (
    "https://TENANT.wdN.myworkdayjobs.com/[LOCALE/]SITE (a /job/ or /details/ link too)",
    "https://wdN.myworkdaysite.com/[LOCALE/]recruiting/TENANT/SITE",
    "https://HOST/wday/cxs/TENANT/SITE/jobs",
    "any other host with `tenant` and `site`",
)
PAGE_SIZE = 20
_LOCALE = re.compile(r"^[a-z]{2}(-[A-Za-z]{2,4})?$")
_STOP = {"job", "details", "jobs", "login", "apply", "userHome", "introduceYourself"}


def tenant_and_site(source: Source) -> tuple[str, str]:
    """The Workday tenant and career site of a source: its keys, else read from its url."""
    parts = urlsplit(source.url)
    segments = [s for s in parts.path.split("/") if s]
    derived_tenant, derived_site = "", ""
    if segments[:2] == ["wday", "cxs"] and len(segments) >= 4:
        derived_tenant, derived_site = segments[2], segments[3]
    else:
        segments = [s for s in segments if not _LOCALE.match(s)]
        if segments[:1] == ["recruiting"] and len(segments) >= 3:
            derived_tenant, derived_site = segments[1], segments[2]
        elif segments and segments[0] not in _STOP:
            derived_site = segments[0]
            host = (parts.hostname or "").lower()
            if host.endswith(".myworkdayjobs.com") or not host.endswith(".myworkdaysite.com"):
                derived_tenant = host.split(".")[0]
    tenant = str(source.get("tenant") or derived_tenant)
    site = str(source.get("site") or derived_site)
    if not tenant or not site:
        raise SourceError(
            f"{source.id}: workday url {source.url!r} names no career site; use "
            "https://TENANT.wdN.myworkdayjobs.com/en-US/SITE, "
            "https://wdN.myworkdaysite.com/recruiting/TENANT/SITE or set `tenant` and `site`"
        )
    return tenant, site


def check(source: Source) -> None:
    """Refuse an entry whose tenant and site cannot be known."""
    tenant_and_site(source)
    size = source.get("page_size")
    if size is not None and not str(size).isdigit():
        raise SourceError(f"{source.id}: workday page_size must be a number, got {size!r}")


def api_base(source: Source) -> str:
    """{origin}/wday/cxs/{tenant}/{site}."""
    tenant, site = tenant_and_site(source)
    return f"{source.origin}/wday/cxs/{tenant}/{site}"


def page_base(source: Source) -> str:
    """Where the site's own job pages live: {origin}/SITE or {origin}/recruiting/TENANT/SITE."""
    tenant, site = tenant_and_site(source)
    if source.host.endswith(".myworkdaysite.com") or "/recruiting/" in source.url:
        return f"{source.origin}/recruiting/{tenant}/{site}"
    return f"{source.origin}/{site}"


def start(source: Source) -> list[NextRequest]:
    """The first list page."""
    return [list_request(source, 0, int(source.get("page_size") or PAGE_SIZE), None)]


def list_request(source: Source, offset: int, size: int, total: int | None) -> NextRequest:
    """POST one page of the job list."""
    payload = {
        "appliedFacets": {},
        "limit": size,
        "offset": offset,
        "searchText": source.search or "",
    }
    return NextRequest(
        f"{api_base(source)}/jobs",
        "listing",
        method="POST",
        json=payload,
        headers={"Accept": "application/json"},
        meta={"offset": offset, "page_size": size, "total": total},
        listing=True,
        accept_status=(400,),
    )


def parse_listing(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Detail requests for one list page, then the next page until the first page's total."""
    page = Page()
    offset, size = int(meta.get("offset", 0)), int(meta.get("page_size", PAGE_SIZE))
    total = meta.get("total")
    if fetched.status == 400:
        if size > PAGE_SIZE:  # a larger limit refused: page by Workday's own default
            page.follow(list_request(source, offset, PAGE_SIZE, total))
            return page
        return page.fail("http_400", fetched.url)
    data = json_body(fetched, page)
    if data is None:
        return page
    postings = data.get("jobPostings")
    if not isinstance(postings, list):
        return page.fail("no_job_list", fetched.url)
    if total is None:
        # Workday reports the total on the first page only (later pages say 0).
        if not isinstance(data.get("total"), int):
            return page.fail("no_total", fetched.url)
        total = data["total"]
    for entry in postings:
        if not isinstance(entry, dict) or not entry.get("externalPath"):
            page.drop("no_external_path", str(entry)[:200])
            continue
        bullets = entry.get("bulletFields") or []
        page.detail(
            NextRequest(
                api_base(source) + str(entry["externalPath"]),
                "detail",
                headers={"Accept": "application/json"},
                meta={"entry": entry, "list_id": bullets[0] if bullets else None},
            )
        )
    if not postings and offset < total:
        return page.fail("short_listing", f"{fetched.url}: empty page at offset {offset}")
    if offset + size < total:
        page.follow(list_request(source, offset + size, size, total))
    else:
        page.end = True
    return page


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One posting from the detail JSON."""
    page = Page()
    data = json_body(fetched, page)
    if data is None:
        return page
    info = data.get("jobPostingInfo")
    if not isinstance(info, dict):
        return page.fail("no_job_posting_info", fetched.url)
    entry = meta.get("entry") or {}
    page_url = page_base(source) + str(entry.get("externalPath") or "")
    page.record(source, **detail_fields(info, entry, page_url, meta.get("list_id")))
    return page


def detail_fields(
    info: dict[str, Any], entry: dict[str, Any], page_url: str, list_id: str | None = None
) -> dict[str, Any]:
    """The raw fields of a detail's `jobPostingInfo`, the list entry filling gaps.

    The posted date is the exact `startDate` when the detail has one; "Posted 7 Days Ago"
    is passed on as text only when it does not (the normalizer counts it back).
    """
    locations = [info.get("location") or entry.get("locationsText")]
    locations += list(info.get("additionalLocations") or [])
    description = info.get("jobDescription") or ""
    return {
        "title": info.get("title") or entry.get("title"),
        "location": "; ".join(dict.fromkeys(str(loc) for loc in locations if loc)) or None,
        "description": description,
        "url": info.get("externalUrl") or page_url,
        "posted": info.get("startDate") or info.get("postedOn") or entry.get("postedOn"),
        "closes": info.get("endDate"),
        "salary": pay_range_line(description),
        "employment_type": info.get("timeType"),
        "source_id": info.get("jobReqId") or list_id or entry.get("externalPath"),
    }


STEPS = {"listing": parse_listing, "detail": parse_detail}
