"""Oracle Recruiting Cloud (Fusion HCM) Candidate Experience sites through the REST API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.http import Response

from spiders.base import PlatformSpider
from spiders.sources import Source, SourceError

PAGE_SIZE = 25
API = "/hcmRestApi/resources/latest"
_SITE = re.compile(r"/sites/([^/?#]+)|siteNumber=([^,;&]+)")
_DESCRIPTION_PARTS = (
    "ExternalDescriptionStr",
    "ExternalResponsibilitiesStr",
    "ExternalQualificationsStr",
)


def site_number(source: Source) -> str:
    """The site number (CX_1001): the `site_number` key, else /sites/{X} in the url."""
    site = source.get("site_number")
    if not site:
        match = _SITE.search(source.url)
        site = (match.group(1) or match.group(2)) if match else ""
    if not site:
        raise SourceError(
            f"{source.id}: oracle_hcm needs a `site_number` key or a "
            "https://HOST/hcmUI/CandidateExperience/en/sites/SITE url"
        )
    return str(site)


def _finder(name: str, **params: Any) -> str:
    """A finder parameter: `findReqs;siteNumber=X,keyword="...",limit=25`."""
    values = ",".join(f"{k}={v}" for k, v in params.items() if v is not None)
    return quote(f"{name};{values}", safe=";=,")


class OracleHcmSpider(PlatformSpider):
    """Requisitions of one Candidate Experience site: list by findReqs, detail by ById.

    Source keys: `site_number` (else /sites/{X} in the url), `search` (the keyword).
    """

    name = "oracle_hcm"
    optional_keys = ("site_number",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.site_number = site_number(self.source)

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Refuse an entry without a site number."""
        super().check_source(source)
        site_number(source)

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The first page of requisitions."""
        yield self.list_request(0)

    def list_request(self, offset: int) -> scrapy.Request:
        """One page of recruitingCEJobRequisitions."""
        keyword = f'"{self.source.search}"' if self.source.search else None
        finder = _finder(
            "findReqs",
            siteNumber=self.site_number,
            keyword=keyword,
            limit=PAGE_SIZE,
            offset=offset,
            sortBy="POSTING_DATES_DESC",
        )
        url = (
            f"{self.source.origin}{API}/recruitingCEJobRequisitions?onlyData=true"
            f"&expand=requisitionList.secondaryLocations&finder={finder}"
        )
        return self.json_request(url, self.parse_list, cb_kwargs={"offset": offset})

    def parse_list(self, response: Response, offset: int = 0) -> Iterator[Any]:
        """Detail requests for one page; the next page until TotalJobsCount (or hasMore)."""
        data = self.json_body(response)
        if data is None:
            return
        items = data.get("items")
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            self.fail_page("no_search_result", response.url)
            return
        search = items[0]
        requisitions = search.get("requisitionList")
        if not isinstance(requisitions, list):
            self.fail_page("no_requisition_list", response.url)
            return
        for req in requisitions:
            if not isinstance(req, dict) or not req.get("Id"):
                self.drop("no_id", str(req)[:200])
                continue
            yield self.detail_request(req)
        total = search.get("TotalJobsCount")
        next_offset = offset + PAGE_SIZE
        more = next_offset < total if isinstance(total, int) else bool(data.get("hasMore"))
        if more and requisitions:
            yield self.list_request(next_offset)
        elif more:
            self.fail_page("short_listing", f"{response.url}: empty page at {offset}")
        else:
            self.listing_complete()

    def detail_request(self, req: dict[str, Any]) -> scrapy.Request:
        """recruitingCEJobRequisitionDetails for one requisition."""
        finder = _finder("ById", Id=f'"{req["Id"]}"', siteNumber=self.site_number)
        url = (
            f"{self.source.origin}{API}/recruitingCEJobRequisitionDetails"
            f"?expand=all&onlyData=true&finder={finder}"
        )
        return self.json_request(url, self.parse_detail, cb_kwargs={"req": req})

    def parse_detail(self, response: Response, req: dict[str, Any]) -> Iterator[Any]:
        """One posting from the detail response."""
        data = self.json_body(response)
        if data is None:
            return
        items = data.get("items")
        if not isinstance(items, list) or not items or not isinstance(items[0], dict):
            self.fail_page("no_requisition_detail", response.url)
            return
        detail = items[0]
        places = [detail.get("PrimaryLocation") or req.get("PrimaryLocation")]
        for loc in detail.get("secondaryLocations") or req.get("secondaryLocations") or []:
            if isinstance(loc, dict):
                places.append(loc.get("Name"))
        description = "\n".join(str(detail[k]) for k in _DESCRIPTION_PARTS if detail.get(k))
        item = self.posting(
            title=detail.get("Title") or req.get("Title"),
            location="; ".join(dict.fromkeys(p for p in places if p)) or None,
            description=description or detail.get("ShortDescriptionStr"),
            url=(
                f"{self.source.origin}/hcmUI/CandidateExperience/en/sites/"
                f"{self.site_number}/job/{detail.get('Id') or req['Id']}"
            ),
            posted=detail.get("ExternalPostedStartDate") or req.get("PostedDate"),
            closes=detail.get("ExternalPostedEndDate") or req.get("PostingEndDate"),
            salary=_flex_salary(detail),
            employment_type=detail.get("JobSchedule") or detail.get("WorkerType"),
            source_id=detail.get("Id") or req["Id"],
        )
        if item is not None:
            yield item


def _flex_salary(detail: dict[str, Any]) -> str | None:
    """The pay text some sites put in a flex field ("Base Pay/Salary")."""
    for field in detail.get("requisitionFlexFields") or []:
        if isinstance(field, dict) and re.search(r"pay|salary", str(field.get("Prompt")), re.I):
            return str(field.get("Value") or "") or None
    return None
