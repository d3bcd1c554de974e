"""Kenexa/IBM BrassRing Talent Gateway sites.

URL form: https://sjobs.brassring.com/TGnewUI/Search/Home/Home?partnerid=P&siteid=S (or a
HomeWithPreLoad job link of the same gateway; own domains serving /TGnewUI/ too). Keys:
`partner_id`, `site_id` (else from the url), `location_fields` (listing question names
holding the place, e.g. "formtext8,formtext10").
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from board.extract.html import attr, parse_html
from board.extract.jsonapi import json_body
from board.extract.page import Fetched, NextRequest, Page
from board.extract.pay import pay_range_line
from board.extract.source import Source, SourceError

NAME = "brassring"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("partner_id", "site_id", "location_fields")
URL_FORMS = ("https://sjobs.brassring.com/TGnewUI/Search/Home/Home?partnerid=P&siteid=S",)
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


def check(source: Source) -> None:
    """Refuse an entry without partner and site ids."""
    partner_and_site(source)


def start(source: Source) -> list[NextRequest]:
    """The gateway's home page, which carries the request token and session value."""
    partner, site = partner_and_site(source)
    query = urlencode({"partnerid": partner, "siteid": site})
    return [NextRequest(f"{source.origin}/TGnewUI/Search/Home/Home?{query}", "home", listing=True)]


def parse_home(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Read the anti-forgery token and session value, then ask for the first page."""
    page = Page()
    soup = parse_html(fetched.body)
    token = attr(soup.select_one('input[name="__RequestVerificationToken"]'), "value")
    session = attr(soup.select_one("input#CookieValue"), "value")
    if not token:
        return page.fail("no_session_token", fetched.url)
    page.follow(list_request(source, 1, {"token": token, "session": session, "listed": 0}))
    return page


def _ajax(
    source: Source,
    path: str,
    step: str,
    payload: dict[str, Any],
    meta: dict[str, Any],
    listing: bool = False,
) -> NextRequest:
    """A POST to the gateway's Ajax endpoints with the session's token header."""
    headers = {
        "Accept": "application/json",
        "RFT": str(meta.get("token") or ""),
        "X-Requested-With": "XMLHttpRequest",
    }
    return NextRequest(
        f"{source.origin}{AJAX}/{path}",
        step,
        method="POST",
        json=payload,
        headers=headers,
        meta=meta,
        listing=listing,
    )


def list_request(source: Source, number: int, meta: dict[str, Any]) -> NextRequest:
    """One page of ProcessSortAndShowMoreJobs (50 jobs a page, pages count from 1)."""
    partner, site = partner_and_site(source)
    payload = {
        "partnerId": partner,
        "siteId": site,
        "keyword": source.search or "",
        "location": "",
        "keywordCustomSolrFields": "",
        "locationCustomSolrFields": "",
        "linkId": "",
        "Latitude": 0,
        "Longitude": 0,
        "facetfilterfields": {"Facet": []},
        "powersearchoptions": {"PowerSearchOption": []},
        "SortType": "LastUpdated",
        "pageNumber": number,
        "encryptedSessionValue": str(meta.get("session") or ""),
    }
    return _ajax(
        source,
        "ProcessSortAndShowMoreJobs",
        "jobs",
        payload,
        {**meta, "page": number},
        listing=True,
    )


def parse_jobs(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Detail requests for one page, then the next until `JobsCount` jobs were listed."""
    page = Page()
    data = json_body(fetched, page)
    if data is None:
        return page
    total = data.get("JobsCount")
    container = data.get("Jobs") or {}  # null once past the last page
    jobs = (container.get("Job") or []) if isinstance(container, dict) else None
    if not isinstance(total, int) or not isinstance(jobs, list):
        return page.fail("no_job_list", fetched.url)
    for job in jobs:
        request = detail_request(source, job, meta)
        if request is None:
            page.drop("no_id", str(job)[:200])
        else:
            page.detail(request)
    listed = int(meta.get("listed", 0)) + len(jobs)
    if listed >= total:
        page.end = True
    elif jobs:
        page.follow(list_request(source, int(meta.get("page", 1)) + 1, {**meta, "listed": listed}))
    else:
        page.fail("short_listing", f"{fetched.url}: empty page {meta.get('page')} of {total}")
    return page


def detail_request(source: Source, job: Any, meta: dict[str, Any]) -> NextRequest | None:
    """The JobDetails POST of one listed job, or None when it has no reqid."""
    answers = questions(job.get("Questions") if isinstance(job, dict) else None)
    reqid = answers.get("reqid")
    if not reqid:
        return None
    partner, site = partner_and_site(source)
    fields = [f.strip().lower() for f in str(source.get("location_fields") or "").split(",")]
    names = [f for f in fields if f] or list(_LOCATION_NAMES)
    places = [answers[name] for name in names if answers.get(name)]
    link = job.get("Link") or (
        f"{source.origin}/TGnewUI/Search/home/HomeWithPreLoad?"
        + urlencode(
            {"partnerid": partner, "siteid": site, "PageType": "JobDetails", "jobid": reqid}
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
        "partnerId": partner,
        "siteId": site,
        "jobid": reqid,
        "configMode": "",
        "jobSiteId": answers.get("siteid") or site,
    }
    return _ajax(
        source, "JobDetails", "detail", payload, {"token": meta.get("token"), "listed": listed}
    )


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One posting: the labelled JobDetailQuestions over what the listing said."""
    page = Page()
    data = json_body(fetched, page)
    if data is None:
        return page
    details = (data.get("ServiceResponse") or {}).get("Jobdetails")
    rows = details.get("JobDetailQuestions") if isinstance(details, dict) else None
    if not isinstance(rows, list) or not rows:
        return page.fail("no_job_details", fetched.url)
    fields = dict(meta.get("listed") or {})
    zones = questions(rows, name_key="VerityZone", value_key="AnswerValue")
    fields["title"] = zones.get("jobtitle") or fields.get("title")
    fields["description"] = zones.get("jobdescription") or fields.get("description")
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
    if not fields.get("description"):
        long = [(k, v) for k, v in labelled.items() if len(v) > 80]
        fields["description"] = "\n".join(f"<h3>{k}</h3>\n{v}" for k, v in long) or None
    fields["salary"] = fields["salary"] or pay_range_line(fields["description"])
    page.record(source, **fields)
    return page


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


STEPS = {"home": parse_home, "jobs": parse_jobs, "detail": parse_detail}
