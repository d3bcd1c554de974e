"""Feed, jobs.ac.uk and iCIMS spiders over the recorded files in ../shared/fixtures."""

from __future__ import annotations

from tests.shared import read_fixture, read_fixture_bytes
from tests.spiders.helpers import build_spider, call, detail, dropped, split, start

ORIGIN = "http://127.0.0.1:8994"


def test_rss_feed_title_org_split() -> None:
    """Every item of the Research Computing Teams feed; "Title - Org" gives the institution."""
    spider = build_spider("feed", url=f"{ORIGIN}/jobs.rss", title_separator=" - ")
    items, _ = split(call(start(spider)[0], read_fixture_bytes("rss/rct-jobboard.rss"), kind="xml"))
    assert len(items) == read_fixture("rss/rct-jobboard.rss").count("<item>")
    first = items[0]
    assert first["title"] == "Manager, Computational Scientific Programming, Research Computing"
    assert first["institution"] == "Empire AI"
    assert first["location"] == "New York City NY USA"
    assert first["url"] == "https://www.linkedin.com/jobs/view/4370561599"
    assert first["source_id"] == "job-3520"
    assert first["posted"] == "Mon, 09 Feb 2026 05:00:00 -0000"
    assert spider.complete


def test_atom_feed() -> None:
    """Atom entries: link href, id, updated."""
    spider = build_spider("feed", url=f"{ORIGIN}/jobs.atom")
    atom = (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Jobs</title>'
        "<entry><title>Head of Research Computing</title><id>urn:job:7</id>"
        '<link href="https://example.ac.uk/jobs/7"/><updated>2026-01-05T00:00:00Z</updated>'
        "<summary>&lt;p&gt;Location: Leeds&lt;/p&gt;</summary></entry></feed>"
    )
    (item,) = call(start(spider)[0], atom, kind="xml")
    assert item["title"] == "Head of Research Computing"
    assert item["source_id"] == "urn:job:7"
    assert item["url"] == "https://example.ac.uk/jobs/7"
    assert item["location"] == "Leeds"


RSS_WITH_CATEGORIES = (
    '<?xml version="1.0"?><rss version="2.0"><channel><title>Vacancies</title>'
    "<item><title>Director, eResearch</title><link>https://csut.example/jobs/1</link>"
    '<guid isPermaLink="false">CSUT-1</guid>'
    '<category domain="location">Brisbane, Queensland, Australia</category>'
    '<category domain="department">eResearch Office</category>'
    "<description>&lt;p&gt;Lead the eResearch Office.&lt;/p&gt;"
    "&lt;p&gt;&lt;strong&gt;Salary:&lt;/strong&gt; AUD $190,000 – $215,000 per year&lt;/p&gt;"
    "&lt;p&gt;&lt;strong&gt;Location:&lt;/strong&gt; Brisbane, Queensland, Australia. "
    "This position is hybrid, with two days a week on site.&lt;/p&gt;</description></item>"
    "<item><title>Associate Director, Research Cloud</title><guid>CSUT-2</guid>"
    '<category domain="location">Australia</category>'
    "<description>&lt;p&gt;&lt;strong&gt;Location:&lt;/strong&gt; Remote. This position is "
    "fully remote within the country named above.&lt;/p&gt;</description></item>"
    "</channel></rss>"
)


def test_rss_location_categories_and_pay_line() -> None:
    """<category domain="location"> gives the places (the description line only adds how the
    work is arranged); the description's pay line gives the salary."""
    spider = build_spider("feed", url=f"{ORIGIN}/jobs.rss")
    hybrid, remote = call(start(spider)[0], RSS_WITH_CATEGORIES, kind="xml")
    assert hybrid["location"] == (
        "Brisbane, Queensland, Australia. This position is hybrid, with two days a week on site."
    )
    assert hybrid["salary"] == "Salary: AUD $190,000 – $215,000 per year"
    assert remote["location"] == (
        "Australia. This position is fully remote within the country named above."
    )
    assert remote.get("salary") is None


def test_truncated_and_non_feed_bodies() -> None:
    """A truncated feed keeps its whole items but is not complete; HTML is not a feed."""
    spider = build_spider("feed", url=f"{ORIGIN}/jobs.rss", title_separator=" - ")
    body = read_fixture_bytes("rss/rct-jobboard.rss")
    cut = body[: body.index(b"</item>", 20000) + 200]
    items, _ = split(call(start(spider)[0], cut, kind="xml"))
    assert items
    assert not spider.complete
    assert call(start(spider)[0], "<html><body>Moved</body></html>", kind="xml") == []
    assert dropped(spider)["not_a_feed"] == 1


def test_jobs_ac_uk_search_then_advert() -> None:
    """Search cards → advert requests; the advert's JSON-LD plus its details table."""
    spider = build_spider("jobs_ac_uk", url=f"{ORIGIN}/search/", search="research computing")
    (first,) = start(spider)
    assert first.url == (f"{ORIGIN}/search/?keywords=research+computing&pageSize=25&startIndex=1")
    page = read_fixture("jobs-ac-uk/search-results-trimmed.html")
    _, requests = split(call(first, page, kind="html"))
    assert [r.url for r in requests] == [
        f"{ORIGIN}/job/DSS400/associate-lecturer-in-public-health",
        f"{ORIGIN}/job/DRH240/fully-funded-phd-studentship-recycled-aluminium-alloys",
    ]
    assert spider.complete  # fewer than a full page of results
    assert requests[0].cb_kwargs["meta"]["card"]["employer"] == "Birkbeck, University of London"
    advert_page = read_fixture("jobs-ac-uk/job-detail-DSO886-trimmed.html")
    advert = detail(spider, f"{ORIGIN}/job/DSO886/postdoctoral-research-associate")
    (item,) = call(advert, advert_page, kind="html")
    assert item["title"] == "Postdoctoral Research Associate in Public Health Nutrition"
    assert item["institution"] == "University of Liverpool"
    assert item["location"] == "Liverpool, England, United Kingdom"
    assert item["salary"] == "£39,906 to £46,049 per annum"
    assert item["closes"] == "2026-09-27T00:00:00+00:00"
    assert item["employment_type"] == "Full Time, Fixed-Term/Contract"
    assert item["source_id"] == "DSO886"


def test_jobs_ac_uk_full_page_asks_for_the_next() -> None:
    """A page of 25 cards asks for startIndex 26; a card without an advert link is dropped."""
    spider = build_spider("jobs_ac_uk", url=f"{ORIGIN}/search/")
    cards = "".join(
        f'<div class="j-search-result__result" data-advert-id="{n}">'
        f'<div class="j-search-result__text"><a href="/job/R{n}/x">Lead {n}</a></div></div>'
        for n in range(25)
    )
    broken = '<div class="j-search-result__result" data-advert-id="99"><a>no link</a></div>'
    _, requests = split(
        call(start(spider)[0], f"<html><body>{cards}{broken}</body></html>", kind="html")
    )
    assert requests[-1].url.endswith("startIndex=26")
    assert not spider.complete
    assert dropped(spider) == {"no_advert_link": 1}


def test_icims_search_pages_then_detail() -> None:
    """Search pages by `pr` until one shows no new jobs; the job number is the id."""
    spider = build_spider("icims", url=f"{ORIGIN}/jobs/search", search="HPC")
    (first,) = start(spider)
    assert first.url == f"{ORIGIN}/jobs/search?ss=1&in_iframe=1&pr=0&searchKeyword=HPC"
    page = (
        "<html><body><a class='iCIMS_Anchor' href='/jobs/8067/senior-program-officer/job"
        "?in_iframe=1'>x</a><a href='/jobs/intro'>intro</a></body></html>"
    )
    _, requests = split(call(first, page, kind="html"))
    assert [r.url for r in requests] == [
        f"{ORIGIN}/jobs/8067/senior-program-officer/job",
        f"{ORIGIN}/jobs/search?ss=1&in_iframe=1&pr=1&searchKeyword=HPC",
    ]
    assert call(requests[1], page, kind="html") == []  # nothing new: the listing ends
    assert spider.complete
    detail = read_fixture("jsonld/jhpiego-icims-jsonld-trimmed.html")
    (item,) = call(requests[0], detail, kind="html")
    assert item["source_id"] == "8067"
    assert item["institution"] == "Jhpiego"


def test_icims_sitemap_and_malformed_detail() -> None:
    """A sitemap source skips /jobs/intro; a detail page without JSON-LD is dropped."""
    spider = build_spider("icims", url=f"{ORIGIN}/sitemap.xml")
    xml = read_fixture_bytes("icims/jhpiego-sitemap-trimmed.xml")
    _, requests = split(call(start(spider)[0], xml, kind="xml"))
    assert len(requests) == 3
    assert spider.complete
    assert call(requests[0], "<html><body>Error", kind="html") == []
    assert dropped(spider) == {"no_jsonld": 1}
