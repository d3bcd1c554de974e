"""Oracle Taleo Enterprise spider.

No recorded capture of a Taleo career section exists in ../shared/fixtures: the taleo-*
responses under responses/ were written for these tests from the platform's documented
shapes (the section page's `portalNo`, the REST search's `requisitionList`/`pagingData`,
the detail page's `initialHistory` blob; see responses/README.md).
"""

from __future__ import annotations

import json

import pytest

from spiders.sources import SourceError, source_from_mapping
from tests.spiders.helpers import build_spider, call, dropped, own_response, split, start
from tests.spiders.helpers import detail as request_to

ORIGIN = "http://127.0.0.1:8993"
SEARCH = f"{ORIGIN}/careersection/rest/jobboard/searchjobs?lang=en&portal=101430233"


def spider_for_section(**entry: str) -> object:
    """A source for career section 2 on loopback, searching "computing"."""
    return build_spider(
        "taleo", url=f"{ORIGIN}/careersection/2/jobsearch.ftl", search="computing", **entry
    )


def test_portal_from_section_page_then_two_search_pages() -> None:
    """The portal number comes from jobsearch.ftl; pages 1 and 2 reach totalCount 3."""
    spider = spider_for_section()
    (section,) = start(spider)
    assert section.url == f"{ORIGIN}/careersection/2/jobsearch.ftl?lang=en"
    (search,) = call(section, own_response("taleo-jobsearch.html"), kind="html")
    assert search.url == SEARCH
    assert search.method == "POST"
    body = json.loads(search.body)
    assert body["pageNo"] == 1
    assert body["fieldData"]["fields"]["KEYWORD"] == "computing"
    _, requests = split(call(search, own_response("taleo-searchjobs-page1.json")))
    assert [r.url for r in requests] == [
        f"{ORIGIN}/careersection/2/jobdetail.ftl?job=106455&lang=en",
        f"{ORIGIN}/careersection/2/jobdetail.ftl?job=106512&lang=en",
        SEARCH,
    ]
    assert json.loads(requests[-1].body)["pageNo"] == 2
    assert not spider.complete
    _, more = split(call(requests[-1], own_response("taleo-searchjobs-page2.json")))
    assert [r.url for r in more] == [f"{ORIGIN}/careersection/2/jobdetail.ftl?job=106533&lang=en"]
    assert spider.complete
    assert requests[1].cb_kwargs["meta"]["listed"]["location"] == "US-CA-Berkeley; US-CA-Oakland"


def test_detail_page_description_from_initial_history() -> None:
    """The listed title, place and date, with the description blocks of initialHistory."""
    spider = spider_for_section(portal="101430233")
    (search,) = start(spider)
    assert search.url == SEARCH
    _, requests = split(call(search, own_response("taleo-searchjobs-page1.json")))
    (item,) = call(requests[0], own_response("taleo-jobdetail.html"), kind="html")
    assert item["title"] == "Director, Scientific Computing & Data"
    assert item["location"] == "US-CA-Berkeley"
    assert item["posted"] == "Mar 2, 2026"
    assert item["description"].startswith("<p><b>Director, Scientific Computing &amp; Data")
    assert item["description"].count("Lead the laboratory's scientific computing group") == 1
    assert "Ten years in research computing" in item["description"]
    assert item["salary"] == "The salary range for this position is $210,000 - $260,000 annually"
    assert item["source_id"] == "106455"
    assert item["url"] == f"{ORIGIN}/careersection/2/jobdetail.ftl?job=106455&lang=en"
    assert item["institution"] == "Test University"


def test_malformed_responses_keep_the_run_incomplete() -> None:
    """A sign-in page, a closed section, a short page and a detail without a posting."""
    spider = spider_for_section(portal="101430233")
    (search,) = start(spider)
    assert call(search, "<html><body>Your session has expired.</body></html>") == []
    assert call(search, {"careerSectionUnAvailable": True}) == []
    short = {"requisitionList": [], "pagingData": {"pageSize": 25, "totalCount": 40}}
    assert call(search, short) == []
    truncated = own_response("taleo-searchjobs-page1.json")[:300]
    assert call(search, truncated) == []
    detail = request_to(
        spider,
        f"{ORIGIN}/careersection/2/jobdetail.ftl?job=9",
        listed={"title": "Gone", "source_id": "9"},
    )
    page = "<html><body><p>This job is no longer available.</p></body></html>"
    assert call(detail, page, kind="html") == []
    assert dropped(spider) == {
        "html_not_json": 1,
        "section_unavailable": 1,
        "short_listing": 1,
        "malformed_json": 1,
        "no_job_details": 1,
    }
    assert not spider.complete


def test_listed_requisition_without_id_is_dropped() -> None:
    """A requisition without ids is dropped; the rest of the page goes on."""
    spider = spider_for_section(portal="101430233")
    page = json.loads(own_response("taleo-searchjobs-page2.json"))
    page["requisitionList"].insert(0, {"column": ["No id"]})
    page["pagingData"] = {"currentPageNo": 1, "pageSize": 25, "totalCount": 2}
    _, requests = split(call(start(spider)[0], page))
    assert len(requests) == 1
    assert dropped(spider) == {"no_id": 1}
    assert spider.complete


def test_section_page_without_portal_and_bad_url() -> None:
    """No portal number on the section page fails it; a url without a section is refused."""
    spider = spider_for_section()
    assert call(start(spider)[0], "<html><title>Career Section Unavailable</title></html>") == []
    assert dropped(spider) == {"no_portal": 1}
    with pytest.raises(SourceError, match="^tl-x: taleo needs"):
        source_from_mapping(
            {"id": "tl-x", "institution": "X", "platform": "taleo", "url": "https://x.taleo.net/"}
        )
