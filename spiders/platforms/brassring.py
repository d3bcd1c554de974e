"""Kenexa/IBM BrassRing Talent Gateway sites
(https://sjobs.brassring.com/TGnewUI/Search/Home/Home?partnerid=P&siteid=S)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import scrapy
from scrapy.http import Response

from spiders.base import PlatformSpider
from spiders.parsing import pay_range_line
from spiders.sources import Source, SourceError

AJAX = "/TgNewUI/Search/Ajax"
_AMOUNT = re.compile(r"[$£€]\s?\d|\d{2,3},\d{3}")
_LOCATION_NAMES = ("location", "joblocation", "city", "state", "country")
_LABELS = (
    ("location", re.compile(r"\b(location|city|state|province|country|campus)\b", re.I)),
    ("salary", re.compile(r"\b(salary|pay|compensation|wage)\b", re.I)),
    (
        "employment_type",
        re.compile(r"full.?time|part.?time|job type|employment type|time status|schedule", re.I),
    ),
    ("closes", re.compile(r"\b(closing|close date|deadline|end date)\b", re.I)),
)


def partner_and_site(source: Source) -> tuple[str, str]:
    """`partner_id` and `site_id` keys, else the url's partnerid and siteid parameters."""
    query = {k.lower(): v for k, v in parse_qsl(urlsplit(source.url).query)}
    partner = str(source.get("partner_id") or query.get("partnerid") or "")
    site = str(source.get("site_id") or query.get("siteid") or "")
    if not partner or not site:
        raise SourceError(
            f"{source.id}: brassring needs `partner_id` and `site_id` keys or a "
            "https://HOST/TGnewUI/Search/Home/Home?partnerid=P&siteid=S url"
        )
    return partner, site


class BrassringSpider(PlatformSpider):
    """Jobs of one Talent Gateway: the home page for the session token, then the JSON job
    search page by page until `JobsCount`, then each job's JSON details.

    Source keys: `partner_id`, `site_id` (else from the url), `location_fields` (comma-
    separated listing question names that hold the place, e.g. "formtext8,formtext10"),
    `search` (sent as keyword).
    """

    name = "brassring"
    optional_keys = ("partner_id", "site_id", "location_fields")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partner, self.site = partner_and_site(self.source)
        fields = str(self.source.get("location_fields") or "")
        self.location_fields = [f.strip().lower() for f in fields.split(",") if f.strip()]
        self.token = ""
        self.session = ""
        self.listed = 0

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Refuse an entry without partner and site ids."""
        super().check_source(source)
        partner_and_site(source)

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The gateway's home page, which carries the request token and session value."""
        query = urlencode({"partnerid": self.partner, "siteid": self.site})
        yield self.request(
            f"{self.source.origin}/TGnewUI/Search/Home/Home?{query}", self.parse_home
        )

    def parse_home(self, response: Response) -> Iterator[Any]:
        """Read the anti-forgery token and session value, then ask for the first page."""
        self.token = response.css('input[name="__RequestVerificationToken"]::attr(value)').get("")
        self.session = response.css("input#CookieValue::attr(value)").get("")
        if not self.token:
            self.fail_page("no_session_token", response.url)
            return
        yield self.list_request(1)

    def ajax(self, path: str, callback: Any, payload: dict[str, Any], **kwargs: Any) -> Any:
        """A POST to the gateway's Ajax endpoints with the session's token header."""
        headers = {"RFT": self.token, "X-Requested-With": "XMLHttpRequest"}
        url = f"{self.source.origin}{AJAX}/{path}"
        return self.json_request(url, callback, payload=payload, headers=headers, **kwargs)

    def list_request(self, page: int) -> scrapy.Request:
        """One page of ProcessSortAndShowMoreJobs (50 jobs a page, pages count from 1)."""
        payload = {
            "partnerId": self.partner,
            "siteId": self.site,
            "keyword": self.source.search or "",
            "location": "",
            "keywordCustomSolrFields": "",
            "locationCustomSolrFields": "",
            "linkId": "",
            "Latitude": 0,
            "Longitude": 0,
            "facetfilterfields": {"Facet": []},
            "powersearchoptions": {"PowerSearchOption": []},
            "SortType": "LastUpdated",
            "pageNumber": page,
            "encryptedSessionValue": self.session,
        }
        return self.ajax(
            "ProcessSortAndShowMoreJobs", self.parse_list, payload, cb_kwargs={"page": page}
        )

    def parse_list(self, response: Response, page: int) -> Iterator[Any]:
        """Detail requests for one page, then the next until `JobsCount` jobs were listed."""
        data = self.json_body(response)
        if data is None:
            return
        total = data.get("JobsCount")
        container = data.get("Jobs") or {}  # null once past the last page
        jobs = (container.get("Job") or []) if isinstance(container, dict) else None
        if not isinstance(total, int) or not isinstance(jobs, list):
            self.fail_page("no_job_list", response.url)
            return
        for job in jobs:
            request = self.detail_request(job)
            if request is not None:
                yield request
        self.listed += len(jobs)
        if self.listed >= total:
            self.listing_complete()
        elif jobs:
            yield self.list_request(page + 1)
        else:
            self.fail_page("short_listing", f"{response.url}: empty page {page} of {total}")

    def detail_request(self, job: Any) -> scrapy.Request | None:
        """The JobDetails POST of one listed job, or None (dropped) when it has no reqid."""
        answers = questions(job.get("Questions") if isinstance(job, dict) else None)
        reqid = answers.get("reqid")
        if not reqid:
            self.drop("no_id", str(job)[:200])
            return None
        names = self.location_fields or _LOCATION_NAMES
        places = [answers[name] for name in names if answers.get(name)]
        link = job.get("Link") or (
            f"{self.source.origin}/TGnewUI/Search/home/HomeWithPreLoad?"
            + urlencode(
                {
                    "partnerid": self.partner,
                    "siteid": self.site,
                    "PageType": "JobDetails",
                    "jobid": reqid,
                }
            )
        )
        listed = {
            "title": answers.get("jobtitle"),
            "location": ", ".join(dict.fromkeys(places)) or None,
            "description": answers.get("jobdescription"),
            "posted": answers.get("lastupdated"),
            "url": link,
            "source_id": reqid,
        }
        payload = {
            "partnerId": self.partner,
            "siteId": self.site,
            "jobid": reqid,
            "configMode": "",
            "jobSiteId": answers.get("siteid") or self.site,
        }
        return self.ajax("JobDetails", self.parse_detail, payload, cb_kwargs={"listed": listed})

    def parse_detail(self, response: Response, listed: dict[str, Any]) -> Iterator[Any]:
        """One posting: the labelled JobDetailQuestions over what the listing said."""
        data = self.json_body(response)
        if data is None:
            return
        details = (data.get("ServiceResponse") or {}).get("Jobdetails")
        rows = details.get("JobDetailQuestions") if isinstance(details, dict) else None
        if not isinstance(rows, list) or not rows:
            self.fail_page("no_job_details", response.url)
            return
        fields = dict(listed)
        zones = questions(rows, name_key="VerityZone", value_key="AnswerValue")
        fields["title"] = zones.get("jobtitle") or fields["title"]
        fields["description"] = zones.get("jobdescription") or fields["description"]
        labelled = questions(rows, value_key="AnswerValue", lower=False)
        found: dict[str, list[str]] = {}
        for label, value in labelled.items():
            for key, pattern in _LABELS:
                if pattern.search(label):
                    found.setdefault(key, []).append(value)
                    break
        if found.get("location"):
            fields["location"] = ", ".join(dict.fromkeys(found["location"]))
        amounts = [pay for pay in found.get("salary", []) if _AMOUNT.search(pay)]
        found["salary"] = amounts or found.get("salary", [])
        for key in ("salary", "employment_type", "closes"):
            fields[key] = "; ".join(found.get(key, [])) or None
        if not fields["description"]:
            long = [(k, v) for k, v in labelled.items() if len(v) > 80]
            fields["description"] = "\n".join(f"<h3>{k}</h3>\n{v}" for k, v in long) or None
        fields["salary"] = fields["salary"] or pay_range_line(fields["description"])
        item = self.posting(**fields)
        if item is not None:
            yield item


def questions(
    rows: Any, name_key: str = "QuestionName", value_key: str = "Value", lower: bool = True
) -> dict[str, str]:
    """Non-empty answers by question name (lower-cased unless `lower` is false)."""
    answers: dict[str, str] = {}
    for row in rows if isinstance(rows, list) else []:
        if not isinstance(row, dict):
            continue
        name = str(row.get(name_key) or "").strip()
        value = html.unescape(str(row.get(value_key) or "")).strip()
        if name and value:
            answers.setdefault(name.lower() if lower else name, value)
    return answers
