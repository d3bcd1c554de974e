"""Oracle Taleo: Enterprise career sections and Business Edition (TBE) career sites.

URL forms:
- Enterprise: https://ORG.taleo.net/careersection/SECTION/jobsearch.ftl (or joblist.ftl,
  moresearch.ftl, a jobdetail.ftl link; own domains serving /careersection/ too). Keys:
  `section` (else from the url), `portal` (else the url's `portal=`, else read from
  jobsearch.ftl's `portalNo`).
- Business Edition: https://SUB.tbe.taleo.net/SITE/ats/careers/v2/searchResults?org=ORG&cws=N
  (or .../ats/careers/searchResults.jsp, a requisition.jsp link, the .../ats/servlet/Rss
  feed itself). Read through the site's RSS feed, whose `taleo:location`, city, state and
  country fields give the place. Keys: `org`, `cws` (else from the url).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, unquote_plus, urlencode, urlsplit

from board.extract.feeds import read_feed
from board.extract.html import parse_html
from board.extract.jobposting import page_postings, posting_fields
from board.extract.jsonapi import json_body
from board.extract.page import Fetched, NextRequest, Page
from board.extract.pay import pay_range_line
from board.extract.source import Source, SourceError

NAME = "taleo"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("section", "portal", "org", "cws")
URL_FORMS = (
    "https://ORG.taleo.net/careersection/SECTION/jobsearch.ftl",
    "https://SUB.tbe.taleo.net/SITE/ats/careers/v2/searchResults?org=ORG&cws=N",
    "https://SUB.tbe.taleo.net/SITE/ats/servlet/Rss?org=ORG&cws=N",
)
_SECTION = re.compile(r"^/careersection/([^/?#]+)/")
_TBE_PATH = re.compile(r"^/([^/]+)/ats/", re.IGNORECASE)
_PORTAL = re.compile(r"portalNo\s*[:=]\s*['\"]?(\d+)|[?&;]portal=(\d+)")
_DATE = re.compile(
    r"^(\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}"
    r"|\d{1,2}[ -][A-Z][a-z]{2,8}[ -]\d{4})$"
)
_BLOCK_MARK = "!*!"
# jobdetail.ftl fills its page from `api.fillList('requisitionDescriptionInterface',
# 'descRequisition', ['...', ...])`: URL-encoded strings, the rich-text ones marked "!*!".
_FILL_LIST = re.compile(
    r"api\.fillList\(\s*['\"]requisitionDescriptionInterface['\"]\s*,\s*"
    r"['\"]descRequisition['\"]\s*,\s*\[(.*?)\]\s*\)",
    re.S,
)
_JS_STRING = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"", re.S)
_FIELD_SEPARATOR = "!|!"
_HEADERS = {"Accept": "application/json", "tz": "GMT+00:00", "X-Requested-With": "XMLHttpRequest"}


def is_business_edition(source: Source) -> bool:
    """Whether the url is a Taleo Business Edition site (…/SITE/ats/…)."""
    return bool(_TBE_PATH.match(urlsplit(source.url).path)) or ".tbe.taleo.net" in source.host


def tbe_feed_url(source: Source) -> str:
    """The Business Edition site's RSS feed: {origin}/SITE/ats/servlet/Rss?org=ORG&cws=N."""
    parts = urlsplit(source.url)
    match = _TBE_PATH.match(parts.path)
    query = {k.lower(): v for k, v in parse_qsl(parts.query)}
    org = str(source.get("org") or query.get("org") or "")
    cws = str(source.get("cws") or query.get("cws") or "")
    if not match or not org or not cws:
        raise SourceError(
            f"{source.id}: taleo business edition needs a "
            "https://SUB.tbe.taleo.net/SITE/ats/careers/v2/searchResults?org=ORG&cws=N url "
            "(or `org` and `cws` keys)"
        )
    return f"{source.origin}/{match.group(1)}/ats/servlet/Rss?" + urlencode(
        {"org": org, "cws": cws}
    )


def career_section(source: Source) -> str:
    """The career section: the `section` key, else /careersection/{X}/ in the url."""
    section = source.get("section")
    if not section:
        match = _SECTION.match(urlsplit(source.url).path)
        section = match.group(1) if match else ""
    if not section or section == "rest":
        raise SourceError(
            f"{source.id}: taleo needs a `section` key, a "
            "https://HOST/careersection/SECTION/jobsearch.ftl url, or a Business Edition "
            "https://SUB.tbe.taleo.net/SITE/ats/careers/v2/searchResults?org=ORG&cws=N url"
        )
    return str(section)


def check(source: Source) -> None:
    """Refuse an entry whose section (Enterprise) or org and cws (Business Edition) are unknown."""
    if is_business_edition(source) and not source.get("section"):
        tbe_feed_url(source)
    else:
        career_section(source)


def start(source: Source) -> list[NextRequest]:
    """Business Edition: the feed. Enterprise: the first search page (after reading the
    portal number from the section page when the entry does not give it)."""
    if is_business_edition(source) and not source.get("section"):
        return [NextRequest(tbe_feed_url(source), "feed", listing=True)]
    query = {k.lower(): v for k, v in parse_qsl(urlsplit(source.url).query)}
    portal = str(source.get("portal") or query.get("portal") or "")
    if portal:
        return [search_request(source, portal, 1)]
    url = f"{source.origin}/careersection/{career_section(source)}/jobsearch.ftl?lang=en"
    return [NextRequest(url, "section", listing=True)]


def parse_feed(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Every whole item of a Business Edition feed (taleo:reqId is the id)."""
    return read_feed(fetched, source)


def parse_section(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """The portal number declared in the jobsearch.ftl page (`portalNo: '...'`)."""
    page = Page()
    match = _PORTAL.search(fetched.text)
    if not match:
        return page.fail("no_portal", fetched.url)
    page.follow(search_request(source, match.group(1) or match.group(2), 1))
    return page


def search_request(source: Source, portal: str, number: int) -> NextRequest:
    """POST one page of /careersection/rest/jobboard/searchjobs (pages count from 1)."""
    payload = {
        "multilineEnabled": False,
        "sortingSelection": {"sortBySelectionParam": "3", "ascendingSortingOrder": "false"},
        "fieldData": {"fields": {"KEYWORD": source.search or "", "LOCATION": ""}, "valid": True},
        "filterSelectionParam": {"searchFilterSelections": []},
        "advancedSearchFiltersSelectionParam": {"searchFilterSelections": []},
        "pageNo": number,
    }
    return NextRequest(
        f"{source.origin}/careersection/rest/jobboard/searchjobs?lang=en&portal={portal}",
        "search",
        method="POST",
        json=payload,
        headers=_HEADERS,
        meta={"page": number, "portal": portal},
        listing=True,
    )


def parse_search(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Detail requests for one page, then the next until `pagingData.totalCount`."""
    page = Page()
    number = int(meta.get("page", 1))
    data = json_body(fetched, page)
    if data is None:
        return page
    if data.get("careerSectionUnAvailable"):
        return page.fail("section_unavailable", fetched.url)
    requisitions = data.get("requisitionList")
    paging = data.get("pagingData")
    if not isinstance(requisitions, list) or not isinstance(paging, dict):
        return page.fail("no_requisition_list", fetched.url)
    total = paging.get("totalCount")
    if not isinstance(total, int):
        return page.fail("no_total", fetched.url)
    for requisition in requisitions:
        request = detail_request(source, requisition)
        if request is None:
            page.drop("no_id", str(requisition)[:200])
        else:
            page.detail(request)
    size = paging.get("pageSize")
    size = size if isinstance(size, int) and size > 0 else len(requisitions)
    if number * size >= total:
        page.end = True
    elif requisitions:
        page.follow(search_request(source, str(meta.get("portal") or ""), number + 1))
    else:
        page.fail("short_listing", f"{fetched.url}: empty page {number} of {total}")
    return page


def detail_request(source: Source, requisition: Any) -> NextRequest | None:
    """The jobdetail.ftl page of one listed requisition, or None without an id."""
    if not isinstance(requisition, dict):
        return None
    job = str(requisition.get("contestNo") or requisition.get("jobId") or "")
    if not job:
        return None
    url = (
        f"{source.origin}/careersection/{career_section(source)}/jobdetail.ftl"
        f"?job={quote(job, safe='')}&lang=en"
    )
    listed = {**listing_fields(requisition), "url": url, "source_id": job}
    return NextRequest(url, "detail", meta={"listed": listed})


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One posting: the listed fields plus the page's description (initialHistory, else
    JSON-LD, whose dates and place fill what the listing lacked)."""
    page = Page()
    fields = dict(meta.get("listed") or {})
    postings = page_postings(fetched.body, fetched.url)
    if postings:
        found = posting_fields(postings[0], fetched.url)
        for key in ("title", "location", "posted", "closes", "salary", "employment_type"):
            fields[key] = fields.get(key) or found.get(key)
        fields["description"] = found.get("description")
    history = history_description(fetched.body) or fill_list_description(fetched.text)
    if history:
        fields["description"] = history
    if not fields.get("description"):
        return page.fail("no_job_details", fetched.url)
    fields["salary"] = fields.get("salary") or pay_range_line(fields["description"])
    page.record(source, **fields)
    return page


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


def history_description(body: bytes) -> str | None:
    """The posting's HTML blocks from the hidden `initialHistory` input.

    Its value is a "!|!"-separated list of URL-encoded fields; the description,
    qualifications and other rich-text blocks are the fields marked "!*!".
    """
    element = parse_html(body).select_one("input#initialHistory")
    value = str(element.get("value") or "") if element is not None else ""
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


def fill_list_description(text: str) -> str | None:
    """The posting's rich-text blocks from jobdetail.ftl's `descRequisition` list (the
    longest entry when none is marked "!*!")."""
    match = _FILL_LIST.search(text)
    if not match:
        return None
    values = []
    for single, double in _JS_STRING.findall(match.group(1)):
        raw = re.sub(r"\\(.)", r"\1", single or double)
        values.append(unquote_plus(raw).strip())
    blocks = [v[len(_BLOCK_MARK) :].strip() for v in values if v.startswith(_BLOCK_MARK)]
    blocks = [b for b in dict.fromkeys(blocks) if b]
    if not blocks:
        longest = max(values, key=len, default="")
        blocks = [longest] if len(longest) > 200 else []
    return "\n".join(blocks) or None


STEPS = {
    "feed": parse_feed,
    "section": parse_section,
    "search": parse_search,
    "detail": parse_detail,
}
