"""Permanent posting pages: content, JSON-LD, closed and not-relevant postings, safety."""

from __future__ import annotations

import base64
import hashlib
import json
import re

from tests.web.seed import XSS, seed, xss_record


def _text(response) -> str:
    return response.get_data(as_text=True)


def _jsonld(page: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


def test_open_posting_page_shows_everything(client, ids):
    response = client.get(f"/jobs/{ids['director']}")
    assert response.status_code == 200
    page = _text(response)
    assert '<h1 id="posting-title">Director of Research Computing</h1>' in page
    assert '<a href="/institutions/mcmaster-university">McMaster University</a>' in page
    assert "Hamilton, ON, Canada" in page
    assert "CA$120,000–150,000 a year" in page
    assert '<time datetime="2026-03-01">1 March 2026</time>' in page
    assert '<time datetime="2026-12-31">31 December 2026</time>' in page
    assert "<ul><li>Budget</li><li>People</li></ul>" in page
    assert 'href="https://careers.example.edu/jobs/director" rel="noopener nofollow"' in page
    assert "This posting has closed" not in page
    assert f'<link rel="canonical" href="http://jobs.example.test/jobs/{ids["director"]}">' in page


def test_job_posting_json_ld_follows_googles_fields(client, ids):
    page = _text(client.get(f"/jobs/{ids['director']}"))
    [data] = _jsonld(page)
    assert data["@context"] == "https://schema.org/" and data["@type"] == "JobPosting"
    assert data["title"] == "Director of Research Computing"
    assert data["description"].startswith("<p>Director of Research Computing.")
    assert data["datePosted"] == "2026-03-01"
    # The end of the closing day where the job is (Hamilton: Toronto time), with its offset.
    assert data["validThrough"] == "2026-12-31T23:59:59-05:00"
    assert data["directApply"] is False  # applications go through the institution's site
    assert data["hiringOrganization"] == {"@type": "Organization", "name": "McMaster University"}
    assert data["jobLocation"] == {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Hamilton",
            "addressRegion": "ON",
            "addressCountry": "CA",
        },
    }
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "CAD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 120000,
            "maxValue": 150000,
            "unitText": "YEAR",
        },
    }
    assert data["employmentType"] == "FULL_TIME"
    assert data["identifier"]["@type"] == "PropertyValue"
    assert data["identifier"]["value"] == ids["director"]
    assert data["url"] == f"http://jobs.example.test/jobs/{ids['director']}"


def test_remote_posting_uses_telecommute_with_applicant_location(client, ids):
    [data] = _jsonld(_text(client.get(f"/jobs/{ids['remote_lead']}")))
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == [{"@type": "Country", "name": "US"}]
    assert "jobLocation" not in data and "baseSalary" not in data and "validThrough" not in data
    assert data["employmentType"] == "CONTRACTOR"


def test_closed_posting_keeps_its_page_with_a_banner_and_no_json_ld(client, ids):
    response = client.get(f"/jobs/{ids['closed']}")
    assert response.status_code == 200
    page = _text(response)
    assert "This posting has closed" in page and "closed 11 February 2026" in page
    assert "application/ld+json" not in page
    assert "Associate Director, Research Cloud" in page
    assert "Read the original posting and apply" not in page
    assert "https://careers.example.edu/jobs/closed" in page  # the source is still cited


def test_not_relevant_posting_page_still_works(client, ids):
    response = client.get(f"/jobs/{ids['not_relevant']}")
    assert response.status_code == 200
    page = _text(response)
    assert "Payroll Clerk" in page and "judged not to be a research computing" in page
    assert '<meta name="robots" content="noindex">' in page


def test_a_hidden_posting_says_it_was_removed(client, ids):
    for url in (f"/jobs/{ids['hidden']}", f"/jobs/{ids['hidden']}/any-slug"):
        response = client.get(url)
        assert response.status_code == 410, url
        text = _text(response)
        assert "removed from the board by its editor" in text
        assert "Back to the jobs" in text
    api = client.get(f"/api/v1/jobs/{ids['hidden']}")
    assert api.status_code == 410 and api.get_json()["error"]["status"] == 410


def test_unknown_postings_are_not_found(client, ids):
    for url in (
        "/jobs/nosuchjob1",
        "/jobs/" + "x" * 300,
        "/jobs/bad%00id",
        "/jobs/%3Cscript%3E",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in _text(response)


def test_slug_segment_is_optional_and_a_wrong_one_redirects(client, ids):
    public_id = ids["hpc_manager"]
    assert client.get(f"/jobs/{public_id}/manager-hpc-operations").status_code == 200
    for wrong in ("old-title", "manager"):
        response = client.get(f"/jobs/{public_id}/{wrong}")
        assert response.status_code == 301
        assert response.headers["Location"] == f"/jobs/{public_id}"


def test_security_headers_and_csp_allow_exactly_the_json_ld(client, ids):
    response = client.get(f"/jobs/{ids['director']}")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', _text(response)).group(
        1
    )
    digest = base64.b64encode(hashlib.sha256(block.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert "sha256" not in client.get("/jobs").headers["Content-Security-Policy"]


def test_markup_in_every_field_is_escaped_or_removed(client, board, frozen):
    ids = seed(board, {"xss": xss_record()})
    page = _text(client.get(f"/jobs/{ids['xss']}"))
    body = page.split("<body>", 1)[1]
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body  # title and location escaped
    assert "<p>Safe paragraph</p>" in body
    assert "javascript:" not in page
    assert not re.search(r"<img[^>]*onerror", body)
    head_ld = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in head_ld and "\\u003c/script\\u003e" in head_ld
    assert json.loads(head_ld)["title"] == f"{XSS} Lead"
    listing = _text(client.get("/jobs?q=research"))
    assert "<script>alert" not in listing and "&lt;script&gt;" in listing
    assert not re.search(r"<img[^>]*onerror", listing)


def test_unexpected_errors_get_a_friendly_page_or_json(board, frozen, monkeypatch):
    from board.app import create_app

    app = create_app({"TESTING": True, "PROPAGATE_EXCEPTIONS": False}, board=board)
    ids = seed(board)

    def boom(*_args, **_kwargs):
        raise RuntimeError("database fell over")

    monkeypatch.setattr("board.queries.get_posting", boom)
    client = app.test_client()
    page = client.get(f"/jobs/{ids['director']}")
    assert page.status_code == 500 and "Something went wrong" in _text(page)
    assert "database fell over" not in _text(page)
    api = client.get(f"/api/v1/jobs/{ids['director']}")
    assert api.status_code == 500 and api.json["error"]["status"] == 500
