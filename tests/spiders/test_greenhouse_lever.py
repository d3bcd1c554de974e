"""Greenhouse and Lever spiders over the recorded API responses in ../shared/fixtures."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from spiders.sources import SourceError, source_from_mapping
from tests.shared import read_fixture
from tests.spiders.helpers import build_spider, call, dropped, split, start

ORIGIN = "http://127.0.0.1:8997"


def test_greenhouse_board_with_content() -> None:
    """jobs?content=true gives every job at once: items straight from the list."""
    spider = build_spider("greenhouse", url=f"{ORIGIN}/v1/boards/stripe/jobs", search="data")
    (first,) = start(spider)
    assert first.url == f"{ORIGIN}/v1/boards/stripe/jobs?content=true"
    detail = json.loads(read_fixture("greenhouse/stripe-job-detail.json"))
    (item,) = call(first, {"jobs": [detail], "meta": {"total": 1}})
    assert item["title"] == "Internal Audit Data Analytics Lead"
    assert item["location"] == "Toronto, New York, San Francisco"
    assert item["description"].startswith('<div class="ace-line')  # unescaped HTML
    assert item["source_id"] == "8026689"
    assert item["url"] == "https://stripe.com/jobs/search?gh_jid=8026689"
    assert item["posted"] == "2026-06-26T09:48:43-04:00"
    assert spider.complete


def test_greenhouse_list_without_content_fetches_details() -> None:
    """A list without content (the trimmed capture) fetches each job by id."""
    spider = build_spider("greenhouse", url=f"{ORIGIN}/x", board="stripe")
    results = call(start(spider)[0], read_fixture("greenhouse/stripe-jobs-list.json"))
    items, requests = split(results)
    assert items == []
    assert [r.url for r in requests] == [
        f"{ORIGIN}/v1/boards/stripe/jobs/{job_id}" for job_id in (7954688, 8023928, 8077887)
    ]
    (item,) = call(requests[0], read_fixture("greenhouse/stripe-job-detail.json"))
    assert item["title"] == "Internal Audit Data Analytics Lead"
    assert spider.complete


def test_greenhouse_bad_responses() -> None:
    """HTML instead of JSON and a 200 error body are dropped; the run is not complete."""
    spider = build_spider("greenhouse", url=f"{ORIGIN}/v1/boards/nope/jobs")
    assert call(start(spider)[0], "<!DOCTYPE html><html>Not found</html>") == []
    assert call(start(spider)[0], {"status": 404, "error": "Job board not found"}) == []
    assert dropped(spider) == {"html_not_json": 1, "error_body": 1}
    assert not spider.complete


def test_greenhouse_needs_a_board() -> None:
    """An entry without a token is refused naming it."""
    with pytest.raises(SourceError, match="^gh-x: greenhouse needs"):
        source_from_mapping(
            {"id": "gh-x", "institution": "X", "platform": "greenhouse", "url": "https://x.org/"}
        )


def test_lever_postings_list() -> None:
    """The JSON list (three postings, one French) gives items with all locations."""
    spider = build_spider("lever", url=f"{ORIGIN}/v0/postings/palantir?mode=json")
    (first,) = start(spider)
    query = parse_qs(urlsplit(first.url).query)
    assert query == {"mode": ["json"], "skip": ["0"], "limit": ["100"]}
    items, requests = split(call(first, read_fixture("lever/palantir-postings-list.json")))
    assert requests == []
    assert len(items) == 3
    assert items[0]["title"] == "Deployment Strategist, Internship"
    assert items[0]["location"] == "Paris, France"
    assert items[0]["employment_type"] == "Internship"
    assert items[0]["posted"] == "2026-05-11"
    assert spider.complete


def test_lever_detail_and_paging() -> None:
    """A full page asks for the next; postings without description are fetched by id."""
    spider = build_spider("lever", url=f"{ORIGIN}/v0/postings/palantir")
    stubs = [{"id": f"id-{n}", "text": f"Lead {n}"} for n in range(100)]
    _, requests = split(call(start(spider)[0], stubs))
    assert len(requests) == 101
    assert requests[-1].url.endswith("skip=100&limit=100")
    assert requests[0].url == f"{ORIGIN}/v0/postings/palantir/id-0"
    assert not spider.complete
    (item,) = call(requests[0], read_fixture("lever/palantir-posting-detail.json"))
    assert item["title"] == "Administrative Business Partner"
    assert item["location"] == "London, United Kingdom"
    assert "<h3>Administrative Business Partner (Foundry)</h3>" in item["description"]
    assert call(requests[-1], []) == []
    assert spider.complete


def test_lever_malformed() -> None:
    """Truncated JSON and an object where a list was expected are dropped."""
    spider = build_spider("lever", url=f"{ORIGIN}/v0/postings/palantir")
    assert call(start(spider)[0], '[{"id": "a", "text": "Dir') == []
    assert call(start(spider)[0], {"ok": False, "error": "Document not found"}) == []
    assert dropped(spider) == {"malformed_json": 1, "unexpected_json": 1}
    assert not spider.complete
