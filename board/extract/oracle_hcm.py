"""Oracle Recruiting Cloud (Fusion HCM) Candidate Experience sites through the REST API.

URL forms: https://HOST/hcmUI/CandidateExperience/LANG/sites/SITE[/...] on *.oraclecloud.com
or an institution's own career domain (the site number comes from the path), any url with
`siteNumber=SITE`, or a custom career domain with the `site_number` key.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from board.extract.jsonapi import json_body
from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source, SourceError

NAME = "oracle_hcm"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("site_number", "language")
URL_FORMS = (
    "https://HOST.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1[/requisitions|/job/ID]",
    "https://careers.INSTITUTION/hcmUI/CandidateExperience/en/sites/SITE (own domain)",
    "https://careers.INSTITUTION/... with `site_number`",
)
PAGE_SIZE = 25
API = "/hcmRestApi/resources/latest"
_SITE = re.compile(
    r"/CandidateExperience/([a-z]{2}(?:-[A-Za-z]{2})?)/sites/([^/?#]+)|siteNumber=([^,;&]+)"
)
_DESCRIPTION_PARTS = (
    "ExternalDescriptionStr",
    "ExternalResponsibilitiesStr",
    "ExternalQualificationsStr",
)
_HEADERS = {"Accept": "application/json"}


def site_number(source: Source) -> str:
    """The site number (CX_1001): the `site_number` key, else /sites/{X} in the url."""
    site = source.get("site_number")
    if not site:
        match = _SITE.search(source.url)
        site = (match.group(2) or match.group(3)) if match else ""
    if not site:
        raise SourceError(
            f"{source.id}: oracle_hcm needs a `site_number` key or a "
            "https://HOST/hcmUI/CandidateExperience/en/sites/SITE url"
        )
    return str(site)


def language(source: Source) -> str:
    """The site's language segment of job page URLs ("en")."""
    match = _SITE.search(source.url)
    return str(source.get("language") or (match.group(1) if match and match.group(1) else "en"))


def check(source: Source) -> None:
    """Refuse an entry without a site number."""
    site_number(source)


def _finder(name: str, **params: Any) -> str:
    """A finder parameter: `findReqs;siteNumber=X,keyword="...",limit=25`."""
    values = ",".join(f"{k}={v}" for k, v in params.items() if v is not None)
    return quote(f"{name};{values}", safe=";=,")


def start(source: Source) -> list[NextRequest]:
    """The first page of requisitions."""
    return [list_request(source, 0)]


def list_request(source: Source, offset: int) -> NextRequest:
    """One page of recruitingCEJobRequisitions."""
    keyword = f'"{source.search}"' if source.search else None
    finder = _finder(
        "findReqs",
        siteNumber=site_number(source),
        keyword=keyword,
        limit=PAGE_SIZE,
        offset=offset,
        sortBy="POSTING_DATES_DESC",
    )
    url = (
        f"{source.origin}{API}/recruitingCEJobRequisitions?onlyData=true"
        f"&expand=requisitionList.secondaryLocations&finder={finder}"
    )
    return NextRequest(url, "listing", headers=_HEADERS, meta={"offset": offset}, listing=True)


def parse_listing(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Detail requests for one page; the next page until TotalJobsCount (or hasMore)."""
    page = Page()
    offset = int(meta.get("offset", 0))
    data = json_body(fetched, page)
    if data is None:
        return page
    items = data.get("items")
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return page.fail("no_search_result", fetched.url)
    search = items[0]
    requisitions = search.get("requisitionList")
    if not isinstance(requisitions, list):
        return page.fail("no_requisition_list", fetched.url)
    for req in requisitions:
        if not isinstance(req, dict) or not req.get("Id"):
            page.drop("no_id", str(req)[:200])
            continue
        page.detail(detail_request(source, req))
    total = search.get("TotalJobsCount")
    next_offset = offset + PAGE_SIZE
    more = next_offset < total if isinstance(total, int) else bool(data.get("hasMore"))
    if more and requisitions:
        page.follow(list_request(source, next_offset))
    elif more:
        page.fail("short_listing", f"{fetched.url}: empty page at {offset}")
    elif isinstance(total, int) or data.get("hasMore") is False:
        page.end = True
    else:
        page.fail("no_total", fetched.url)
    return page


def detail_request(source: Source, req: dict[str, Any]) -> NextRequest:
    """recruitingCEJobRequisitionDetails for one requisition."""
    finder = _finder("ById", Id=f'"{req["Id"]}"', siteNumber=site_number(source))
    url = (
        f"{source.origin}{API}/recruitingCEJobRequisitionDetails"
        f"?expand=all&onlyData=true&finder={finder}"
    )
    return NextRequest(url, "detail", headers=_HEADERS, meta={"req": req})


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One posting from the detail response."""
    page = Page()
    data = json_body(fetched, page)
    if data is None:
        return page
    items = data.get("items")
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return page.fail("no_requisition_detail", fetched.url)
    page.record(source, **detail_fields(items[0], meta.get("req") or {}, source))
    return page


def detail_fields(detail: dict[str, Any], req: dict[str, Any], source: Source) -> dict[str, Any]:
    """The raw fields of one requisition detail, the listed requisition filling gaps."""
    places = [detail.get("PrimaryLocation") or req.get("PrimaryLocation")]
    for loc in detail.get("secondaryLocations") or req.get("secondaryLocations") or []:
        if isinstance(loc, dict):
            places.append(loc.get("Name"))
    description = "\n".join(str(detail[k]) for k in _DESCRIPTION_PARTS if detail.get(k))
    ident = detail.get("Id") or req.get("Id")
    return {
        "title": detail.get("Title") or req.get("Title"),
        "location": "; ".join(dict.fromkeys(p for p in places if p)) or None,
        "description": description or detail.get("ShortDescriptionStr"),
        "url": (
            f"{source.origin}/hcmUI/CandidateExperience/{language(source)}/sites/"
            f"{site_number(source)}/job/{ident}"
        ),
        "posted": detail.get("ExternalPostedStartDate") or req.get("PostedDate"),
        "closes": detail.get("ExternalPostedEndDate") or req.get("PostingEndDate"),
        "salary": _flex_salary(detail),
        "employment_type": detail.get("JobSchedule") or detail.get("WorkerType"),
        "source_id": ident,
    }


def _flex_salary(detail: dict[str, Any]) -> str | None:
    """The pay text some sites put in a flex field ("Base Pay/Salary")."""
    for field in detail.get("requisitionFlexFields") or []:
        if isinstance(field, dict) and re.search(r"pay|salary", str(field.get("Prompt")), re.I):
            return str(field.get("Value") or "") or None
    return None


STEPS = {"listing": parse_listing, "detail": parse_detail}
