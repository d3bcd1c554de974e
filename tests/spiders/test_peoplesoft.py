"""PeopleSoft Candidate Gateway spider.

No recorded capture of a Candidate Gateway exists in ../shared/fixtures: the peoplesoft-*
responses under responses/ were written for these tests from the platform's documented
page shapes (the fluid search grid's `FIELD$N` ids and "N jobs found" banner, the win0
postback form, the HRS_APP_JBPST_FL posting page; see responses/README.md).
"""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from spiders.sources import SourceError, source_from_mapping
from tests.spiders.helpers import build_spider, call, dropped, own_response, split, start

ORIGIN = "http://127.0.0.1:8994"
COMPONENT = f"{ORIGIN}/psc/hrprd_er/EMPLOYEE/HRMS/c/HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL"


def spider_for_site() -> object:
    """A source whose url is the /psp/ (portal frame) form of the search page, SiteId 3."""
    return build_spider(
        "peoplesoft",
        url=f"{ORIGIN}/psp/hrprd_er/EMPLOYEE/HRMS/c/HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL"
        "?Page=HRS_APP_SCHJOB_FL&Action=U&SiteId=3",
    )


def posting_url(job: str) -> str:
    """The posting page the spider asks for."""
    return (
        f"{COMPONENT}?Page=HRS_APP_JBPST_FL&Action=U&FOCUS=Applicant&SiteId=3"
        f"&JobOpeningId={job}&PostingSeq=1"
    )


def test_search_page_then_load_more_until_the_total() -> None:
    """Two rows of 3, a "load more" postback to the source's origin, then the third row."""
    spider = spider_for_site()
    (first,) = start(spider)
    assert first.url == f"{COMPONENT}?Page=HRS_APP_SCHJOB_FL&Action=U&FOCUS=Applicant&SiteId=3"
    _, requests = split(call(first, own_response("peoplesoft-search-page1.html"), kind="html"))
    assert [r.url for r in requests[:2]] == [posting_url("48211"), posting_url("48230")]
    more = requests[2]
    assert (more.method, more.url) == ("POST", COMPONENT)
    form = parse_qs(more.body.decode())
    assert form["ICAction"] == ["HRS_AGNT_RSLT_I$hdown$0"]
    assert form["ICStateNum"] == ["1"]
    assert form["ICSID"] == ["a7Qm2WnN1xVb0c9kEwzYtL4pRsUd3HfGjKqXoIy5TeM"]
    assert not spider.complete
    # The postback answers the whole grid again, three rows: only the new one is requested.
    _, rest = split(call(more, own_response("peoplesoft-search-page2.html"), kind="html"))
    assert [r.url for r in rest] == [posting_url("48302")]
    assert spider.complete
    listed = requests[0].cb_kwargs["meta"]["listed"]
    assert (listed["posted"], listed["closes"]) == ("03/02/2026", "04/01/2026")


def test_posting_page() -> None:
    """Title, type and the labelled description sections; the pay section is the salary."""
    spider = spider_for_site()
    _, requests = split(
        call(start(spider)[0], own_response("peoplesoft-search-page1.html"), kind="html")
    )
    (item,) = call(requests[0], own_response("peoplesoft-posting.html"), kind="html")
    assert item["title"] == "Director, Research Computing Services"
    assert item["location"] == "Evanston"
    assert item["employment_type"] == "Full-Time, Regular"
    assert item["salary"] == "$175,000 - $215,000 per year"
    assert item["posted"] == "03/02/2026"
    assert item["closes"] == "04/01/2026"
    assert item["description"].startswith("<h3>Job Summary</h3>\n<p>The Director of Research")
    assert "<h3>Minimum Qualifications</h3>" in item["description"]
    assert item["source_id"] == "48211"
    assert item["url"] == posting_url("48211")


def test_malformed_pages_keep_the_run_incomplete() -> None:
    """A sign-in page, a grid without its banner, a postback adding nothing, a posting page
    for another opening and one without a description."""
    spider = spider_for_site()
    (first,) = start(spider)
    assert call(first, "<html><body><form name='login'>Sign In</form></body></html>") == []
    page1 = own_response("peoplesoft-search-page1.html").decode()
    no_banner = page1.replace("<b>3</b> jobs found.", "")
    assert call(first, no_banner, kind="html") == []
    _, requests = split(call(first, page1, kind="html"))
    assert call(requests[-1], page1, kind="html") == []
    other = own_response("peoplesoft-posting.html").replace(b">48211<", b">48999<")
    assert call(requests[1], other, kind="html") == []
    empty = "<html><body><form name='win0'><span id='HRS_SCH_WRK2_POSTING_TITLE'>X</span>"
    assert call(requests[0], empty, kind="html") == []
    assert dropped(spider) == {
        "unexpected_page": 1,
        "no_total": 1,
        "short_listing": 1,
        "wrong_posting": 1,
        "no_posting_details": 1,
    }
    assert not spider.complete


def test_url_must_be_a_candidate_gateway_page() -> None:
    """A url without /psc/SITE/PORTAL/NODE/c/ is refused naming the entry."""
    with pytest.raises(SourceError, match="^ps-x: peoplesoft needs"):
        source_from_mapping(
            {"id": "ps-x", "institution": "X", "platform": "peoplesoft", "url": "https://x.edu/"}
        )
