"""JSON-LD spider over the recorded pages in ../shared/fixtures/jsonld and icims/."""

from __future__ import annotations

from board.extract.jobposting import jsonld_objects, posting_location
from board.extract.lenient_json import loads_lenient
from tests.shared import read_fixture, read_fixture_bytes
from tests.spiders.helpers import build_spider, call, detail, dropped, split, start

ORIGIN = "http://127.0.0.1:8999"


def test_malformed_jsonld_with_unescaped_quotes_is_repaired() -> None:
    """The lab page's script has raw newlines and unescaped quotes inside the description."""
    spider = build_spider("jsonld", url=f"{ORIGIN}/jobs/lsh-postdoc/")
    html = read_fixture_bytes("jsonld/usda-ars-lab-postdoc-malformed-jsonld.html")
    items, _ = split(call(start(spider)[0], html, kind="html"))
    assert len(items) == 1
    item = items[0]
    assert item["title"].startswith("Postdoctoral Fellow in locality sensitive hashing")
    assert item["institution"].startswith("United States Department of Agriculture")
    assert item["location"] == "Gainesville, FL, US"
    assert item["description"].startswith('<h1 id="scientific-challenge">')
    assert item["posted"] == "2022-08-11"
    assert item["closes"] == "2022-09-30T00:00"
    assert item["salary"]["value"]["value"] == 90000
    assert item["employment_type"] == "FULL_TIME"
    assert item["source_id"] == "000001"
    assert item["source"] == "test-jsonld"
    assert spider.complete  # a detail page as the source url is its own whole listing


def test_raw_newlines_parse_with_strict_false() -> None:
    """The salmonella posting only parses leniently; TELECOMMUTE-less postings stay onsite."""
    data = loads_lenient(read_fixture("jsonld/usda-ars-lab-salmonella-postdoc.jsonld"))
    assert data["title"] == "Postdoc Computational Biology"
    assert data["baseSalary"]["value"]["value"] == 64009


def test_icims_placeholders_are_left_out_of_the_location() -> None:
    """iCIMS writes "UNAVAILABLE" for unknown address parts."""
    html = read_fixture("jsonld/sig-icims-jsonld-wrapper.html")
    (posting,) = jsonld_objects(html)
    assert posting_location(posting) == "Hong Kong, HK"


def test_remote_location_from_telecommute() -> None:
    """jobLocationType TELECOMMUTE plus applicantLocationRequirements reads "Remote ..."."""
    posting = {
        "jobLocationType": "TELECOMMUTE",
        "applicantLocationRequirements": [{"@type": "Country", "name": "Canada"}],
    }
    assert posting_location(posting) == "Remote Canada"


def test_sitemap_to_detail_pages() -> None:
    """A sitemap's locs are fetched on the source's own origin, filtered by link_pattern."""
    spider = build_spider("jsonld", url=f"{ORIGIN}/sitemap.xml", link_pattern=r"/jobs/\d+/")
    (first,) = start(spider)
    xml = read_fixture_bytes("icims/jhpiego-sitemap-trimmed.xml")
    _, requests = split(call(first, xml, kind="xml"))
    assert [r.url for r in requests] == [
        f"{ORIGIN}/jobs/8067/senior-program-officer--tb--gujrat-%28gandhinagar%29/job",
        f"{ORIGIN}/jobs/4171/care-and-treatment-lead/job",
        f"{ORIGIN}/jobs/8071/senior--program-officer---cphc/job",
    ]
    assert spider.complete
    detail = read_fixture_bytes("jsonld/jhpiego-icims-jsonld-trimmed.html")
    (item,) = call(requests[0], detail, kind="html")
    assert item["title"] == "Senior Program Officer -TB -Gujrat (Gandhinagar)"
    assert item["institution"] == "Jhpiego"
    assert item["location"] == "Gujrat, IN"
    assert item["url"] == requests[0].url
    assert item["source_id"].startswith("https://jobs-jhpiego.icims.com/jobs/8067/")


def test_sitemap_index_completes_after_every_child() -> None:
    """A sitemap index is complete only when each child sitemap has been read."""
    spider = build_spider("jsonld", url=f"{ORIGIN}/sitemap_index.xml")
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>https://example.org/s1.xml</loc></sitemap>"
        "<sitemap><loc>https://example.org/s2.xml</loc></sitemap></sitemapindex>"
    )
    _, children = split(call(start(spider)[0], index, kind="xml"))
    assert [c.url for c in children] == [f"{ORIGIN}/s1.xml", f"{ORIGIN}/s2.xml"]
    child = (
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://example.org/job/1</loc></url></urlset>"
    )
    call(children[0], child, kind="xml")
    assert not spider.complete
    call(children[1], child, kind="xml")
    assert spider.complete


def test_listing_page_links_and_pagination() -> None:
    """A listing page's detail links (by link_pattern) and its next page, until none."""
    spider = build_spider(
        "jsonld",
        url=f"{ORIGIN}/careers/",
        link_pattern=r"/careers/job/",
        next_selector="a.next",
    )
    page1 = (
        "<html><body><a href='/about'>About</a><a href='/careers/job/1'>Director</a>"
        "<a href='/careers/job/2'>Manager</a><a href='/careers/job/1'>again</a>"
        "<a class='next' href='/careers/?page=2'>next</a></body></html>"
    )
    page2 = "<html><body><a href='/careers/job/3'>Lead</a></body></html>"
    _, requests = split(call(start(spider)[0], page1, kind="html"))
    assert [r.url for r in requests] == [
        f"{ORIGIN}/careers/job/1",
        f"{ORIGIN}/careers/job/2",
        f"{ORIGIN}/careers/?page=2",
    ]
    assert not spider.complete
    _, more = split(call(requests[-1], page2, kind="html"))
    assert [r.url for r in more] == [f"{ORIGIN}/careers/job/3"]
    assert spider.complete


def test_detail_without_jsonld_or_title_is_dropped() -> None:
    """No JobPosting, a posting without a title, and HTML-less bodies are counted drops."""
    spider = build_spider("jsonld", url=f"{ORIGIN}/careers/")
    request = detail(spider, f"{ORIGIN}/careers/job/9")
    assert call(request, "<html><body>Closed</body></html>", kind="html") == []
    untitled = (
        '<html><script type="application/ld+json">{"@type": "JobPosting", '
        '"description": "x"}</script></html>'
    )
    assert call(request, untitled, kind="html") == []
    assert call(request, b"\x00\x01 binary", kind="text") == []
    truncated = '<html><script type="application/ld+json">{"@type": "JobPosting", "title": "Dir'
    assert call(request, truncated, kind="html") == []
    assert dropped(spider) == {"no_jsonld": 2, "no_title": 1, "not_html": 1}


def test_graph_and_duplicate_postings() -> None:
    """Postings inside @graph are found; the same id twice on a page is dropped once."""
    spider = build_spider("jsonld", url=f"{ORIGIN}/careers/")
    posting = '{"@type": "JobPosting", "title": "HPC Lead", "identifier": {"value": "R1"}}'
    html = (
        '<html><script type="application/ld+json">{"@context": "https://schema.org", '
        f'"@graph": [{posting}, {posting}]}}</script></html>'
    )
    request = detail(spider, f"{ORIGIN}/careers/job/9")
    items = call(request, html, kind="html")
    assert [i["source_id"] for i in items] == ["R1"]
    assert dropped(spider) == {"duplicate_id": 1}


def test_failed_listing_page_keeps_run_incomplete() -> None:
    """A listing page that fails to download keeps the run from closing anything."""
    spider = build_spider("jsonld", url=f"{ORIGIN}/careers/", next_selector="a.next")
    page1 = "<html><body><a class='next' href='/careers/?page=2'>next</a></body></html>"
    _, (page2,) = split(call(start(spider)[0], page1, kind="html"))
    from twisted.python.failure import Failure

    failure = Failure(ConnectionError("refused"))
    failure.request = page2
    page2.errback(failure)
    assert not spider.complete
    assert dropped(spider) == {"request_failed": 1}
