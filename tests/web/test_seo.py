"""What search engines and link previews read: robots, sitemaps, OpenGraph, JSON-LD, 304s."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in tests

from board.web.openapi import spec
from tests.web.seed import seed

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "http://jobs.example.test"


def locs(response) -> dict[str, str | None]:
    assert response.status_code == 200 and response.mimetype == "application/xml"
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    return {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in root.iter(f"{SM}url")}


def test_robots_points_at_the_sitemap_and_keeps_private_pages_out(client):
    body = client.get("/robots.txt").get_data(as_text=True)
    assert f"Sitemap: {BASE}/sitemap.xml" in body
    for path in ("/editor/", "/submit/status/", "/alerts/", "/login"):
        assert f"Disallow: {path}\n" in body


def test_the_sitemap_lists_open_postings_and_institutions_with_lastmod(client, ids):
    found = locs(client.get("/sitemap.xml"))
    for key in ("director", "hpc_manager", "rse_head", "remote_lead"):
        assert found[f"{BASE}/jobs/{ids[key]}"] == "2026-03-02T12:00:00Z"
    for key in ("closed", "not_relevant", "hidden"):  # closed postings leave it
        assert f"{BASE}/jobs/{ids[key]}" not in found
    assert f"{BASE}/institutions/mcmaster-university" in found
    assert f"{BASE}/institutions/nrel" in found
    assert f"{BASE}/jobs" in found


def test_a_large_sitemap_becomes_an_index_of_sitemaps(board, frozen):
    from tests.accounts.support import make_app

    ids = seed(board, extra=12)
    client = make_app(board, RCJOBS_SITEMAP_SIZE=5).test_client()
    root = ET.fromstring(client.get("/sitemap.xml").data)  # noqa: S314 - our own output
    assert root.tag == f"{SM}sitemapindex"
    pages = [s.findtext(f"{SM}loc") for s in root.iter(f"{SM}sitemap")]
    everything: dict[str, str | None] = {}
    for url in pages:
        part = locs(client.get(url.removeprefix(BASE)))
        assert len(part) <= 5
        everything.update(part)
    assert f"{BASE}/jobs/{ids['director']}" in everything
    assert sum(1 for u in everything if "/jobs/" in u) == 4 + 12
    assert client.get(f"/sitemap-{len(pages) + 1}.xml").status_code == 404


def meta(page: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', page)
    return match.group(1) if match else None


def test_posting_institution_and_newsletter_pages_preview_when_shared(client, ids, board):
    page = client.get(f"/jobs/{ids['director']}").get_data(as_text=True)
    assert meta(page, "og:title") == "Director of Research Computing at McMaster University"
    assert meta(page, "og:url") == f"{BASE}/jobs/{ids['director']}"
    assert "Hamilton, ON, Canada" in meta(page, "og:description")
    assert meta(page, "twitter:card") == "summary"
    inst = client.get("/institutions/mcmaster-university").get_data(as_text=True)
    assert meta(inst, "og:title").startswith("McMaster University")
    archive = client.get("/newsletter").get_data(as_text=True)
    assert meta(archive, "og:url") == f"{BASE}/newsletter"


def test_xss_never_reaches_the_preview_tags(board, client, frozen):
    from tests.web.seed import xss_record

    ids = seed(board, {"xss": xss_record()})
    page = client.get(f"/jobs/{ids['xss']}").get_data(as_text=True)
    head = page.split("</head>")[0]
    assert "<script>alert" not in head and "<img src=x" not in head


def test_json_ld_is_parseable_with_direct_apply_and_a_zoned_valid_through(client, ids):
    page = client.get(f"/jobs/{ids['hpc_manager']}").get_data(as_text=True)
    [raw] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(raw)
    assert data["validThrough"] == "2026-04-15T23:59:59-06:00"  # Golden CO: Denver, summer time
    assert data["directApply"] is False


def test_feeds_api_and_posting_pages_answer_304_when_unchanged(client, ids):
    for path in (
        "/jobs/feed.atom",
        "/jobs/feed.rss?country=CA",
        "/api/v1/jobs?q=director",
        f"/api/v1/jobs/{ids['director']}",
        f"/jobs/{ids['director']}",
        "/sitemap.xml",
    ):
        first = client.get(path)
        assert first.status_code == 200, path
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.data == b"", path
        since = client.get(path, headers={"If-Modified-Since": modified})
        assert since.status_code == 304, path
        other = client.get(path, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200, path


def test_a_change_to_the_posting_changes_its_etag(client, ids, board):
    path = f"/api/v1/jobs/{ids['director']}"
    etag = client.get(path).headers["ETag"]
    from board import clock, queries

    with board.session() as session:
        posting = queries.get_posting(session, ids["director"])
        posting.title = "Director of Research Computing and Data"
        posting.updated_at = clock.utcnow()
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_openapi_document_describes_the_304(client):
    doc = spec()
    assert "304" in doc["paths"]["/api/v1/jobs"]["get"]["responses"]
    assert "304" in doc["paths"]["/api/v1/jobs/{id}"]["get"]["responses"]


def test_navigation_has_the_newsletter_and_institutions_slash_works(client, ids):
    page = client.get("/jobs").get_data(as_text=True)
    assert '<a href="/newsletter">Newsletter</a>' in page
    response = client.get("/institutions/")
    assert response.status_code == 308 and response.headers["Location"].endswith("/institutions")
    assert client.get("/institutions/", follow_redirects=True).status_code == 200


def test_institution_pages_show_place_type_career_site_history(client, ids):
    page = client.get("/institutions/mcmaster-university").get_data(as_text=True)
    assert "<dt>Place</dt><dd>Hamilton, ON, Canada</dd>" in page
    assert "<dt>Type</dt><dd>University</dd>" in page
    assert 'href="https://careers.example.edu/"' in page
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page
    assert "March 2026: 3" in page  # director, closed and not relevant; the hidden one not
    assert "Associate Director, Research Cloud" in page  # past postings stay
