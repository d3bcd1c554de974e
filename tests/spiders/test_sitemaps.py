"""Sitemaps through Scrapy's sitemap machinery: an index with gzipped children, cut ones."""

from __future__ import annotations

import gzip
import json

import pytest
from sqlalchemy import select

from board.models import CrawlRun, Posting
from tests.spiders.helpers import build_spider, call, dropped, split, start
from tests.spiders.loopback import FAST, Site, rcjobs, registry, serve

ORIGIN = "http://127.0.0.1:8992"
NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def index(*children: str) -> str:
    """A sitemap index of these child sitemap paths."""
    locs = "".join(f"<sitemap><loc>https://jobs.example.edu{c}</loc></sitemap>" for c in children)
    return f'<?xml version="1.0" encoding="UTF-8"?><sitemapindex {NS}>{locs}</sitemapindex>'


def urlset(*numbers: int) -> bytes:
    """A urlset of job pages, gzipped as sites serve .xml.gz children."""
    locs = "".join(f"<url><loc>https://jobs.example.edu/jobs/{n}</loc></url>" for n in numbers)
    text = f'<?xml version="1.0" encoding="UTF-8"?><urlset {NS}>{locs}</urlset>'
    return gzip.compress(text.encode())


def job_page(n: int) -> str:
    """A detail page with a JobPosting."""
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": f"HPC Team Lead {n}",
        "identifier": {"value": f"J{n}"},
        "description": "<p>Lead the research computing HPC team.</p>",
        "validThrough": "2030-01-31",
        "hiringOrganization": {"name": "Example University"},
        "jobLocation": {"address": {"addressLocality": "Leeds", "addressCountry": "GB"}},
    }
    return (
        '<html><head><script type="application/ld+json">'
        f"{json.dumps(posting)}</script></head><body>x</body></html>"
    )


def test_index_with_gzipped_children_is_walked_to_the_end() -> None:
    """Both .xml.gz children are read (not "malformed"); complete after the last one."""
    spider = build_spider("jsonld", url=f"{ORIGIN}/sitemap.xml", link_pattern="/jobs/")
    _, children = split(call(start(spider)[0], index("/s1.xml.gz", "/s2.xml.gz"), kind="xml"))
    assert [c.url for c in children] == [f"{ORIGIN}/s1.xml.gz", f"{ORIGIN}/s2.xml.gz"]
    _, details = split(call(children[0], urlset(1, 2)))
    assert [d.url for d in details] == [f"{ORIGIN}/jobs/1", f"{ORIGIN}/jobs/2"]
    assert not spider.complete
    _, more = split(call(children[1], urlset(3)))
    assert [d.url for d in more] == [f"{ORIGIN}/jobs/3"]
    assert spider.complete
    assert dropped(spider) == {}


def test_cut_child_sitemap_keeps_the_run_incomplete() -> None:
    """A child cut before </urlset> is counted as truncated: nothing may close."""
    spider = build_spider("jsonld", url=f"{ORIGIN}/sitemap.xml", link_pattern="/jobs/")
    _, children = split(call(start(spider)[0], index("/s1.xml.gz"), kind="xml"))
    cut = gzip.compress(gzip.decompress(urlset(1, 2))[:-30])
    call(children[0], cut)
    assert dropped(spider) == {"truncated_sitemap": 1}
    assert not spider.complete


@pytest.mark.slow
def test_crawl_of_a_sitemap_index_with_gzipped_children(board, tmp_path) -> None:
    """A real crawl downloads the gzipped children (served as application/gzip) and stores
    every posting in a complete run."""
    site = Site()
    site.put("/sitemap.xml", index("/s1.xml.gz", "/s2.xml.gz"), kind="application/xml")
    site.put("/s1.xml.gz", urlset(1, 2), kind="application/gzip")
    site.put("/s2.xml.gz", urlset(3), kind="application/gzip")
    for n in (1, 2, 3):
        site.put(f"/jobs/{n}", job_page(n))
    with serve(site):
        entry = {"id": "maps", "institution": "Example University", "platform": "jsonld"}
        url = f"{site.url}/sitemap.xml"
        sources = registry(tmp_path / "sources.toml", {**entry, "url": url})
        run = rcjobs("crawl", "--sources", str(sources), *FAST)
        assert run.returncode == 0, run.stdout + run.stderr
    with board.session() as session:
        titles = set(session.scalars(select(Posting.title)))
        outcomes = list(session.scalars(select(CrawlRun.outcome)))
    assert titles == {"HPC Team Lead 1", "HPC Team Lead 2", "HPC Team Lead 3"}
    assert outcomes == ["success"]
