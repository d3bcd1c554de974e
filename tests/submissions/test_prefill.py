"""Prefill from a posting page's JSON-LD, fetched from a loopback server with bounds."""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from board.submissions.platforms import api_posting
from board.submissions.prefill import PrefillError, fetch, fields_from_page, prefill
from tests.accounts.support import XSS, assert_escaped, make_app, token_from
from tests.shared import read_fixture_bytes

POSTING = {
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "title": "Director, Research Computing",
    "description": (
        "<p>Lead the <b>research computing</b> team.</p><ul><li>HPC</li><li>Data</li></ul>"
    ),
    "validThrough": "2026-05-31T23:59:00Z",
    "hiringOrganization": {"@type": "Organization", "name": "Colorado School of Mines"},
    "jobLocation": {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Golden",
            "addressRegion": "CO",
            "addressCountry": "US",
        },
    },
    "baseSalary": {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 140000,
            "maxValue": 170000,
            "unitText": "YEAR",
        },
    },
}


def page(posting: dict) -> bytes:
    script = json.dumps(posting).replace("</", "<\\/")
    return (
        f'<html><head><script type="application/ld+json">{script}</script></head></html>'.encode()
    )


WORKDAY_JOB = "/job/Israel-Yokneam/Practical-Hardware-Electronics-Test-Engineer_JR2021705"
WORKDAY_API = "/wday/cxs/nvidia/NVIDIAExternalCareerSite"
PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/job": (200, {}, page(POSTING)),
    "/xss": (200, {}, page(dict(POSTING, title=f"Director {XSS}", description=XSS))),
    "/plain": (200, {}, b"<html><body><h1>No structured data here</h1></body></html>"),
    "/missing": (404, {}, b"not found"),
    "/huge": (200, {}, b"<html>" + b"x" * 2_100_000 + b"</html>"),
    "/to-ftp": (302, {"Location": "ftp://example.org/job"}, b""),
    "/to-job": (302, {"Location": "/job"}, b""),
    "/v1/boards/stripe/jobs/1": (200, {}, b"<html>not json</html>"),
    f"{WORKDAY_API}/job/Nowhere/Gone_JR1": (200, {}, b'{"error": "not found"}'),
}


LEVER_ID = "ac978161-6f46-4f6b-ad9e-a258e642751c"
RECORDED = {
    f"{WORKDAY_API}{WORKDAY_JOB}": "workday/nvidia-detail.json",
    "/wday/cxs/3m/Search/job/US-Minnesota-Maplewood/Analyst_R01168597": "workday/3m-detail.json",
    "/icims": "jsonld/jhpiego-icims-jsonld-trimmed.html",
    "/v1/boards/stripe/jobs/8026689": "greenhouse/stripe-job-detail.json",
    f"/v0/postings/palantir/{LEVER_ID}": "lever/palantir-posting-detail.json",
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path in RECORDED:
            status, headers, body = 200, {}, read_fixture_bytes(RECORDED[self.path])
        else:
            status, headers, body = PAGES.get(self.path, (404, {}, b""))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def post_prefill(client, url: str, **typed: str):
    data = {"csrf_token": token_from(client), "prefill_url": url, **typed}
    return client.post("/submit/prefill", data=data)


def test_prefill_fills_the_form_from_json_ld(client, site):
    response = post_prefill(client, f"{site}/job", contact_name="Ann Lee")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="Director, Research Computing"' in html
    assert 'value="Colorado School of Mines"' in html
    assert 'value="Golden, CO, US"' in html
    assert 'value="2026-05-31"' in html
    assert 'value="USD 140,000-170,000 per year"' in html
    assert "Lead the research computing team.\n\n- HPC\n- Data" in html
    assert 'value="Ann Lee"' in html  # what was typed stays


def test_prefill_reads_a_recorded_icims_page(site):
    fields = prefill(f"{site}/icims", allow_private=True)
    assert fields["title"] == "Senior Program Officer -TB -Gujrat (Gandhinagar)"
    assert fields["institution"] == "Jhpiego"
    assert fields["closes_on"].isoformat() == "2027-08-26"
    assert fields["description"].startswith("Overview\n\nJhpiego is an international")


def test_prefill_follows_a_redirect_to_the_posting(site):
    assert prefill(f"{site}/to-job", allow_private=True)["title"] == "Director, Research Computing"


def test_prefilled_markup_is_shown_escaped(client, site):
    html = post_prefill(client, f"{site}/xss").get_data(as_text=True)
    assert_escaped(html)
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/plain", "No JobPosting structured data"),
        ("/missing", "answered 404"),
        ("/huge", "too large"),
        ("/to-ftp", "Only http:// and https://"),
    ],
)
def test_prefill_errors_are_shown_beside_the_field_and_keep_the_input(client, site, path, message):
    response = post_prefill(client, f"{site}{path}", title="My typed title")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'id="prefill_url-error"' in html
    assert 'value="My typed title"' in html


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/", "javascript:x", ""])
def test_prefill_takes_only_http_urls(client, url):
    response = post_prefill(client, url)
    assert response.status_code == 400
    assert 'id="prefill_url-error"' in response.get_data(as_text=True)


def test_prefill_refuses_private_addresses_unless_allowed(board, frozen, site):
    client = make_app(board, RCJOBS_PREFILL_ALLOW_PRIVATE=False).test_client()
    response = post_prefill(client, f"{site}/job")
    assert response.status_code == 422
    assert "private network" in response.get_data(as_text=True)
    with pytest.raises(PrefillError, match="private network"):
        fetch("http://10.0.0.1/", allow_private=False)


def test_fetch_times_out(site):
    with pytest.raises(PrefillError, match="unreachable or too slow"):
        fetch(f"{site}/slow", allow_private=True, timeout=0.3)


def test_fields_from_page_without_a_posting_is_an_error():
    with pytest.raises(PrefillError):
        fields_from_page(b"<html></html>", "https://example.org/")


def test_prefill_is_rate_limited(board, frozen, site):
    client = make_app(board, RCJOBS_PREFILL_LIMIT="2 per hour").test_client()
    assert post_prefill(client, f"{site}/job").status_code == 200
    assert post_prefill(client, f"{site}/job").status_code == 200
    assert post_prefill(client, f"{site}/job").status_code == 429


def test_prefill_without_csrf_is_refused(client, site):
    response = client.post("/submit/prefill", data={"prefill_url": f"{site}/job"})
    assert response.status_code == 400
    assert re.search(r"security token", response.get_data(as_text=True))


def test_prefill_reads_a_greenhouse_job_through_the_spider(site):
    fields = prefill(f"{site}/v1/boards/stripe/jobs/8026689", allow_private=True)
    assert fields["title"] == "Internal Audit Data Analytics Lead"
    assert fields["location"] == "Toronto, New York, San Francisco"
    assert fields["url"] == "https://stripe.com/jobs/search?gh_jid=8026689"
    assert "<" not in fields["description"] and len(fields["description"]) > 200


def test_prefill_reads_a_lever_posting_through_the_spider(client, site):
    html = post_prefill(client, f"{site}/v0/postings/palantir/{LEVER_ID}").get_data(as_text=True)
    assert 'value="Administrative Business Partner"' in html
    assert 'value="London, United Kingdom"' in html
    assert f'value="https://jobs.lever.co/palantir/{LEVER_ID}"' in html


def test_platform_page_urls_map_to_their_apis():
    greenhouse = api_posting("https://boards.greenhouse.io/stripe/jobs/8026689?gh_src=x")
    assert greenhouse.api_url == "https://boards-api.greenhouse.io/v1/boards/stripe/jobs/8026689"
    lever = api_posting(f"https://jobs.lever.co/palantir/{LEVER_ID}/apply")
    assert lever.api_url == f"https://api.lever.co/v0/postings/palantir/{LEVER_ID}"
    assert api_posting("https://careers.example.edu/jobs/1") is None


def test_an_unreadable_platform_record_is_a_clear_error(site):
    with pytest.raises(PrefillError, match="greenhouse posting could not be read"):
        prefill(f"{site}/v1/boards/stripe/jobs/1", allow_private=True)  # not JSON
    with pytest.raises(PrefillError, match="answered 404"):
        prefill(f"{site}/v1/boards/stripe/jobs/404404", allow_private=True)


def test_prefill_reads_a_workday_job_through_the_spider(client, site):
    html = post_prefill(client, f"{site}{WORKDAY_API}{WORKDAY_JOB}").get_data(as_text=True)
    assert 'value="Practical Hardware Electronics Test Engineer"' in html
    assert 'value="Israel, Yokneam"' in html
    external = f"https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite{WORKDAY_JOB}"
    assert f'value="{external}"' in html
    assert "Our Lab team in Israel Yokneam" in html and "&lt;p&gt;" not in html


def test_prefill_joins_a_workday_job_s_additional_locations(site):
    path = "/wday/cxs/3m/Search/job/US-Minnesota-Maplewood/Analyst_R01168597"
    fields = prefill(f"{site}{path}", allow_private=True)
    assert fields["location"] == (
        "US, Minnesota, Maplewood; Remote - California; US, Texas, Austin"
    )
    assert "<" not in fields["description"]


def test_workday_job_pages_map_to_the_cxs_detail_api():
    origin = "https://nvidia.wd5.myworkdayjobs.com"
    api = f"{origin}{WORKDAY_API}{WORKDAY_JOB}"
    for page_path in (
        f"/en-US/NVIDIAExternalCareerSite{WORKDAY_JOB}",
        f"/NVIDIAExternalCareerSite{WORKDAY_JOB}/apply?source=x",
        f"{WORKDAY_API}{WORKDAY_JOB}",
    ):
        where = api_posting(f"{origin}{page_path}")
        assert (where.platform, where.api_url) == ("workday", api), page_path
        assert where.page_url == f"{origin}/NVIDIAExternalCareerSite{WORKDAY_JOB}"
    assert api_posting(f"{origin}/en-US/NVIDIAExternalCareerSite") is None  # the listing
    assert api_posting(f"https://careers.example.edu/en-US/Site{WORKDAY_JOB}") is None


def test_myworkdaysite_job_pages_map_to_the_cxs_detail_api():
    """wdN.myworkdaysite.com/recruiting/TENANT/SITE/job/...: tenant and site from the path."""
    origin = "https://wd1.myworkdaysite.com"
    where = api_posting(f"{origin}/en-US/recruiting/upenn/careers-at-penn{WORKDAY_JOB}")
    assert where is not None
    assert where.api_url == f"{origin}/wday/cxs/upenn/careers-at-penn{WORKDAY_JOB}"


def test_an_unreadable_workday_record_is_a_clear_error(site):
    with pytest.raises(PrefillError, match="workday posting could not be read"):
        prefill(f"{site}{WORKDAY_API}/job/Nowhere/Gone_JR1", allow_private=True)
