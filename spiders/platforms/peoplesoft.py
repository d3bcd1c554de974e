"""PeopleSoft Candidate Gateway job search (HRS_HRAM_FL.HRS_CG_SEARCH_FL), self-hosted by
many universities and national labs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import scrapy
from parsel import Selector
from scrapy.http import Response

from spiders.base import PlatformSpider
from spiders.parsing import pay_range_line
from spiders.sources import Source, SourceError

COMPONENT = "HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL"
LOAD_MORE = "HRS_AGNT_RSLT_I$hdown$0"
_PATH = re.compile(r"^/ps[cp]/([^/]+)/([^/]+)/([^/]+)/c/", re.IGNORECASE)
_ROW_FIELD = re.compile(
    r"^(SCH_JOB_TITLE|HRS_APP_JBSCH_I_HRS_JOB_OPENING_ID|HRS_JOB_OPENING_ID|LOCATION|SCH_OPENED"
    r"|HRS_JO_PST_CLS_DT|HRS_APP_JBSCH_I_HRS_DEPT_DESCR)\$(\d+)$"
)
_TOTAL = re.compile(r"(\d[\d,]*)")
_SECTION_INDEX = re.compile(r"\$(\d+)")


def component_url(source: Source) -> str:
    """{origin}/psc/{site}/{portal}/{node}/c/HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL of the url.

    A /psp/ (portal frame) url is read as its /psc/ (content) page.
    """
    match = _PATH.match(urlsplit(source.url).path)
    if not match:
        raise SourceError(
            f"{source.id}: peoplesoft needs a https://HOST/psc/SITE/PORTAL/NODE/c/{COMPONENT} url"
        )
    site, portal, node = match.groups()
    return f"{source.origin}/psc/{site}/{portal}/{node}/c/{COMPONENT}"


def site_id(source: Source) -> str:
    """The Candidate Gateway site: the `site_id` key, else the url's SiteId, else 1."""
    query = {k.lower(): v for k, v in parse_qsl(urlsplit(source.url).query)}
    return str(source.get("site_id") or query.get("siteid") or "1")


class PeoplesoftSpider(PlatformSpider):
    """The anonymous job search page (the whole board), its "load more" postbacks until
    the "N jobs found" total, then each posting page (Page=HRS_APP_JBPST_FL).

    Source keys: `site_id` (else the url's SiteId, else 1). `search` is not sent: the
    keyword search is a stateful postback, so the spider reads the whole board.
    """

    name = "peoplesoft"
    optional_keys = ("site_id",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.component = component_url(self.source)
        self.site_id = site_id(self.source)
        self.listed: set[str] = set()

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Refuse an entry whose url is not a Candidate Gateway page."""
        super().check_source(source)
        component_url(source)

    def page_url(self, page: str, **params: str) -> str:
        """A Candidate Gateway page of this site (search or posting)."""
        query = {"Page": page, "Action": "U", "FOCUS": "Applicant", "SiteId": self.site_id}
        return f"{self.component}?{urlencode({**query, **params})}"

    def start_requests(self) -> Iterator[scrapy.Request]:
        """The job search page."""
        yield self.request(self.page_url("HRS_APP_SCHJOB_FL"), self.parse_search)

    def parse_search(self, response: Response) -> Iterator[Any]:
        """Posting requests for the rows not seen yet, then "load more" until the total."""
        if not response.xpath('//form[@name="win0"]'):
            self.fail_page("unexpected_page", response.url)  # sign-in, error or expired page
            return
        total = listed_total(response)
        if total is None:
            self.fail_page("no_total", response.url)
            return
        new = 0
        for row in listing_rows(response):
            job = row.get("HRS_APP_JBSCH_I_HRS_JOB_OPENING_ID") or row.get("HRS_JOB_OPENING_ID")
            if not job:
                self.drop("no_id", str(row)[:200])
                continue
            if job in self.listed:
                continue
            self.listed.add(job)
            new += 1
            yield self.posting_request(job, row)
        if len(self.listed) >= total:
            self.listing_complete()
        elif new:
            yield self.load_more(response)
        else:
            self.fail_page("short_listing", f"{response.url}: {len(self.listed)} of {total}")

    def load_more(self, response: Response) -> scrapy.Request:
        """Replay the page's win0 form with ICAction "load more" (a whole page comes back)."""
        form = response.xpath('//form[@name="win0"]')
        action = urlsplit(form.xpath("@action").get(""))
        url = self.url_for(action.path + (f"?{action.query}" if action.query else ""))
        fields = {**form_fields(form), "ICAction": LOAD_MORE, "ICAJAX": "0"}
        return scrapy.FormRequest(
            url if action.path else response.url,
            formdata=fields,
            callback=self.parse_search,
            errback=self.on_error,
            dont_filter=True,
        )

    def posting_request(self, job: str, row: dict[str, str]) -> scrapy.Request:
        """The posting page of one job opening."""
        url = self.page_url("HRS_APP_JBPST_FL", JobOpeningId=job, PostingSeq="1")
        listed = {
            "title": row.get("SCH_JOB_TITLE"),
            "location": row.get("LOCATION"),
            "posted": row.get("SCH_OPENED"),
            "closes": row.get("HRS_JO_PST_CLS_DT"),
            "url": url,
            "source_id": job,
        }
        return self.request(url, self.parse_posting, cb_kwargs={"listed": listed})

    def parse_posting(self, response: Response, listed: dict[str, Any]) -> Iterator[Any]:
        """One posting page: its title, type and labelled description sections."""
        opening = _text(response, "HRS_SCH_WRK2_HRS_JOB_OPENING_ID")
        if opening and opening != listed["source_id"]:
            self.fail_page("wrong_posting", f"{response.url}: shows {opening}")
            return
        sections = description_sections(response)
        if not sections:
            self.fail_page("no_posting_details", response.url)
            return
        fields = dict(listed)
        fields["title"] = _text(response, "HRS_SCH_WRK2_POSTING_TITLE") or fields["title"]
        fields["location"] = fields["location"] or _text(response, "HRS_SCH_WRK_HRS_DESCRLONG")
        kinds = (_text(response, f"HRS_SCH_WRK_HRS_{f}") for f in ("FULL_PART_TIME", "REG_TEMP"))
        fields["employment_type"] = ", ".join(k for k in kinds if k) or None
        fields["description"] = "\n".join(f"<h3>{k}</h3>\n{v}" for k, v in sections)
        pay = [Selector(text=v).xpath("string()").get("") for k, v in sections if _is_pay(k)]
        fields["salary"] = " ".join(" ".join(pay).split()) or pay_range_line(fields["description"])
        item = self.posting(**fields)
        if item is not None:
            yield item


def form_fields(form: Selector) -> dict[str, str]:
    """The values a browser would submit from a form (PeopleSoft replays all of them)."""
    fields: dict[str, str] = {}
    for element in form.xpath(".//input[@name] | .//select[@name] | .//textarea[@name]"):
        name = element.attrib["name"]
        kind = element.attrib.get("type", "text").lower()
        if kind in ("submit", "button", "image", "reset", "file"):
            continue
        if kind in ("checkbox", "radio") and "checked" not in element.attrib:
            continue
        if element.root.tag == "select":
            selected = element.xpath("option[@selected]/@value").get()
            value = selected if selected is not None else element.xpath("option/@value").get("")
        elif element.root.tag == "textarea":
            value = element.xpath("string()").get("")
        else:
            value = element.attrib.get("value", "on" if kind in ("checkbox", "radio") else "")
        fields.setdefault(name, value)
    return fields


def listing_rows(response: Response) -> list[dict[str, str]]:
    """Result rows: the text of each `FIELD$N` element, grouped by row index N."""
    rows: dict[int, dict[str, str]] = {}
    for element in response.xpath("//*[@id]"):
        match = _ROW_FIELD.match(element.attrib["id"])
        if match:
            text = " ".join(" ".join(element.xpath(".//text()").getall()).split())
            if text:
                rows.setdefault(int(match.group(2)), {}).setdefault(match.group(1), text)
    return [rows[index] for index in sorted(rows)]


def listed_total(response: Response) -> int | None:
    """The "N jobs found" banner's N, or None when the page has none."""
    banner = response.xpath(
        '//*[starts-with(@id, "win0divHRS_SCH_WRK_FLU_HRS_SES_CNTS_MSG")]//text()'
    ).getall()
    match = _TOTAL.search(" ".join(banner))
    return int(match.group(1).replace(",", "")) if match else None


def description_sections(response: Response) -> list[tuple[str, str]]:
    """(label, HTML) of each HRS_SCH_PSTDSC_DESCRLONG$N block with its DESCR100$N label."""
    labels: dict[str, str] = {}
    for element in response.xpath('//*[starts-with(@id, "HRS_SCH_WRK_DESCR100$")]'):
        index = _SECTION_INDEX.search(element.attrib["id"])
        text = " ".join(" ".join(element.xpath(".//text()").getall()).split())
        if index and text:
            labels.setdefault(index.group(1), text)
    sections: list[tuple[str, str]] = []
    for element in response.xpath('//*[starts-with(@id, "HRS_SCH_PSTDSC_DESCRLONG$")]'):
        index = _SECTION_INDEX.search(element.attrib["id"])
        body = "".join(element.xpath("node()").getall()).strip()
        if index and body:
            sections.append((labels.get(index.group(1), "Description"), body))
    return sections


def _text(response: Response, element_id: str) -> str | None:
    """The whitespace-collapsed text of the element with this id."""
    text = " ".join(" ".join(response.xpath(f'//*[@id="{element_id}"]//text()').getall()).split())
    return text or None


def _is_pay(label: str) -> bool:
    return bool(re.search(r"\b(salary|pay|compensation|hiring range)\b", label, re.IGNORECASE))
