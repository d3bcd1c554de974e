"""PageUp, EURAXESS and PeopleAdmin spiders.

No recorded captures exist for these platforms: the responses under responses/ were
written for these tests from the platforms' documented page shapes (see responses/README.md).
"""

from __future__ import annotations

import pytest

from spiders.sources import SourceError, source_from_mapping
from tests.spiders.helpers import (
    build_spider,
    call,
    detail,
    dropped,
    own_response,
    split,
    start,
)

ORIGIN = "http://127.0.0.1:8995"


def test_pageup_listing_more_jobs_and_job_page() -> None:
    """Two listing pages joined by "More jobs" (one job on both), then a job page."""
    spider = build_spider("pageup", url=f"{ORIGIN}/513/cw/en/listing/")
    (first,) = start(spider)
    assert first.url == f"{ORIGIN}/513/cw/en/listing/"
    _, requests = split(call(first, own_response("pageup-listing-page1.html"), kind="html"))
    assert [r.url for r in requests] == [
        f"{ORIGIN}/513/cw/en/job/519001/director-research-computing-services",
        f"{ORIGIN}/513/cw/en/job/519002/hpc-team-lead",
        f"{ORIGIN}/513/cw/en/listing/?page=2&page-items=20",
    ]
    assert not spider.complete
    _, more = split(call(requests[-1], own_response("pageup-listing-page2.html"), kind="html"))
    assert [r.url for r in more] == [f"{ORIGIN}/513/cw/en/job/519003/research-data-manager"]
    assert spider.complete
    (item,) = call(requests[0], own_response("pageup-job.html"), kind="html")
    assert item["title"] == "Director, Research Computing Services"
    assert item["location"] == "Parkville"
    assert item["employment_type"] == "Continuing full-time"
    assert item["posted"] == "2026-03-20T00:00:00+11:00"
    assert item["closes"] == "2026-04-12T23:59:00+10:00"
    assert item["salary"].startswith("Salary: $185,000 - $205,000")
    assert item["source_id"] == "519001"
    assert item["institution"] == "Test University"


def test_pageup_search_and_bad_pages() -> None:
    """`search` uses the keyword search; an error page and a detail-less job are dropped."""
    spider = build_spider(
        "pageup", url="https://careers.pageuppeople.com/513/cw/en/listing/", search="HPC"
    )
    (first,) = start(spider)
    assert first.url == "https://careers.pageuppeople.com/513/cw/en/search/?search-keyword=HPC"
    assert call(first, "<html><body><p>Service unavailable</p></body></html>", kind="html") == []
    job = detail(spider, f"{ORIGIN}/513/cw/en/job/1/x")
    assert call(job, "<html><body><h1>Job not found</h1></body></html>", kind="html") == []
    assert dropped(spider) == {"unexpected_listing": 1, "no_job_details": 1}
    assert not spider.complete


def test_pageup_needs_a_site_id() -> None:
    """A url without /ID/cw/en/ and no site_id key is refused naming the entry."""
    with pytest.raises(SourceError, match="^pu-x: pageup needs"):
        source_from_mapping(
            {"id": "pu-x", "institution": "X", "platform": "pageup", "url": "https://x.edu/"}
        )


def test_euraxess_search_pages_and_offer() -> None:
    """Result pages until one without a next link, then an offer's labelled facts."""
    spider = build_spider("euraxess", url=f"{ORIGIN}/jobs/search", search="HPC")
    (first,) = start(spider)
    assert first.url == f"{ORIGIN}/jobs/search?keywords=HPC&f%5B0%5D=keywords%3AHPC&page=0"
    _, requests = split(call(first, own_response("euraxess-search-page0.html"), kind="html"))
    assert [r.url for r in requests] == [
        f"{ORIGIN}/jobs/301001",
        f"{ORIGIN}/jobs/301002",
        f"{ORIGIN}/jobs/search?keywords=HPC&f%5B0%5D=keywords%3AHPC&page=1",
    ]
    assert not spider.complete
    _, more = split(call(requests[-1], own_response("euraxess-search-page1.html"), kind="html"))
    assert [r.url for r in more] == [f"{ORIGIN}/jobs/301003"]
    assert spider.complete
    (item,) = call(requests[0], own_response("euraxess-offer.html"), kind="html")
    assert item["title"] == "Head of Scientific Computing"
    assert item["institution"] == "Max Planck Computing and Data Facility"
    assert item["location"] == "Garching, Germany"
    assert item["closes"] == "30 Apr 2026 - 23:59 (Europe/Brussels)"
    assert item["employment_type"] == "Permanent, Full-time"
    assert "scientific computing division" in item["description"]
    assert item["source_id"] == "301001"


def test_euraxess_offer_without_title_is_dropped() -> None:
    """A truncated offer page (cut before its end) is a counted failure: nothing is stored."""
    spider = build_spider("euraxess", url=f"{ORIGIN}/jobs/search")
    offer = detail(spider, f"{ORIGIN}/jobs/9", "offer")
    assert call(offer, "<html><body><dl><dt>Country</dt><dd>Fr", kind="html") == []
    assert dropped(spider) == {"truncated_page": 1}
    assert not spider.complete


def test_peopleadmin_search_pages_and_posting() -> None:
    """will_paginate's next_page link until it is disabled, then a posting's table."""
    spider = build_spider(
        "peopleadmin", url=f"{ORIGIN}/postings/search", search="research computing"
    )
    (first,) = start(spider)
    assert first.url == f"{ORIGIN}/postings/search?query=research+computing&commit=Search"
    _, requests = split(call(first, own_response("peopleadmin-search-page1.html"), kind="html"))
    assert [r.url for r in requests] == [
        f"{ORIGIN}/postings/41001",
        f"{ORIGIN}/postings/41002",
        f"{ORIGIN}/postings/search?commit=Search&page=2&query=research+computing",
    ]
    _, more = split(call(requests[-1], own_response("peopleadmin-search-page2.html"), kind="html"))
    assert [r.url for r in more] == [f"{ORIGIN}/postings/41003"]
    assert spider.complete
    (item,) = call(requests[0], own_response("peopleadmin-posting.html"), kind="html")
    assert item["title"] == "Director of Research Computing"
    assert item["location"] == "Fort Collins, CO"
    assert item["salary"] == "$165,000 - $190,000 annually"
    assert item["posted"] == "03/02/2026"
    assert item["closes"] == "04/15/2026"
    assert item["employment_type"] == "Full-Time"
    assert item["description"].startswith("<p>Lead a team of 14")
    assert item["source_id"] == "41001"


def test_peopleadmin_malformed_posting() -> None:
    """A posting page without its details table is dropped."""
    spider = build_spider("peopleadmin", url=f"{ORIGIN}/postings/search")
    posting = detail(spider, f"{ORIGIN}/postings/7", "posting")
    assert call(posting, "<html><body><p>This posting has been removed.", kind="html") == []
    assert dropped(spider) == {"no_posting_table": 1}
