"""A PageUp site on the institution's own domain (/en-us/listing/, /en-us/job/ID/slug).

The listing and job pages are written from the shapes real own-domain PageUp sites serve
(see responses/README.md): `div.list-view--item` rows with `a.job-link`, a "More Jobs"
link, and job pages whose title is the `#job-content h2` after a "Vacancies" page heading.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from board.extract import SourceError, pageup, source_from_mapping
from board.models import CrawlRun, Posting
from tests.spiders.helpers import build_spider, call, dropped, own_response, split, start
from tests.spiders.loopback import FAST, Site, rcjobs, registry, serve

ENTRY = {"id": "pu", "institution": "Example University", "platform": "pageup"}


def own_site() -> Site:
    """13 postings over two listing pages, each with its job page."""
    site = Site()
    page1 = own_response("pageup-own-listing-page1.html").decode()
    page2 = own_response("pageup-own-listing-page2.html").decode()
    site.put("/en-us/listing/", page1)
    site.put("/en-us/listing/?page=2&page-items=10", page2)
    template = own_response("pageup-own-job.html").decode()
    for href, title in re.findall(r'href="(/en-us/job/[^"]+)">([^<]+)</a>', page1 + page2):
        job_id = href.split("/")[3]
        body = template.replace("JOB_TITLE", title).replace("JOB_ID", job_id)
        site.put(href, body.replace("JOB_PLACE", "Parkville"))
    return site


def test_own_domain_listing_url_is_accepted_and_names_its_base() -> None:
    """The listing url as the browser shows it; site_id builds no /cw/ path on own domains."""
    source = source_from_mapping({**ENTRY, "url": "https://jobs.example.edu/en-us/listing/"})
    assert pageup.site_path(source) == "/en-us"
    keyed = {**ENTRY, "url": "https://jobs.example.edu/en-us/listing/", "site_id": "873"}
    assert pageup.start(source_from_mapping(keyed))[0].url == (
        "https://jobs.example.edu/en-us/listing/"
    )
    cw = source_from_mapping({**ENTRY, "url": "https://careers.example.edu/cw/en-us/listing/"})
    assert pageup.site_path(cw) == "/cw/en-us"
    hosted = {**ENTRY, "url": "https://careers.pageuppeople.com/873/nr/en-us/listing/"}
    assert pageup.site_path(source_from_mapping(hosted)) == "/873/nr/en-us"
    bare = {**ENTRY, "url": "https://careers.pageuppeople.com/513/", "site_id": "513"}
    assert pageup.site_path(source_from_mapping(bare)) == "/513/cw/en"
    with pytest.raises(SourceError, match="^pu: pageup needs the listing url"):
        source_from_mapping({**ENTRY, "url": "https://jobs.example.edu/", "site_id": "873"})


def test_own_domain_listing_pages_and_job_page() -> None:
    """Ten rows and "More Jobs", then three rows and the end; the title after "Vacancies"."""
    spider = build_spider("pageup", url="http://127.0.0.1:8990/en-us/listing/")
    (first,) = start(spider)
    _, requests = split(call(first, own_response("pageup-own-listing-page1.html"), kind="html"))
    assert len(requests) == 11
    assert requests[0].url == (
        "http://127.0.0.1:8990/en-us/job/593000/director-research-computing-services"
    )
    assert requests[-1].url == "http://127.0.0.1:8990/en-us/listing/?page=2&page-items=10"
    assert not spider.complete
    _, more = split(call(requests[-1], own_response("pageup-own-listing-page2.html"), kind="html"))
    assert len(more) == 3
    assert spider.complete
    body = own_response("pageup-own-job.html").decode()
    body = body.replace("JOB_TITLE", "Director, Research Computing Services")
    (item,) = call(requests[0], body.replace("JOB_ID", "593000").replace("JOB_PLACE", "Parkville"))
    assert item["title"] == "Director, Research Computing Services"
    assert item["location"] == "Parkville"
    assert item["employment_type"] == "Full time"
    assert item["posted"] == "2026-06-02T00:00:00+10:00"
    assert item["closes"] == "2030-07-10T23:59:00+10:00"
    assert item["salary"].startswith("Salary: $165,000 - $185,000")
    assert item["description"].startswith("<p>Lead the research computing team")
    assert item["source_id"] == "593000"


def test_job_links_in_a_shape_the_module_does_not_read_fail_the_page() -> None:
    """A listing whose job links are not /job/ID/ paths is a counted failure, not empty."""
    spider = build_spider("pageup", url="http://127.0.0.1:8990/en-us/listing/")
    page = (
        "<html><body><div id='search-results'><a href='/en-us/vacancy/593001-director'>"
        "Director</a></div></body></html>"
    )
    assert call(start(spider)[0], page, kind="html") == []
    assert dropped(spider) == {"unknown_listing_shape": 1}
    assert not spider.complete


def test_listing_cut_short_is_not_the_end() -> None:
    """A listing page cut before </html> keeps its rows but never ends the listing."""
    spider = build_spider("pageup", url="http://127.0.0.1:8990/en-us/listing/")
    page = own_response("pageup-own-listing-page2.html").decode()
    cut = page[: page.index("</body>")]
    _, requests = split(call(start(spider)[0], cut, kind="html"))
    assert len(requests) == 3
    assert dropped(spider) == {"truncated_page": 1}
    assert not spider.complete


@pytest.mark.slow
def test_crawl_of_an_own_domain_site_stores_every_posting_and_closes_none(
    board, tmp_path, monkeypatch
) -> None:
    """`rcjobs crawl --sources` twice: 13 postings stored, all still open, both runs whole."""
    monkeypatch.setenv("RCJOBS_CLOSE_AFTER_MISSING", "1")
    with serve(own_site()) as site:
        sources = registry(
            tmp_path / "sources.toml", {**ENTRY, "url": f"{site.url}/en-us/listing/"}
        )
        for _ in range(2):
            run = rcjobs("crawl", "--sources", str(sources), *FAST)
            assert run.returncode == 0, run.stdout + run.stderr
    with board.session() as session:
        postings = list(session.scalars(select(Posting)))
        outcomes = list(session.scalars(select(CrawlRun.outcome)))
    assert len(postings) == 13
    assert {p.status for p in postings} == {"open"}
    assert "Director, Research Computing Services" in {p.title for p in postings}
    assert outcomes == ["success", "success"]


@pytest.mark.slow
def test_listing_in_an_unknown_shape_is_partial_counted_and_closes_nothing(
    board, tmp_path, monkeypatch
) -> None:
    """The site changes its listing to a shape the module does not read: the run is partial,
    the page is counted by name in the crawl stats and source health, nothing closes."""
    from datetime import date

    from board.editor.health import source_health

    monkeypatch.setenv("RCJOBS_CLOSE_AFTER_MISSING", "1")
    site = own_site()
    with serve(site):
        sources = registry(
            tmp_path / "sources.toml", {**ENTRY, "url": f"{site.url}/en-us/listing/"}
        )
        assert rcjobs("crawl", "--sources", str(sources), *FAST).returncode == 0
        site.put(
            "/en-us/listing/",
            "<html><body><div id='search-results'><a href='/en-us/vacancy/593000-director'>"
            "Director</a></div></body></html>",
        )
        rcjobs("crawl", "--sources", str(sources), *FAST)
    with board.session() as session:
        statuses = set(session.scalars(select(Posting.status)))
        last = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        assert last.outcome == "partial"
        assert last.stats.get("rcjobs/failed/unknown_listing_shape") == 1
        (health,) = source_health(session, date.today())
        assert any(
            w.startswith("last crawl partial:") and w.endswith("failed: unknown_listing_shape ×1")
            for w in health.warnings
        ), health.warnings
    assert statuses == {"open"}
