"""`rcjobs crawl --sources` against a loopback Workday site: store, normalize, search, close."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from board.models import CrawlRun, Posting
from tests.e2e.workday_site import SITE, TENANT, WorkdaySite, job, serve

pytestmark = pytest.mark.slow

TITLES = [
    "Director of Research Computing",
    "HPC Systems Team Lead",
    "Manager, Research Software",
    "Research Data Services Manager",
    "Principal Research Software Engineer",
    "Associate Director, Scientific Computing",
    "Cloud Infrastructure Lead",
    "Head of Research IT",
    "Data Engineering Manager",
    "HPC Operations Manager",
    "Research Cloud Architect",
    "Senior Manager, Research Computing Services",
    "Deputy Director, Computing Sciences",
    "Storage Systems Lead",
    "Lead Research Engineer",
    "Director, Advanced Research Computing",
    "Scientific Software Group Lead",
    "Manager, Research Data Infrastructure",
    "AI Platform Team Lead",
    "HPC Facility Director",
    "Program Manager, Exascale Computing",
    "Networking Team Lead",
]
FAST = [
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "RETRY_TIMES=0",
    "-s",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
]


@pytest.fixture
def site():
    """The Workday site with 22 postings (two list pages of 20)."""
    state = WorkdaySite(jobs=[job(i, t) for i, t in enumerate(TITLES, start=1)])
    server, url = serve(state)
    state.url = url
    yield state
    server.shutdown()
    server.server_close()


def rcjobs(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run the real console entry point in a fresh process (Scrapy's reactor runs once)."""
    return subprocess.run(
        [sys.executable, "-m", "board.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def env(board, instance: Path) -> dict[str, str]:
    """The subprocess environment: the test's instance, closing after two missed runs."""
    e = dict(os.environ)
    e["RCJOBS_CLOSE_AFTER_MISSING"] = "2"
    return e


def write_sources(path: Path, url: str) -> Path:
    """A registry with one Workday source on the loopback site."""
    path.write_text(
        "[[source]]\n"
        'id = "example-lab"\n'
        'institution = "Example National Laboratory"\n'
        'platform = "workday"\n'
        f'url = "{url}/en-US/{SITE}"\n'
        f'tenant = "{TENANT}"\n'
        f'site = "{SITE}"\n'
        'search = "computing"\n'
    )
    return path


def open_titles(board) -> set[str]:
    """Titles of the open postings."""
    with board.session() as session:
        return set(session.scalars(select(Posting.title).where(Posting.status == "open")))


def test_crawl_stores_normalizes_indexes_and_closes_exactly_the_missing_posting(
    site, env, board, tmp_path
):
    sources = write_sources(tmp_path / "sources.toml", site.url)
    first = rcjobs("crawl", "--sources", str(sources), *FAST, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "example-lab" in first.stdout and "success" in first.stdout
    assert open_titles(board) == set(TITLES)
    with board.session() as session:
        director = session.scalar(
            select(Posting).where(Posting.title == "Director of Research Computing")
        )
        assert director.location_display == "Golden CO USA"
        assert director.role == "director"
        assert director.links[0].source_key == "JR00001"
        permanent_id = director.public_id

    found = rcjobs("search", "director", "research", "computing", "--json", env=env)
    assert found.returncode == 0, found.stderr
    assert permanent_id in [r["id"] for r in json.loads(found.stdout)["results"]]

    removed = site.jobs.pop(3)  # "Research Data Services Manager" leaves the listing
    for attempt in (1, 2):
        again = rcjobs("crawl", "--sources", str(sources), *FAST, env=env)
        assert again.returncode == 0, again.stdout + again.stderr
        expected_closed = set() if attempt == 1 else {removed["title"]}
        assert set(TITLES) - open_titles(board) == expected_closed
    with board.session() as session:
        closed = session.scalar(select(Posting).where(Posting.title == removed["title"]))
        assert closed.status == "closed" and closed.public_id
        assert (
            session.scalar(
                select(Posting.public_id).where(Posting.title == "Director of Research Computing")
            )
            == permanent_id
        )

    gone = rcjobs("search", "research", "data", "services", "--json", env=env)
    assert removed["title"] not in [r["title"] for r in json.loads(gone.stdout)["results"]]


def test_a_crawl_failing_halfway_closes_nothing(site, env, board, tmp_path):
    sources = write_sources(tmp_path / "sources.toml", site.url)
    assert rcjobs("crawl", "--sources", str(sources), *FAST, env=env).returncode == 0
    site.jobs = site.jobs[:5] + site.jobs[6:]  # one posting really did go ...
    site.fail_from_offset = 20  # ... but the second list page now fails
    for _ in range(3):
        rcjobs("crawl", "--sources", str(sources), *FAST, env=env)
    assert open_titles(board) == set(TITLES)
    with board.session() as session:
        outcomes = list(session.scalars(select(CrawlRun.outcome).order_by(CrawlRun.id)))
    assert outcomes[0] == "success"
    assert all(o in ("partial", "failed") for o in outcomes[1:]), outcomes


def test_a_recrawl_counts_each_posting_once(site, env, board, tmp_path):
    sources = write_sources(tmp_path / "sources.toml", site.url)
    for _ in range(2):
        crawled = rcjobs("crawl", "--sources", str(sources), *FAST, env=env)
        assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    with board.session() as session:
        first, second = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
    assert (first.items, first.new, first.updated) == (22, 22, 0)
    assert (second.items, second.new, second.updated) == (22, 0, 0)
    assert second.stats["rcjobs/unchanged"] == 22 and "rcjobs/new" not in second.stats
    table = crawled.stdout.splitlines()
    row = next(line for line in table if line.startswith("example-lab"))
    assert row.split() == ["example-lab", "0", "0", "22", "0", "0", "success"]


def test_a_list_request_whose_connection_closed_unanswered_is_sent_again(
    site, env, board, tmp_path
):
    """A server may close a keep-alive connection just as a request goes out on it: the list
    POST is a query, so it is sent again (RETRY_TIMES=0 here), and the run is complete."""
    site.drop_once_at_offset = 20
    sources = write_sources(tmp_path / "sources.toml", site.url)
    crawled = rcjobs("crawl", "--sources", str(sources), *FAST, env=env)
    assert crawled.returncode == 0, crawled.stdout + crawled.stderr
    assert site.drop_once_at_offset is None  # the server did drop one
    assert "success" in crawled.stdout, crawled.stdout + crawled.stderr
    posts = [r for r in site.requests if r.startswith("POST")]
    assert posts.count(f"POST /wday/cxs/{TENANT}/{SITE}/jobs 20") == 2, posts
    assert open_titles(board) == set(TITLES)
