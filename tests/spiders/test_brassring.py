"""Kenexa/IBM BrassRing Talent Gateway spider.

No recorded capture of a Talent Gateway exists in ../shared/fixtures: the brassring-*
responses under responses/ were written for these tests from the platform's documented
shapes (the home page's request token and session value, ProcessSortAndShowMoreJobs'
`Jobs.Job[].Questions` and `JobsCount`, JobDetails' `JobDetailQuestions`; see
responses/README.md).
"""

from __future__ import annotations

import json

import pytest

from spiders.sources import SourceError, source_from_mapping
from tests.spiders.helpers import build_spider, call, dropped, own_response, split, start

ORIGIN = "http://127.0.0.1:8992"
AJAX = f"{ORIGIN}/TgNewUI/Search/Ajax"
TOKEN = "CfDJ8Nq1vW0xR3tYz7aB-kE2mL9pQ4sU6wH8jF0dG5cV1bN3"


def spider_for_gateway(**entry: str) -> object:
    """A source on loopback with partner and site ids in the url, searching "research"."""
    return build_spider(
        "brassring",
        url=f"{ORIGIN}/TGnewUI/Search/Home/Home?partnerid=25240&siteid=5341",
        search="research",
        **entry,
    )


def first_page(spider: object, home: object = None) -> object:
    """The first job-search request, after the home page."""
    if home is None:
        (home,) = start(spider)
    (search,) = call(home, own_response("brassring-home.html"), kind="html")
    return search


def test_home_then_two_search_pages() -> None:
    """The token goes in the RFT header; pages 1 and 2 reach JobsCount 3."""
    spider = spider_for_gateway()
    (home,) = start(spider)
    assert home.url == f"{ORIGIN}/TGnewUI/Search/Home/Home?partnerid=25240&siteid=5341"
    search = first_page(spider, home)
    assert (search.method, search.url) == ("POST", f"{AJAX}/ProcessSortAndShowMoreJobs")
    assert search.headers["RFT"] == TOKEN.encode()
    body = json.loads(search.body)
    assert (body["partnerId"], body["siteId"], body["keyword"]) == ("25240", "5341", "research")
    assert body["pageNumber"] == 1
    assert body["encryptedSessionValue"] == "^Dm8kQ2xW7vN1pL4zR9tY6bH3sJ0fG5cE="
    _, requests = split(call(search, own_response("brassring-jobs-page1.json")))
    assert [json.loads(r.body).get("jobid") for r in requests[:2]] == ["2000316", "2000342"]
    assert requests[0].url == f"{AJAX}/JobDetails"
    assert json.loads(requests[-1].body)["pageNumber"] == 2
    assert not spider.complete
    _, more = split(call(requests[-1], own_response("brassring-jobs-page2.json")))
    assert [json.loads(r.body)["jobid"] for r in more] == ["2000377"]
    assert spider.complete


def test_job_details() -> None:
    """Labelled detail answers over the listing's fields."""
    spider = spider_for_gateway(location_fields="formtext8, formtext10")
    _, requests = split(call(first_page(spider), own_response("brassring-jobs-page1.json")))
    assert requests[1].cb_kwargs["meta"]["listed"]["location"] == "Boston, MA"
    (item,) = call(requests[0], own_response("brassring-jobdetails.json"))
    assert item["title"] == "Director of Research Computing & Data"
    assert item["location"] == "Cambridge, MA"
    assert item["salary"] == "$185,000 - $240,000"
    assert item["employment_type"] == "Full-time"
    assert item["posted"] == "03-Mar-2026"
    assert item["description"].startswith("<p>The Director of Research Computing & Data leads")
    assert item["source_id"] == "2000316"
    assert item["url"] == (
        "https://sjobs.brassring.com/TGnewUI/Search/home/HomeWithPreLoad"
        "?partnerid=25240&siteid=5341&PageType=JobDetails&jobid=2000316"
    )


def test_malformed_responses_keep_the_run_incomplete() -> None:
    """Truncated JSON, an empty page before the total, a job without reqid, no details."""
    spider = spider_for_gateway()
    search = first_page(spider)
    assert call(search, own_response("brassring-jobs-page1.json")[:400]) == []
    assert call(search, {"JobsCount": 3, "Jobs": None}) == []
    page = json.loads(own_response("brassring-jobs-page2.json"))
    page["Jobs"]["Job"].append({"Questions": [{"QuestionName": "jobtitle", "Value": "No id"}]})
    page["JobsCount"] = 2
    _, requests = split(call(search, page))
    assert len(requests) == 1
    assert call(requests[0], {"ServiceResponse": {"Jobdetails": None}}) == []
    assert dropped(spider) == {
        "malformed_json": 1,
        "short_listing": 1,
        "no_id": 1,
        "no_job_details": 1,
    }
    assert not spider.complete


def test_home_page_without_token_and_bad_url() -> None:
    """No request token: nothing is asked; a url without partner and site ids is refused."""
    spider = spider_for_gateway()
    assert call(start(spider)[0], "<html><body>Maintenance</body></html>", kind="html") == []
    assert dropped(spider) == {"no_session_token": 1}
    with pytest.raises(SourceError, match="^br-x: brassring needs"):
        source_from_mapping(
            {
                "id": "br-x",
                "institution": "X",
                "platform": "brassring",
                "url": "https://sjobs.brassring.com/TGnewUI/Search/Home/Home?partnerid=1",
            }
        )
