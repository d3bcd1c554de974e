"""`rcjobs sources --check` against loopback sites, good and broken: the table and exit status."""

from __future__ import annotations

import json
import socket
from contextlib import ExitStack

import pytest

from tests.spiders.helpers import own_response
from tests.spiders.loopback import Site, rcjobs, registry, serve

pytestmark = pytest.mark.slow

FEED = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Jobs</title>'
    "<item><title>HPC Lead</title><guid>1</guid><link>https://x.edu/1</link></item>"
    "</channel></rss>"
)
WORKDAY = {
    "total": 2,
    "jobPostings": [
        {"title": "Director", "externalPath": "/job/A/Director_R1"},
        {"title": "Lead", "externalPath": "/job/A/Lead_R2"},
    ],
}


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sites() -> dict[str, Site]:
    """Good sites (PageUp on its own domain, a feed, Workday) and broken ones."""
    pageup = Site()
    pageup.put("/en-us/listing/", own_response("pageup-own-listing-page1.html"))
    pageup.put("/jobs.rss", FEED, kind="application/rss+xml")
    pageup.put("/wday/cxs/uni/Careers/jobs", json.dumps(WORKDAY), kind="application/json")
    pageup.put(
        "/cw/en-us/listing/",
        "<html><body><div id='search-results'><a href='/cw/en-us/vacancy/5931-lead'>Lead</a>"
        "</div></body></html>",
    )
    private = Site()
    private.put("/robots.txt", "User-agent: *\nDisallow: /\n", kind="text/plain")
    private.put("/en-us/listing/", own_response("pageup-own-listing-page1.html"))
    return {"main": pageup, "private": private}


def entries(main: str, private: str) -> list[dict[str, str]]:
    """The registry: three good entries, four broken ones."""
    uni = {"institution": "Example University"}
    return [
        {"id": "good-pageup", "platform": "pageup", "url": f"{main}/en-us/listing/", **uni},
        {"id": "good-feed", "platform": "feed", "url": f"{main}/jobs.rss", **uni},
        {"id": "good-workday", "platform": "workday", "url": f"{main}/en-US/Careers",
         "tenant": "uni", **uni},
        {"id": "gone", "platform": "pageup", "url": f"{main}/nr/en-us/listing/", **uni},
        {"id": "changed", "platform": "pageup", "url": f"{main}/cw/en-us/listing/", **uni},
        {"id": "robots", "platform": "pageup", "url": f"{private}/en-us/listing/", **uni},
        {"id": "down", "platform": "feed",
         "url": f"http://127.0.0.1:{closed_port()}/jobs.rss", **uni},
    ]  # fmt: skip


def test_check_reports_each_source_and_fails_on_broken_ones(tmp_path) -> None:
    """One row per source; broken ones FAIL with what to change; exit status 1."""
    with ExitStack() as stack:
        running = {name: stack.enter_context(serve(site)) for name, site in sites().items()}
        path = registry(
            tmp_path / "sources.toml", *entries(running["main"].url, running["private"].url)
        )
        result = rcjobs("sources", "--check", "--sources", str(path))
        listing_requests = [r for r in running["main"].requests if "listing" in r]
    assert result.returncode == 1, result.stdout + result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines() if line.strip()}
    header = ["source", "platform", "answered", "shape", "postings", "end", "result"]
    assert rows["source"] == header
    assert rows["good-pageup"][1:] == ["pageup", "200", "yes", "10", "more", "ok"]
    assert rows["good-feed"][1:] == ["feed", "200", "yes", "1", "yes", "ok"]
    assert rows["good-workday"][1:] == ["workday", "200", "yes", "2", "yes", "ok"]
    assert rows["gone"][1:] == ["pageup", "404", "no", "0", "no", "FAIL"]
    assert rows["changed"][1:] == ["pageup", "200", "no", "0", "no", "FAIL"]
    assert rows["robots"][-1] == "FAIL" and rows["down"][-1] == "FAIL"
    advice = {line.split(":")[0]: line for line in result.stdout.splitlines() if ": " in line}
    assert "a shape the platform module does not read" in advice["changed"]
    assert "robots.txt forbids the listing" in advice["robots"]
    assert "did not answer" in advice["gone"]
    assert "3 of 7 sources ok" in result.stdout
    # One polite request per listing: the first page only, no "More Jobs", no job page.
    assert listing_requests.count("/en-us/listing/") == 1
    assert not [r for r in running["main"].requests if "/job/" in r or "page=2" in r]


def test_check_of_good_sources_only_exits_0(tmp_path) -> None:
    """IDs narrow the check; all ok: exit status 0."""
    with ExitStack() as stack:
        running = {name: stack.enter_context(serve(site)) for name, site in sites().items()}
        path = registry(
            tmp_path / "sources.toml", *entries(running["main"].url, running["private"].url)
        )
        result = rcjobs("sources", "--check", "--sources", str(path), "good-feed", "good-pageup")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 of 2 sources ok" in result.stdout
    assert "good-workday" not in result.stdout


def test_check_of_an_unknown_id_is_a_usage_error(tmp_path) -> None:
    """An id the registry does not have: one line, exit status 2, no request made."""
    path = registry(
        tmp_path / "sources.toml",
        {"id": "a", "institution": "A", "platform": "feed", "url": "http://127.0.0.1:9/f.rss"},
    )
    result = rcjobs("sources", "--check", "--sources", str(path), "nope")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == ["rcjobs: unknown source id(s): nope"]
