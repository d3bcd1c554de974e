"""The demo's career sites: every platform answers in its real shape, over loopback only."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
import xml.etree.ElementTree as ET  # noqa: S405 - parses only our own loopback server's XML
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urljoin
from urllib.request import Request, urlopen
from urllib.robotparser import RobotFileParser

import extruct
import pytest

from demo.postings import INSTITUTIONS, is_open, postings
from demo.server import (
    GREENHOUSE_BOARD,
    MALFORMED_JSONLD,
    WORKDAY_SITE,
    WORKDAY_TENANT,
    DemoServer,
    serve,
)
from tests.shared import REPO_ROOT

TODAY = date(2025, 6, 16)
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture(scope="module")
def site() -> Iterator[DemoServer]:
    """The demo sites on a free loopback port, dated TODAY."""
    server = serve(0, today=lambda: TODAY)
    yield server
    server.shutdown()


def fetch(url: str, payload: dict[str, Any] | None = None) -> tuple[int, str, bytes]:
    """Status, content type and body of a GET (or a JSON POST when payload is given)."""
    data = json.dumps(payload).encode() if payload is not None else None
    request = Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except HTTPError as error:
        with error:
            return error.code, error.headers.get_content_type(), error.read()


def get_json(url: str, payload: dict[str, Any] | None = None) -> Any:
    """The JSON body of a successful request."""
    status, content_type, body = fetch(url, payload)
    assert status == 200, (url, status, body[:200])
    assert content_type == "application/json"
    return json.loads(body)


def get_text(url: str) -> str:
    """The text body of a successful GET."""
    status, _, body = fetch(url)
    assert status == 200, (url, status)
    return body.decode()


def parse_xml(text: str) -> ET.Element:
    """An XML document from our own server."""
    return ET.fromstring(text)  # noqa: S314 - trusted: our own loopback server's output


def source(server: DemoServer, source_id: str) -> dict[str, str]:
    """One entry of the server's sources."""
    return next(entry for entry in server.sources() if entry["id"] == source_id)


# --- Workday -------------------------------------------------------------------------------


def workday_api(server: DemoServer) -> str:
    return f"{server.base_url}/wday/cxs/{WORKDAY_TENANT}/{WORKDAY_SITE}"


def workday_page(server: DemoServer, offset: int, limit: int, search: str = "") -> Any:
    payload = {"appliedFacets": {}, "limit": limit, "offset": offset, "searchText": search}
    return get_json(f"{workday_api(server)}/jobs", payload)


def workday_all(server: DemoServer, limit: int = 20) -> list[dict[str, Any]]:
    """Every Workday list item, paging as a crawler does."""
    items: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = workday_page(server, offset, limit)
        items += page["jobPostings"]
        offset += limit
        if offset >= page["total"]:
            return items


def test_workday_paging_adds_up(site: DemoServer) -> None:
    first = workday_page(site, 0, 4)
    total = first["total"]
    assert set(first) == {"total", "jobPostings", "facets", "userAuthenticated"}
    items = workday_all(site, limit=4)
    assert len(items) == total > 8  # at least three pages of four
    assert len({item["externalPath"] for item in items}) == total
    assert items == workday_all(site, limit=20)
    expected = [p for p in postings("northbridge") if is_open(p, TODAY)]
    assert total == len(expected)
    assert workday_page(site, total, 4)["jobPostings"] == []


def test_workday_list_items_have_the_real_shape(site: DemoServer) -> None:
    for item in workday_all(site):
        assert {"title", "externalPath", "locationsText", "postedOn", "bulletFields"} <= set(item)
        assert re.fullmatch(r"/job/[A-Za-z0-9-]+/[A-Za-z0-9-]+_JR\d+", item["externalPath"])
        assert item["externalPath"].endswith("_" + item["bulletFields"][0])
        assert re.fullmatch(
            r"Posted (Today|Yesterday|\d+ Days Ago|30\+ Days Ago)", item["postedOn"]
        )
    texts = {item["locationsText"] for item in workday_all(site)}
    assert "2 Locations" in texts
    assert "Remote - Canada" in texts


@pytest.mark.parametrize("limit", [0, 21, 100])
def test_workday_refuses_limits_it_does_not_allow(site: DemoServer, limit: int) -> None:
    payload = {"appliedFacets": {}, "limit": limit, "offset": 0, "searchText": ""}
    status, _, _ = fetch(f"{workday_api(site)}/jobs", payload)
    assert status == 400


def test_workday_list_wants_post(site: DemoServer) -> None:
    status, _, _ = fetch(f"{workday_api(site)}/jobs")
    assert status == 405


def test_workday_search_text_filters_loosely(site: DemoServer) -> None:
    everything = workday_page(site, 0, 20)["total"]
    found = workday_page(site, 0, 20, "research software")
    assert 0 < found["total"] < everything
    for item in found["jobPostings"]:
        path = item["externalPath"]
        detail = get_json(f"{workday_api(site)}{path}")["jobPostingInfo"]
        text = (detail["title"] + detail["jobDescription"]).lower()
        assert "research" in text and "software" in text
    assert workday_page(site, 0, 20, "athletics")["total"] == 1
    assert workday_page(site, 0, 20, "quantum-chromodynamics")["total"] == 0


def test_workday_detail_matches_its_list_item(site: DemoServer) -> None:
    for item in workday_all(site):
        data = get_json(f"{workday_api(site)}{item['externalPath']}")
        assert set(data) == {"jobPostingInfo", "hiringOrganization", "similarJobs",
                             "userAuthenticated"}  # fmt: skip
        info = data["jobPostingInfo"]
        assert info["title"] == item["title"]
        assert info["jobReqId"] == item["bulletFields"][0]
        assert info["postedOn"] == item["postedOn"]
        assert re.fullmatch(r"[0-9a-f]{32}", info["id"])
        assert info["jobDescription"].startswith("<p>")
        assert info["timeType"] in ("Full time", "Part time")
        assert info["remoteType"] in ("On-site", "Hybrid", "Remote")
        assert info["jobRequisitionLocation"]["country"]["alpha2Code"] == "CA"
        assert info["externalUrl"] == f"{site.base_url}/{WORKDAY_SITE}{item['externalPath']}"
        assert date.fromisoformat(info["startDate"]) <= TODAY
        assert data["hiringOrganization"]["name"] == "Northbridge University"
        if item["locationsText"].endswith("Locations"):
            assert info["additionalLocations"]
    status, content_type, _ = fetch(info["externalUrl"])
    assert (status, content_type) == (200, "text/html")
    status, _, _ = fetch(f"{workday_api(site)}/job/Nowhere/No-Such-Job_JR0000")
    assert status == 404


# --- JSON-LD sites -------------------------------------------------------------------------


def jsonld_block(html: str) -> str:
    """The text of the page's single JSON-LD script."""
    blocks = SCRIPT.findall(html)
    assert len(blocks) == 1
    return blocks[0]


def cascadia_detail_urls(server: DemoServer) -> list[str]:
    """Detail links of every listing page, following "next" links from the source url."""
    url: str | None = source(server, "demo-cascadia")["url"]
    pages, links = 0, []
    while url:
        html = get_text(url)
        pages += 1
        links += re.findall(r'<li class="job"><a href="([^"]+)"', html)
        nxt = re.search(r'<a rel="next"[^>]* href="([^"]+)"', html)
        url = urljoin(url, unescape(nxt.group(1))) if nxt else None
    assert pages == 2
    return links


def midlands_sitemap_urls(server: DemoServer) -> list[str]:
    root = parse_xml(get_text(source(server, "demo-midlands")["url"]))
    ns = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return [loc.text or "" for loc in root.findall("sm:url/sm:loc", ns)]


def jsonld_detail_urls(server: DemoServer) -> list[str]:
    midlands = [u for u in midlands_sitemap_urls(server) if "/vacancies/MIDS-" in u]
    return cascadia_detail_urls(server) + midlands


def test_listing_pages_link_every_cascadia_posting(site: DemoServer) -> None:
    links = cascadia_detail_urls(site)
    ids = [re.search(r"/jobs/([^/]+)/", link).group(1) for link in links]  # type: ignore[union-attr]
    assert sorted(ids) == sorted(p.id for p in postings("cascadia"))
    status, _, _ = fetch(f"{site.base_url}/cascadia/careers/?page=3")
    assert status == 404


def test_sitemap_lists_every_midlands_posting_and_some_other_pages(site: DemoServer) -> None:
    urls = midlands_sitemap_urls(site)
    jobs = [u for u in urls if "/vacancies/MIDS-" in u]
    assert len(jobs) == len(postings("midlands"))
    others = [u for u in urls if u not in jobs]
    assert others
    for url in others:
        assert not SCRIPT.search(get_text(url))


def test_every_jsonld_page_holds_a_job_posting(site: DemoServer) -> None:
    malformed = 0
    for url in jsonld_detail_urls(site):
        html = get_text(url)
        block = jsonld_block(html)
        if any(f"/{posting_id}/" in url for posting_id in MALFORMED_JSONLD):
            malformed += 1
            with pytest.raises(json.JSONDecodeError):
                json.loads(block)
            data = json.loads(block, strict=False)
        else:
            data = json.loads(block)
        assert data["@context"].startswith("https://schema.org")
        assert data["@type"] == "JobPosting"
        assert data["title"] and data["description"].startswith("<p>")
        assert date.fromisoformat(data["datePosted"][:10]) <= TODAY
        assert data["hiringOrganization"]["name"] in {i.name for i in INSTITUTIONS.values()}
        assert data["identifier"]["value"] in url
        if data.get("jobLocationType") == "TELECOMMUTE":
            assert data["applicantLocationRequirements"][0]["name"]
        else:
            places = data["jobLocation"]
            for place in places if isinstance(places, list) else [places]:
                address = place["address"]
                assert address["@type"] == "PostalAddress"
                assert address["addressLocality"] and len(address["addressCountry"]) == 2
        if "baseSalary" in data:
            value = data["baseSalary"]["value"]
            assert value["minValue"] < value["maxValue"]
        # The field's extractor reads every page, the malformed one included.
        extracted = extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
        assert [item["title"] for item in extracted] == [data["title"]]
        assert f"<h1>{data['title']}</h1>".replace("&", "&amp;") in html
    assert malformed == len(MALFORMED_JSONLD) == 1


def test_jsonld_sites_show_remote_multi_location_and_closed_postings(site: DemoServer) -> None:
    found = [json.loads(jsonld_block(get_text(u)), strict=False) for u in jsonld_detail_urls(site)]
    assert any(d.get("jobLocationType") == "TELECOMMUTE" for d in found)
    assert any(isinstance(d.get("jobLocation"), list) for d in found)
    assert any(isinstance(d.get("employmentType"), list) for d in found)
    closes = [date.fromisoformat(d["validThrough"][:10]) for d in found if "validThrough" in d]
    assert any(day < TODAY for day in closes)
    assert {d["baseSalary"]["currency"] for d in found if "baseSalary" in d} == {"USD", "GBP"}


# --- Greenhouse ----------------------------------------------------------------------------


def test_greenhouse_board_lists_with_content(site: DemoServer) -> None:
    url = source(site, "demo-alpine")["url"]
    board = get_json(f"{url}?content=true")
    assert set(board) == {"jobs", "meta"}
    assert board["meta"]["total"] == len(board["jobs"]) == len(postings("alpine"))
    for job in board["jobs"]:
        assert isinstance(job["id"], int)
        assert job["location"]["name"]
        assert job["absolute_url"].startswith(site.base_url)
        assert job["company_name"] == "Alpine Research Computing Centre"
        assert "<" not in job["content"]  # HTML-escaped, as Greenhouse sends it
        assert unescape(job["content"]).startswith("<p>")
        assert job["departments"][0]["name"] and job["offices"][0]["name"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", job["updated_at"])
        assert get_json(f"{url}/{job['id']}") == job
        assert {"Employment Type", "Workplace Type"} <= {m["name"] for m in job["metadata"]}
        status, content_type, _ = fetch(job["absolute_url"])
        assert (status, content_type) == (200, "text/html")


def test_greenhouse_salary_is_a_custom_field(site: DemoServer) -> None:
    board = get_json(source(site, "demo-alpine")["url"])
    salaries = [m["value"] for job in board["jobs"] for m in job["metadata"]
                if m["name"] == "Salary Range"]  # fmt: skip
    assert salaries and all(re.match(r"(CHF|EUR) ", value) for value in salaries)


def test_greenhouse_board_without_content_is_brief(site: DemoServer) -> None:
    board = get_json(source(site, "demo-alpine")["url"])
    assert board["meta"]["total"] == len(board["jobs"]) > 0
    assert all("content" not in job and "offices" not in job for job in board["jobs"])
    status, _, body = fetch(f"{site.base_url}/v1/boards/{GREENHOUSE_BOARD}/jobs/1")
    assert status == 404 and json.loads(body)["error"]


# --- RSS -----------------------------------------------------------------------------------


def feed_items(server: DemoServer) -> list[ET.Element]:
    root = parse_xml(get_text(source(server, "demo-coralsea")["url"]))
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("channel/item")


def test_rss_feed_items(site: DemoServer) -> None:
    items = feed_items(site)
    assert len(items) == len([p for p in postings("coralsea") if is_open(p, TODAY)])
    for item in items:
        title, link, guid = (item.findtext(tag) for tag in ("title", "link", "guid"))
        assert title and guid and link and link.startswith(site.base_url)
        published = parsedate_to_datetime(item.findtext("pubDate") or "")
        assert TODAY - timedelta(days=40) <= published.date() <= TODAY
        description = item.findtext("description") or ""
        assert description.startswith("<p>") and "<strong>Location:</strong>" in description
        locations = [c.text for c in item.findall("category") if c.get("domain") == "location"]
        assert locations and all(loc and loc.endswith("Australia") for loc in locations)
        status, _, _ = fetch(link)
        assert status == 200


# --- the whole demo ------------------------------------------------------------------------


def test_robots_txt_allows_everything(site: DemoServer) -> None:
    robots = RobotFileParser()
    robots.parse(get_text(f"{site.base_url}/robots.txt").splitlines())
    for entry in site.sources():
        for agent in ("*", "Scrapy/2.13 (+https://scrapy.org)", "rcjobs"):
            assert robots.can_fetch(agent, entry["url"])
    assert robots.can_fetch("*", f"{workday_api(site)}/jobs")


def test_enough_postings_from_enough_institutions(site: DemoServer) -> None:
    seen: Counter[str] = Counter()
    for item in workday_all(site):
        data = get_json(f"{workday_api(site)}{item['externalPath']}")
        seen[data["hiringOrganization"]["name"]] += 1
    for url in jsonld_detail_urls(site):
        data = json.loads(jsonld_block(get_text(url)), strict=False)
        seen[data["hiringOrganization"]["name"]] += 1
    for job in get_json(source(site, "demo-alpine")["url"])["jobs"]:
        seen[job["company_name"]] += 1
    seen[source(site, "demo-coralsea")["institution"]] += len(feed_items(site))
    assert sum(seen.values()) >= 45
    assert len(seen) == 5 and min(seen.values()) >= 8
    assert set(seen) == {entry["institution"] for entry in site.sources()}


def test_sources_entries_and_toml(site: DemoServer) -> None:
    entries = site.sources()
    assert [e["platform"] for e in entries] == ["workday", "jsonld", "jsonld", "greenhouse", "feed"]
    assert len({e["id"] for e in entries}) == len(entries)
    for entry in entries:
        assert {"id", "institution", "platform", "url"} <= set(entry)
        assert entry["url"].startswith(site.base_url + "/")
        status, _, _ = fetch(entry["url"])
        assert status == 200
    workday = source(site, "demo-northbridge")
    assert (workday["tenant"], workday["site"], workday["search"]) == ("northbridge", "Careers", "")
    assert source(site, "demo-alpine")["board"] == GREENHOUSE_BOARD
    assert tomllib.loads(site.sources_toml())["source"] == entries


def test_unknown_paths_are_404(site: DemoServer) -> None:
    for path in ("/nope", "/cascadia/careers/jobs/CNL-0/x", "/coralsea/jobs/CSUT-0"):
        status, _, _ = fetch(site.base_url + path)
        assert status == 404


def test_dates_follow_today() -> None:
    server = serve(0)
    try:
        item = workday_page(server, 0, 1)["jobPostings"][0]
        info = get_json(f"{workday_api(server)}{item['externalPath']}")["jobPostingInfo"]
    finally:
        server.shutdown()
    posting = next(p for p in postings("northbridge") if p.id == info["jobReqId"])
    assert info["startDate"] == posting.posted_on(date.today()).isoformat()


def test_shutdown_frees_the_port() -> None:
    with serve(0) as server:
        url = f"{server.base_url}/robots.txt"
        assert fetch(url)[0] == 200
    with pytest.raises(URLError):
        fetch(url)


def test_runs_standalone() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "demo.server", "--port", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        base = process.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base)
        header = process.stdout.readline()
        assert base in header
        assert fetch(f"{base}/robots.txt")[0] == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()


# --- the postings themselves ---------------------------------------------------------------


def test_postings_are_complete_and_fresh() -> None:
    every = postings()
    assert len(every) >= 45
    assert len({p.id for p in every}) == len(every)
    assert Counter(p.institution for p in every).keys() == INSTITUTIONS.keys()
    for posting in every:
        assert 200 <= posting.word_count(TODAY) <= 500, posting.id
        assert 1 <= posting.posted_days_ago <= 40, posting.id
        assert posting.closes_in_days is None or -10 <= posting.closes_in_days <= 60
        assert posting.remote in ("onsite", "hybrid", "remote")
        assert posting.places
    closed = [p for p in every if not is_open(p, TODAY)]
    assert 1 <= len(closed) <= 3
    assert {p.salary.currency for p in every if p.salary} >= {"USD", "CAD", "GBP", "AUD", "EUR"}
    titles = {p.title for p in every}
    assert {"Research Software Engineer II", "Director of Athletics and Recreation",
            "Groundskeeper"} <= titles  # fmt: skip
    assert any("Review of applications begins" in p.description_html(TODAY) for p in every)


def test_a_forked_process_that_stops_the_sites_exits_and_the_sites_keep_serving() -> None:
    """`rcjobs demo` forks gunicorn's workers after starting the sites; a worker leaving runs
    the demo's `finally: sites.shutdown()`. It must not wait for a serving thread that only
    the parent has (Ctrl-C then took gunicorn's 10 s timeout and a SIGKILL of each worker)."""
    server = serve(0, today=lambda: TODAY)
    try:
        child = os.fork()
        if child == 0:  # pragma: no cover - the child's exit status is the assertion
            try:
                server.shutdown()
            finally:
                os._exit(0)
        deadline = time.monotonic() + 10.0
        status = None
        while time.monotonic() < deadline:
            done, status = os.waitpid(child, os.WNOHANG)
            if done:
                break
            time.sleep(0.02)
        else:
            os.kill(child, signal.SIGKILL)
            os.waitpid(child, 0)
            pytest.fail("the forked process's shutdown() did not return within 10 s")
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
        code, _, _ = fetch(f"{server.base_url}/robots.txt")
        assert code == 200  # the parent's sites still answer
    finally:
        server.shutdown()
