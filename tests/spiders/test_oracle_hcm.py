"""Oracle Recruiting Cloud spider over the recorded responses in ../shared/fixtures/oracle-hcm."""

from __future__ import annotations

import json
from urllib.parse import unquote

from board.extract import oracle_hcm
from tests.shared import read_fixture
from tests.spiders.helpers import build_spider, call, dropped, split, start

ORIGIN = "http://127.0.0.1:8996"


def spider_for_site() -> object:
    """A source pointed at loopback, site number from the Candidate Experience url."""
    return build_spider(
        "oracle_hcm",
        url=f"{ORIGIN}/hcmUI/CandidateExperience/en/sites/healthpartners/requisitions",
        search="research computing",
    )


def test_list_request_finder() -> None:
    """findReqs carries the site number, the quoted keyword, limit and offset."""
    (first,) = start(spider_for_site())
    url = unquote(first.url)
    assert url.startswith(f"{ORIGIN}/hcmRestApi/resources/latest/recruitingCEJobRequisitions?")
    assert (
        'finder=findReqs;siteNumber=healthpartners,keyword="research computing",'
        "limit=25,offset=0,sortBy=POSTING_DATES_DESC"
    ) in url


def test_list_then_detail() -> None:
    """Six requisitions (TotalJobsCount 6): six detail requests, listing complete."""
    spider = spider_for_site()
    _, requests = split(
        call(start(spider)[0], read_fixture("oracle-hcm/healthpartners-requisitions-list.json"))
    )
    assert len(requests) == 6
    assert 'finder=ById;Id="123459",siteNumber=healthpartners' in unquote(requests[0].url)
    assert spider.complete
    (item,) = call(requests[0], read_fixture("oracle-hcm/jpmc-requisition-details.json"))
    assert item["title"] == "Lead Software Engineer"
    assert item["location"].startswith("San Francisco, CA, United States; Seattle, WA")
    assert item["salary"].startswith("San Francisco,CA $156,750.00-$215,000.00")
    assert item["posted"] == "2026-09-25T18:36:44+00:00"
    assert item["employment_type"] == "Full time"
    assert item["source_id"] == "210779517"
    assert item["url"].endswith("/hcmUI/CandidateExperience/en/sites/healthpartners/job/210779517")


def test_trimmed_detail() -> None:
    """The author-trimmed Amex detail still gives a posting with its description parts."""
    spider = spider_for_site()
    request = spider.make_request(oracle_hcm.detail_request(spider.source, {"Id": "26011990"}))
    (item,) = call(request, read_fixture("oracle-hcm/amex-egug-requisition-details.json"))
    assert item["location"] == "Phoenix, AZ, United States"
    assert "Minimum Qualifications" in item["description"]


def test_multi_page_listing() -> None:
    """TotalJobsCount 30 with 25 per page: a second page at offset 25, then complete."""
    spider = spider_for_site()
    page = json.loads(read_fixture("oracle-hcm/healthpartners-requisitions-list.json"))
    page["items"][0]["TotalJobsCount"] = 30
    _, requests = split(call(start(spider)[0], page))
    assert "offset=25" in unquote(requests[-1].url)
    assert not spider.complete
    page["items"][0]["requisitionList"] = [{"Id": "999", "Title": "HPC Manager"}]
    _, requests = split(call(requests[-1], page, status=200))
    assert len(requests) == 1
    assert spider.complete


def test_bad_pages() -> None:
    """An HTML sign-in page and an empty detail are dropped; the listing stays incomplete."""
    spider = spider_for_site()
    assert call(start(spider)[0], "<html><title>Sign In</title></html>") == []
    request = spider.make_request(oracle_hcm.detail_request(spider.source, {"Id": "1"}))
    assert call(request, {"items": [], "count": 0, "hasMore": False}) == []
    assert dropped(spider) == {"html_not_json": 1, "no_requisition_detail": 1}
    assert not spider.complete
