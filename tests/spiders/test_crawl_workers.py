"""`rcjobs crawl` with normalizer workers (RCJOBS_INGEST_WORKERS), and many items of one page."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import func, select

from board.models import CrawlRun, Posting
from tests.spiders.loopback import FAST, Site, rcjobs, registry, serve

MANY = 120  # on one page: more than two of the pipeline's batches of 50


def posting(n: int) -> dict[str, object]:
    """One schema.org JobPosting."""
    return {
        "@type": "JobPosting",
        "title": f"Research Computing Manager {n}",
        "identifier": {"value": f"RC{n}"},
        "url": f"https://jobs.example.edu/rc/{n}",
        "description": "<p>Lead the research computing team.</p>",
        "validThrough": "2030-01-31",
        "hiringOrganization": {"name": "Example University"},
        "jobLocation": {"address": {"addressLocality": "Leeds", "addressCountry": "GB"}},
    }


def page(*postings: dict[str, object]) -> str:
    """A page carrying these postings in one JSON-LD @graph."""
    data = json.dumps({"@context": "https://schema.org", "@graph": list(postings)})
    return (
        f'<html><head><script type="application/ld+json">{data}</script></head>'
        "<body>x</body></html>"
    )


def site() -> Site:
    """A listing of three detail pages: one posting each on two, MANY on the third."""
    site = Site()
    links = "".join(f'<a href="/careers/job/{n}">job {n}</a>' for n in range(3))
    site.put("/careers/", f"<html><body>{links}</body></html>")
    site.put("/careers/job/0", page(posting(0)))
    site.put("/careers/job/1", page(posting(1)))
    site.put("/careers/job/2", page(*(posting(n) for n in range(2, 2 + MANY))))
    return site


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_crawl_stores_every_posting_with_or_without_workers(board, tmp_path, workers) -> None:
    """The crawl forks its normalizer workers when asked (the claim's lease keeper, a thread,
    used to stop them); either way every posting of a page with many is stored and searchable,
    in a complete run."""
    with serve(site()) as served:
        entry = {"id": "many", "institution": "Example University", "platform": "jsonld"}
        sources = registry(
            tmp_path / "sources.toml",
            {**entry, "url": f"{served.url}/careers/", "link_pattern": "/careers/job/"},
        )
        env = dict(os.environ, RCJOBS_INGEST_WORKERS=workers)
        run = rcjobs("crawl", "--sources", str(sources), *FAST, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    forked = "normalizing in 2 worker processes" in run.stdout
    assert forked == (workers == "2"), run.stdout
    assert f"{MANY + 2} items, {MANY + 2} new" in run.stdout
    with board.session() as session:
        stored = session.scalar(select(func.count()).select_from(Posting))
        outcomes = list(session.scalars(select(CrawlRun.outcome)))
    assert stored == MANY + 2
    assert outcomes == ["success"]
    found = rcjobs("search", "Research Computing Manager 77", "--json", env=env)
    assert found.returncode == 0, found.stderr
    assert "Research Computing Manager 77" in found.stdout
