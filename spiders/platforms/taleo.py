"""Oracle Taleo Enterprise career sections (https://HOST/careersection/SECTION/jobsearch.ftl)."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import scrapy
from scrapy.http import Response

from spiders.base import PlatformSpider
from spiders.parsing import find_job_postings, jsonld_objects, pay_range_line, posting_fields
from spiders.sources import Source, SourceError

_SECTION = re.compile(r"^/careersection/([^/?#]+)/")
_PORTAL = re.compile(r"portalNo\s*[:=]\s*['\"]?(\d+)|[?&;]portal=(\d+)")
_DATE = re.compile(
    r"^(\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}"
    r"|\d{1,2}[ -][A-Z][a-z]{2,8}[ -]\d{4})$"
)
_BLOCK_MARK = "!*!"
_FIELD_SEPARATOR = "!|!"


def career_section(source: Source) -> str:
    """The career section: the `section` key, else /careersection/{X}/ in the url."""
    section = source.get("section")
    if not section:
        match = _SECTION.match(urlsplit(source.url).path)
        section = match.group(1) if match else ""
    if not section or section == "rest":
        raise SourceError(
            f"{source.id}: taleo needs a `section` key or a "
            "https://HOST/careersection/SECTION/jobsearch.ftl url"
        )
    return str(section)


class TaleoSpider(PlatformSpider):
    """Requisitions of one career section through the section's own REST search, then each
    jobdetail.ftl page for the description.

    Source keys: `section` (else from the url), `portal` (the section's portal number; else
    read from the jobsearch.ftl page), `search` (sent as KEYWORD).
    """

    name = "taleo"
    optional_keys = ("section", "portal")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.section = career_section(self.source)
        self.portal = str(self.source.get("portal") or "")

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Refuse an entry without a career section."""
        super().check_source(source)
        career_section(source)

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The first search page, after reading the portal number from the section page."""
        if self.portal:
            yield self.search_request(1)
        else:
            url = f"{self.source.origin}/careersection/{self.section}/jobsearch.ftl?lang=en"
            yield self.request(url, self.parse_section)

    def parse_section(self, response: Response) -> Iterator[Any]:
        """The portal number declared in the jobsearch.ftl page (`portalNo: '...'`)."""
        match = _PORTAL.search(response.text)
        if not match:
            self.fail_page("no_portal", response.url)
            return
        self.portal = match.group(1) or match.group(2)
        yield self.search_request(1)

    def search_request(self, page: int) -> scrapy.Request:
        """POST one page of /careersection/rest/jobboard/searchjobs (pages count from 1)."""
        payload = {
            "multilineEnabled": False,
            "sortingSelection": {"sortBySelectionParam": "3", "ascendingSortingOrder": "false"},
            "fieldData": {
                "fields": {"KEYWORD": self.source.search or "", "LOCATION": ""},
                "valid": True,
            },
            "filterSelectionParam": {"searchFilterSelections": []},
            "advancedSearchFiltersSelectionParam": {"searchFilterSelections": []},
            "pageNo": page,
        }
        return self.json_request(
            f"{self.source.origin}/careersection/rest/jobboard/searchjobs"
            f"?lang=en&portal={self.portal}",
            self.parse_search,
            payload=payload,
            headers={"tz": "GMT+00:00", "X-Requested-With": "XMLHttpRequest"},
            cb_kwargs={"page": page},
        )

    def parse_search(self, response: Response, page: int) -> Iterator[Any]:
        """Detail requests for one page, then the next until `pagingData.totalCount`."""
        data = self.json_body(response)
        if data is None:
            return
        if data.get("careerSectionUnAvailable"):
            self.fail_page("section_unavailable", response.url)
            return
        requisitions = data.get("requisitionList")
        paging = data.get("pagingData")
        if not isinstance(requisitions, list) or not isinstance(paging, dict):
            self.fail_page("no_requisition_list", response.url)
            return
        total = paging.get("totalCount")
        if not isinstance(total, int):
            self.fail_page("no_total", response.url)
            return
        for requisition in requisitions:
            request = self.detail_request(requisition)
            if request is not None:
                yield request
        size = paging.get("pageSize")
        size = size if isinstance(size, int) and size > 0 else len(requisitions)
        if page * size >= total:
            self.listing_complete()
        elif requisitions:
            yield self.search_request(page + 1)
        else:
            self.fail_page("short_listing", f"{response.url}: empty page {page} of {total}")

    def detail_request(self, requisition: Any) -> scrapy.Request | None:
        """The jobdetail.ftl page of one listed requisition, or None (dropped) without an id."""
        if not isinstance(requisition, dict):
            self.drop("no_id", str(requisition)[:200])
            return None
        job = str(requisition.get("contestNo") or requisition.get("jobId") or "")
        if not job:
            self.drop("no_id", str(requisition)[:200])
            return None
        url = (
            f"{self.source.origin}/careersection/{self.section}/jobdetail.ftl"
            f"?job={quote(job, safe='')}&lang=en"
        )
        listed = {**listing_fields(requisition), "url": url, "source_id": job}
        return self.request(url, self.parse_detail, cb_kwargs={"listed": listed})

    def parse_detail(self, response: Response, listed: dict[str, Any]) -> Iterator[Any]:
        """One posting: the listed fields plus the page's description (initialHistory or
        JSON-LD)."""
        fields = dict(listed)
        postings = list(find_job_postings(jsonld_objects(response.body, response.url)))
        if postings:
            found = posting_fields(postings[0], response.url)
            for key in ("title", "location", "posted", "closes", "salary", "employment_type"):
                fields[key] = fields.get(key) or found.get(key)
            fields["description"] = found.get("description")
        history = history_description(response)
        if history:
            fields["description"] = history
        if not fields.get("description"):
            self.fail_page("no_job_details", response.url)
            return
        fields["salary"] = fields.get("salary") or pay_range_line(fields["description"])
        item = self.posting(**fields)
        if item is not None:
            yield item


def listing_fields(requisition: dict[str, Any]) -> dict[str, Any]:
    """Title (the first, linked column), location (the `locationsColumns` cell, else the
    second column) and the first date-shaped column of one listed requisition."""
    columns = [str(c) if c is not None else "" for c in requisition.get("column") or []]
    location_at = [
        i
        for i in requisition.get("locationsColumns") or [1]
        if isinstance(i, int) and 0 < i < len(columns)
    ]
    locations = [place for i in location_at for place in _cell_values(columns[i])]
    dates = [c for i, c in enumerate(columns[1:], 1) if i not in location_at and _DATE.match(c)]
    return {
        "title": html.unescape(columns[0]).strip() if columns else None,
        "location": "; ".join(dict.fromkeys(locations)) or None,
        "posted": dates[0] if dates else None,
    }


def _cell_values(cell: str) -> list[str]:
    """A column cell as a list: location cells are often a JSON array in a string."""
    cell = html.unescape(cell).strip()
    if cell.startswith("["):
        try:
            values = json.loads(cell)
        except ValueError:
            values = None
        if isinstance(values, list):
            return [str(v).strip() for v in values if str(v).strip()]
    return [cell] if cell else []


def history_description(response: Response) -> str | None:
    """The posting's HTML blocks from the hidden `initialHistory` input.

    Its value is a "!|!"-separated list of URL-encoded fields; the description,
    qualifications and other rich-text blocks are the fields marked "!*!".
    """
    value = response.css("input#initialHistory::attr(value)").get()
    if not value:
        return None
    if _FIELD_SEPARATOR not in value:
        value = unquote(value)
    blocks: list[str] = []
    for part in value.split(_FIELD_SEPARATOR):
        text = unquote(part)
        if not text.startswith(_BLOCK_MARK):
            continue
        block = text[len(_BLOCK_MARK) :]
        if "%3C" in block.upper():
            block = unquote(block)
        block = block.strip()
        if block and block not in blocks:
            blocks.append(block)
    return "\n".join(blocks) or None
