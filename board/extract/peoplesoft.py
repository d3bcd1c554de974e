"""PeopleSoft Candidate Gateway job search (HRS_HRAM_FL.HRS_CG_SEARCH_FL, Fluid; HRS_CE on
classic pages), self-hosted by many universities and national labs.

URL form: https://HOST/psc/SITE/PORTAL/NODE/c/HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL[?...SiteId=N]
(a /psp/ portal-frame url is read as its /psc/ content page), or the classic
https://HOST/psc/SITE/PORTAL/NODE/c/HRS_HRAM.HRS_CE.GBL job list. Keys: `site_id`
(else the url's SiteId, else 1), `search`: the keyword a board too large to list whole
("Only the first 500 jobs can be displayed") is searched by instead.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from bs4 import BeautifulSoup
from bs4.element import Tag

from board.extract.html import document_complete, inner_html, parse_html, text_of
from board.extract.page import Fetched, NextRequest, Page
from board.extract.pay import pay_range_line
from board.extract.source import Source, SourceError

NAME = "peoplesoft"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("site_id",)
URL_FORMS = (
    "https://HOST/psc/SITE/PORTAL/NODE/c/HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL?Page=HRS_APP_SCHJOB_FL",
    "https://HOST/psc/SITE/PORTAL/NODE/c/HRS_HRAM.HRS_CE.GBL (classic job list)",
)
COMPONENT = "HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL"
CLASSIC = "HRS_HRAM.HRS_CE.GBL"
_CLASSIC_ROW = re.compile(
    r"^(POSTINGTITLE|JOBNUMBER|HRS_LOCATION_DESCR|OPENED|HRS_JO_PST_CLS_DT)\$(\d+)$"
)
_COUNTER = re.compile(r"(\d[\d,]*)\s*-\s*(\d[\d,]*)\s+of\s+(\d[\d,]*)", re.IGNORECASE)
LOAD_MORE = "HRS_AGNT_RSLT_I$hdown$0"
SEARCH_BUTTON = "HRS_SCH_WRK_FLU_HRS_SEARCH_BTN"
KEYWORD_FIELD = "HRS_SCH_WRK_HRS_SCH_TEXT100"
_PATH = re.compile(r"^/ps[cp]/([^/]+)/([^/]+)/([^/]+)/c/", re.IGNORECASE)
_ROW_FIELD = re.compile(
    r"^(SCH_JOB_TITLE|HRS_APP_JBSCH_I_HRS_JOB_OPENING_ID|HRS_JOB_OPENING_ID|LOCATION|SCH_OPENED"
    r"|HRS_JO_PST_CLS_DT|HRS_CLS_DT_DESCR|HRS_APP_JBSCH_I_HRS_DEPT_DESCR)\$(\d+)$"
)
_TOTAL = re.compile(r"(\d[\d,]*)")
_CAP = re.compile(r"only the first\s+(\d[\d,]*)\s+jobs?\s+can\s+be\s+displayed", re.IGNORECASE)
_NONE_FOUND = re.compile(
    r"\bno (?:jobs|job openings|matching jobs)\b.*\bfound\b|\b0 jobs found\b", re.I
)
_SECTION_INDEX = re.compile(r"\$(\d+)")
_CLOSE_IDS = (
    "HRS_SCH_WRK_HRS_JO_PST_CLS_DT",
    "IFA_HRS_SCH_WRK_HRS_JO_PST_CLS_DT",
    "HRS_SCH_WRK2_HRS_JO_PST_CLS_DT",
    "HRS_SCH_WRK_HRS_CLS_DT_DESCR",
)
_OPEN_IDS = (
    "HRS_SCH_WRK_HRS_JO_PST_OPN_DT",
    "IFA_HRS_SCH_WRK_OPEN_DT",
    "HRS_SCH_WRK2_HRS_JO_PST_OPN_DT",
)


def is_classic(source: Source) -> bool:
    """Whether the url is the classic Candidate Gateway (HRS_HRAM.HRS_CE.GBL)."""
    return CLASSIC in urlsplit(source.url).path.upper()


def component_url(source: Source) -> str:
    """{origin}/psc/{site}/{portal}/{node}/c/COMPONENT of the url: the Fluid search
    (HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL), or the classic HRS_HRAM.HRS_CE.GBL it names."""
    match = _PATH.match(urlsplit(source.url).path)
    if not match:
        raise SourceError(
            f"{source.id}: peoplesoft needs a https://HOST/psc/SITE/PORTAL/NODE/c/{COMPONENT} url"
        )
    site, portal, node = match.groups()
    component = CLASSIC if is_classic(source) else COMPONENT
    return f"{source.origin}/psc/{site}/{portal}/{node}/c/{component}"


def site_id(source: Source) -> str:
    """The Candidate Gateway site: the `site_id` key, else the url's SiteId, else 1."""
    query = {k.lower(): v for k, v in parse_qsl(urlsplit(source.url).query)}
    return str(source.get("site_id") or query.get("siteid") or "1")


def check(source: Source) -> None:
    """Refuse an entry whose url is not a Candidate Gateway page."""
    component_url(source)


def page_url(source: Source, page: str, **params: str) -> str:
    """A Candidate Gateway page of this site (search or posting)."""
    query = {"Page": page, "Action": "U", "FOCUS": "Applicant", "SiteId": site_id(source)}
    return f"{component_url(source)}?{urlencode({**query, **params})}"


def start(source: Source) -> list[NextRequest]:
    """The job search page (the whole board)."""
    if is_classic(source):
        query = urlsplit(source.url).query  # the list as the browser showed it
        url = component_url(source) + (f"?{query}" if query else "")
        return [NextRequest(url, "classic", listing=True)]
    return [NextRequest(page_url(source, "HRS_APP_SCHJOB_FL"), "search", listing=True)]


def parse_classic(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """The classic job list (POSTINGTITLE$N, JOBNUMBER$N, ...): postings, then the grid's
    next-rows postback until the grid counter ("1-50 of 230") is reached."""
    page = Page()
    soup = parse_html(fetched.body)
    form = soup.find("form", attrs={"name": "win0"})
    if form is None:
        return page.fail("unexpected_page", fetched.url)
    rows: dict[int, dict[str, str]] = {}
    for element in soup.find_all(id=_CLASSIC_ROW):
        match = _CLASSIC_ROW.match(str(element["id"]))
        if match and text_of(element):
            rows.setdefault(int(match.group(2)), {}).setdefault(match.group(1), text_of(element))
    listed = set(meta.get("listed") or ())
    for index in sorted(rows):
        row = rows[index]
        job = row.get("JOBNUMBER")
        if not job:
            page.drop("no_id", str(row)[:200])
            continue
        if job in listed:
            continue
        listed.add(job)
        url = f"{component_url(source)}?" + urlencode(
            {"Page": "HRS_CE_JOB_DTL", "Action": "A", "JobOpeningId": job,
             "SiteId": site_id(source), "PostingSeq": "1"}
        )  # fmt: skip
        fields = {
            "title": row.get("POSTINGTITLE"),
            "location": row.get("HRS_LOCATION_DESCR"),
            "posted": row.get("OPENED"),
            "closes": row.get("HRS_JO_PST_CLS_DT"),
            "url": url,
            "source_id": job,
        }
        page.detail(NextRequest(url, "posting", meta={"listed": fields}))
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    counter = _COUNTER.search(text_of(soup.body or soup))
    total = int(counter.group(3).replace(",", "")) if counter else None
    if total is None and not rows:
        if _NONE_FOUND.search(text_of(soup.body or soup)):
            page.end = True
            return page
        return page.fail("no_total", fetched.url)
    if total is None or len(listed) >= total:
        page.end = True  # one grid shows every row (no counter), or the counter is reached
        return page
    more = soup.find(id=re.compile(r"\$hdown\$\d+$"))
    if more is None or not page.listed:
        return page.fail("short_listing", f"{fetched.url}: {len(listed)} of {total}")
    replay = {**form_fields(form), "ICAction": str(more["id"]), "ICAJAX": "0"}
    request = _postback(fetched, source, form, replay, {"listed": sorted(listed)})
    page.follow(NextRequest(request.url, "classic", method="POST", form=request.form,
                            meta=request.meta, listing=True))  # fmt: skip
    return page


def parse_search(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Posting requests for rows not seen yet, then "load more" until the total. A board
    that shows only its first N jobs is searched by the `search` keyword instead."""
    page = Page()
    soup = parse_html(fetched.body)
    form = soup.find("form", attrs={"name": "win0"})
    if form is None:
        return page.fail("unexpected_page", fetched.url)  # sign-in, error or expired page
    keyword = meta.get("keyword")
    cap = _CAP.search(text_of(soup.body or soup))
    if cap and not keyword:
        if source.search:
            fields = {**form_fields(form), KEYWORD_FIELD: source.search, "ICAction": SEARCH_BUTTON}
            page.follow(_postback(fetched, source, form, fields, {"keyword": source.search}))
            return page
        for row in listing_rows(soup):  # what the capped board shows is still stored
            job = row.get("HRS_APP_JBSCH_I_HRS_JOB_OPENING_ID") or row.get("HRS_JOB_OPENING_ID")
            if job:
                page.detail(posting_request(source, job, row))
        return page.fail(
            "listing_capped",
            f"{fetched.url}: the board shows only its first {cap.group(1)} jobs; "
            "set `search` to read it by keyword",
        )
    if cap:
        return page.fail("listing_capped", f"{fetched.url}: {keyword!r} still finds too many")
    total = listed_total(soup)
    rows = listing_rows(soup)
    if total is None:
        if not rows and _NONE_FOUND.search(text_of(soup.body or soup)):
            total = 0
        else:
            return page.fail("no_total", fetched.url)
    listed = set(meta.get("listed") or ())
    new = 0
    for row in rows:
        job = row.get("HRS_APP_JBSCH_I_HRS_JOB_OPENING_ID") or row.get("HRS_JOB_OPENING_ID")
        if not job:
            page.drop("no_id", str(row)[:200])
            continue
        if job in listed:
            continue
        listed.add(job)
        new += 1
        page.detail(posting_request(source, job, row))
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    if len(listed) >= total:
        page.end = True
    elif new:
        fields = {**form_fields(form), "ICAction": LOAD_MORE, "ICAJAX": "0"}
        page.follow(
            _postback(fetched, source, form, fields, {"listed": sorted(listed), "keyword": keyword})
        )
    else:
        page.fail("short_listing", f"{fetched.url}: {len(listed)} of {total}")
    return page


def _postback(
    fetched: Fetched, source: Source, form: Tag, fields: dict[str, str], meta: dict[str, Any]
) -> NextRequest:
    """Replay the page's win0 form (to the source's own origin) with these fields."""
    action = urlsplit(str(form.get("action") or ""))
    if action.path:
        url = urljoin(
            source.origin + "/", action.path + (f"?{action.query}" if action.query else "")
        )
    else:
        url = fetched.url
    return NextRequest(
        url,
        "search",
        method="POST",
        form={k: v for k, v in fields.items() if v is not None},
        meta={k: v for k, v in meta.items() if v is not None},
        listing=True,
    )


def posting_request(source: Source, job: str, row: dict[str, str]) -> NextRequest:
    """The posting page of one job opening, with what the listing row said."""
    url = page_url(source, "HRS_APP_JBPST_FL", JobOpeningId=job, PostingSeq="1")
    listed = {
        "title": row.get("SCH_JOB_TITLE"),
        "location": row.get("LOCATION"),
        "posted": row.get("SCH_OPENED"),
        "closes": row.get("HRS_JO_PST_CLS_DT") or row.get("HRS_CLS_DT_DESCR"),
        "url": url,
        "source_id": job,
    }
    return NextRequest(url, "posting", meta={"listed": listed})


def parse_posting(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One posting page: its title, dates, type and labelled description sections."""
    page = Page()
    soup = parse_html(fetched.body)
    listed = dict(meta.get("listed") or {})
    opening = _text(soup, "HRS_SCH_WRK2_HRS_JOB_OPENING_ID")
    if opening and listed.get("source_id") and opening != listed["source_id"]:
        return page.fail("wrong_posting", f"{fetched.url}: shows {opening}")
    sections = description_sections(soup) or _long_text_sections(soup)
    if not sections:
        return page.fail("no_posting_details", fetched.url)
    if not document_complete(fetched.body):
        return page.fail("truncated_page", fetched.url)
    fields = dict(listed)
    fields["title"] = _text(soup, "HRS_SCH_WRK2_POSTING_TITLE") or fields.get("title")
    fields["location"] = fields.get("location") or _text(soup, "HRS_SCH_WRK_HRS_DESCRLONG")
    fields["closes"] = _first(soup, _CLOSE_IDS) or fields.get("closes")
    fields["posted"] = fields.get("posted") or _first(soup, _OPEN_IDS)
    kinds = (_text(soup, f"HRS_SCH_WRK_HRS_{f}") for f in ("FULL_PART_TIME", "REG_TEMP"))
    fields["employment_type"] = ", ".join(k for k in kinds if k) or None
    fields["description"] = "\n".join(f"<h3>{k}</h3>\n{v}" for k, v in sections)
    pay = [text_of(BeautifulSoup(v, "lxml")) for k, v in sections if _is_pay(k)]
    fields["salary"] = " ".join(" ".join(pay).split()) or pay_range_line(fields["description"])
    page.record(source, **fields)
    return page


def form_fields(form: Tag) -> dict[str, str]:
    """The values a browser would submit from a form (PeopleSoft replays all of them)."""
    fields: dict[str, str] = {}
    for element in form.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        if not name:
            continue
        kind = str(element.get("type") or "text").lower()
        if kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind in ("checkbox", "radio") and not element.has_attr("checked"):
            continue
        if element.name == "select":
            option = element.find("option", selected=True) or element.find("option")
            value = str(option.get("value") or "") if option is not None else ""
        elif element.name == "textarea":
            value = element.get_text()
        else:
            value = str(element.get("value") or ("on" if kind in ("checkbox", "radio") else ""))
        fields.setdefault(str(name), value)
    return fields


def listing_rows(soup: Tag) -> list[dict[str, str]]:
    """Result rows: the text of each `FIELD$N` element, grouped by row index N."""
    rows: dict[int, dict[str, str]] = {}
    for element in soup.find_all(id=_ROW_FIELD):
        match = _ROW_FIELD.match(str(element["id"]))
        text = text_of(element)
        if match and text:
            rows.setdefault(int(match.group(2)), {}).setdefault(match.group(1), text)
    return [rows[index] for index in sorted(rows)]


def listed_total(soup: Tag) -> int | None:
    """The "N jobs found" banner's N, or None when the page has none."""
    banner = soup.find(id=re.compile(r"^win0divHRS_SCH_WRK_FLU_HRS_SES_CNTS_MSG"))
    match = _TOTAL.search(text_of(banner)) if banner is not None else None
    return int(match.group(1).replace(",", "")) if match else None


def description_sections(soup: Tag) -> list[tuple[str, str]]:
    """(label, HTML) of each HRS_SCH_PSTDSC_DESCRLONG$N block with its DESCR100$N label."""
    labels: dict[str, str] = {}
    for element in soup.find_all(id=re.compile(r"^HRS_SCH_WRK_DESCR100\$")):
        index = _SECTION_INDEX.search(str(element["id"]))
        text = text_of(element)
        if index and text:
            labels.setdefault(index.group(1), text)
    sections: list[tuple[str, str]] = []
    for element in soup.find_all(id=re.compile(r"^HRS_SCH_PSTDSC_DESCRLONG\$")):
        index = _SECTION_INDEX.search(str(element["id"]))
        body = inner_html(element)
        if index and body:
            sections.append((labels.get(index.group(1), "Description"), body))
    return sections


def _text(soup: Tag, element_id: str) -> str | None:
    """The whitespace-collapsed text of the element with this id."""
    return text_of(soup.find(id=element_id)) or None


def _first(soup: Tag, ids: tuple[str, ...]) -> str | None:
    """The text of the first of these ids the page has."""
    for element_id in ids:
        text = _text(soup, element_id)
        if text:
            return text
    return None


def _long_text_sections(soup: Tag) -> list[tuple[str, str]]:
    """A classic posting page's long text boxes (PSLONGEDITBOX), when it has no labelled
    description sections."""
    boxes = [inner_html(b) for b in soup.select(".PSLONGEDITBOX") if len(text_of(b)) > 80]
    return [("Description", box) for box in boxes]


def _is_pay(label: str) -> bool:
    return bool(re.search(r"\b(salary|pay|compensation|hiring range)\b", label, re.IGNORECASE))


STEPS = {"search": parse_search, "classic": parse_classic, "posting": parse_posting}
