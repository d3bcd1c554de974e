"""Real tenants' variants of each platform, on responses written from the platforms'
documented shapes (see responses/README.md): URL forms, the most exact date and place
fields, and pages in a shape the module does not know (a counted failure, never an end)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, unquote

import pytest

from board.extract import Fetched, SourceError, oracle_hcm, source_from_mapping, taleo
from tests.spiders.helpers import (
    build_spider,
    call,
    detail,
    dropped,
    own_response,
    respond,
    split,
    start,
)

ORIGIN = "http://127.0.0.1:8991"
ENTRY = {"id": "v", "institution": "Example University"}


def test_euraxess_title_is_the_offer_heading_not_the_kicker() -> None:
    """ "Job offer" beside the title (its own <h1> or a meta span) is not part of it."""
    spider = build_spider("euraxess", url=f"{ORIGIN}/jobs/search")
    offer = detail(spider, f"{ORIGIN}/jobs/301777", "offer")
    two_headings = (
        "<html><body><h1>Job offer</h1><h1 class='ecl-page-header__title'>Postdoctoral "
        "Researcher</h1><dl><dt>Organisation/Company</dt><dd>CNRS</dd><dt>Country</dt>"
        "<dd>France</dd></dl><div class='ecl-u-mb-l'><p>HPC for climate.</p></div></body></html>"
    )
    (item,) = call(offer, two_headings, kind="html")
    assert item["title"] == "Postdoctoral Researcher"
    assert item["institution"] == "CNRS"
    spider = build_spider("euraxess", url=f"{ORIGIN}/jobs/search")
    offer = detail(spider, f"{ORIGIN}/jobs/301778", "offer")
    nested = two_headings.replace(
        "<h1>Job offer</h1><h1 class='ecl-page-header__title'>Postdoctoral Researcher</h1>",
        "<h1 class='ecl-page-header__title'><span class='ecl-page-header__meta'>Job offer"
        "</span><span>Research Software Engineer</span></h1>",
    )
    (item,) = call(offer, nested, kind="html")
    assert item["title"] == "Research Software Engineer"


def test_euraxess_cards_with_offer_links_in_another_shape_fail_the_page() -> None:
    """Offer links of a shape the module does not read: a counted failure, not an end."""
    spider = build_spider("euraxess", url=f"{ORIGIN}/jobs/search")
    page = "<html><body><div class='x'><a href='/jobs/offer-301999'>Lead</a></div></body></html>"
    assert call(start(spider)[0], page, kind="html") == []
    assert dropped(spider) == {"unknown_listing_shape": 1}
    assert not spider.complete


def test_euraxess_written_search_pages_still_end_on_the_last() -> None:
    """The written search pages: a next link continues, none ends."""
    spider = build_spider("euraxess", url=f"{ORIGIN}/jobs/search")
    _, requests = split(call(start(spider)[0], own_response("euraxess-search-page0.html")))
    assert requests[-1].cb_kwargs["listing"]
    call(requests[-1], own_response("euraxess-search-page1.html"), kind="html")
    assert spider.complete


PEOPLESOFT = (
    "http://127.0.0.1:8991/psc/hrprd/EMPLOYEE/HRMS/c/HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL"
    "?Page=HRS_APP_SCHJOB_FL&Action=U"
)


def capped_page(message: bool = True) -> str:
    """A Candidate Gateway search page of a board too large to show whole."""
    cap = "<span class='PSTEXT'>Only the first 500 jobs can be displayed.</span>" if message else ""
    return (
        "<html><body><form name='win0' method='post' action='/psc/hrprd/EMPLOYEE/HRMS/c/"
        "HRS_HRAM_FL.HRS_CG_SEARCH_FL.GBL'><input type='hidden' name='ICSID' value='abc'>"
        "<input type='hidden' name='ICStateNum' value='3'>"
        "<input type='text' name='HRS_SCH_WRK_HRS_SCH_TEXT100' value=''>"
        f"<div id='win0divHRS_SCH_WRK_FLU_HRS_SES_CNTS_MSG'><b>1,204</b> jobs found.</div>{cap}"
        "<span id='SCH_JOB_TITLE$0'>Clerk</span>"
        "<span id='HRS_APP_JBSCH_I_HRS_JOB_OPENING_ID$0'>1</span></form></body></html>"
    )


def keyword_page() -> str:
    """The answer to the keyword search: two jobs, the closing date in HRS_CLS_DT_DESCR."""
    return (
        "<html><body><form name='win0' method='post'>"
        "<input type='hidden' name='ICSID' value='abc'>"
        "<div id='win0divHRS_SCH_WRK_FLU_HRS_SES_CNTS_MSG'><b>2</b> jobs found.</div>"
        "<li id='HRS_AGNT_RSLT_I$0_row_0'><span id='SCH_JOB_TITLE$0'>Director, Research "
        "Computing</span><span id='HRS_APP_JBSCH_I_HRS_JOB_OPENING_ID$0'>48001</span>"
        "<span id='LOCATION$0'>Main Campus</span><span id='SCH_OPENED$0'>05/01/2026</span>"
        "<span id='HRS_CLS_DT_DESCR$0'>06/15/2026</span></li>"
        "<li id='HRS_AGNT_RSLT_I$0_row_1'><span id='SCH_JOB_TITLE$1'>HPC Lead</span>"
        "<span id='HRS_APP_JBSCH_I_HRS_JOB_OPENING_ID$1'>48002</span></li>"
        "</form></body></html>"
    )


def test_peoplesoft_capped_board_is_searched_by_keyword() -> None:
    """ "Only the first 500 jobs": the `search` keyword is posted back; its results are
    walked to their own total; the row's HRS_CLS_DT_DESCR is the closing date."""
    spider = build_spider("peoplesoft", url=PEOPLESOFT, search="research computing")
    (search,) = call(start(spider)[0], capped_page(), kind="html")
    form = parse_qs(search.body.decode())
    assert form["HRS_SCH_WRK_HRS_SCH_TEXT100"] == ["research computing"]
    assert form["ICAction"] == ["HRS_SCH_WRK_FLU_HRS_SEARCH_BTN"]
    assert not spider.complete
    _, postings = split(call(search, keyword_page(), kind="html"))
    assert len(postings) == 2
    assert spider.complete
    listed = postings[0].cb_kwargs["meta"]["listed"]
    assert (listed["closes"], listed["posted"]) == ("06/15/2026", "05/01/2026")


def test_peoplesoft_capped_board_without_search_is_a_counted_failure() -> None:
    """Without `search` the capped board cannot be read whole: listing_capped, incomplete."""
    spider = build_spider("peoplesoft", url=PEOPLESOFT)
    _, shown = split(call(start(spider)[0], capped_page(), kind="html"))
    assert [r.cb_kwargs["step"] for r in shown] == ["posting"]  # the rows shown are read
    assert dropped(spider) == {"listing_capped": 1}
    assert not spider.complete


def test_peoplesoft_posting_page_closing_date() -> None:
    """The posting page's own closing-date field wins over the listing row's."""
    spider = build_spider("peoplesoft", url=PEOPLESOFT)
    _, requests = split(call(start(spider)[0], own_response("peoplesoft-search-page1.html")))
    page = (
        own_response("peoplesoft-posting.html")
        .decode()
        .replace(
            "</form>",
            "<span id='HRS_SCH_WRK_HRS_JO_PST_CLS_DT'>04/30/2026</span></form>",
        )
    )
    (item,) = call(requests[0], page, kind="html")
    assert item["closes"] == "04/30/2026"


@pytest.mark.parametrize(
    ("url", "site", "job_page"),
    [
        (
            "https://egug.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1/requisitions",
            "CX_1",
            "https://egug.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1/job/77",
        ),
        (
            "https://careers.example.edu/hcmUI/CandidateExperience/en-GB/sites/CX_2001/job/5",
            "CX_2001",
            "https://careers.example.edu/hcmUI/CandidateExperience/en-GB/sites/CX_2001/job/77",
        ),
    ],
)
def test_oracle_candidate_experience_on_oraclecloud_and_own_domains(
    url: str, site: str, job_page: str
) -> None:
    """The site number and language come from the path, on any host."""
    source = source_from_mapping({**ENTRY, "platform": "oracle_hcm", "url": url})
    assert oracle_hcm.site_number(source) == site
    (first,) = oracle_hcm.start(source)
    assert f"siteNumber={site}" in unquote(first.url)
    assert first.url.startswith(source.origin + "/hcmRestApi/")
    fields = oracle_hcm.detail_fields({"Id": "77", "Title": "Lead"}, {}, source)
    assert fields["url"] == job_page


def test_oracle_custom_domain_without_path_needs_site_number() -> None:
    """A career domain whose url does not show the site: `site_number` says it."""
    entry = {**ENTRY, "platform": "oracle_hcm", "url": "https://careers.example.edu/jobs"}
    with pytest.raises(SourceError, match="^v: oracle_hcm needs"):
        source_from_mapping(entry)
    source = source_from_mapping({**entry, "site_number": "CX_1001"})
    assert oracle_hcm.site_number(source) == "CX_1001"


def test_taleo_enterprise_and_business_edition_url_forms() -> None:
    """Enterprise section urls (jobsearch.ftl, joblist.ftl) and TBE careers urls."""
    for path in ("jobsearch.ftl?lang=en", "joblist.ftl", "jobdetail.ftl?job=123"):
        source = source_from_mapping(
            {**ENTRY, "platform": "taleo", "url": f"https://lbl.taleo.net/careersection/2/{path}"}
        )
        assert taleo.career_section(source) == "2"
    tbe = source_from_mapping(
        {
            **ENTRY,
            "platform": "taleo",
            "url": "https://phg.tbe.taleo.net/phg02/ats/careers/v2/searchResults?org=U&cws=38",
        }
    )
    spider = build_spider(
        "taleo", url="https://lbl.taleo.net/careersection/2/jobsearch.ftl?lang=en&portal=4160"
    )
    (first,) = start(spider)
    assert first.url.endswith("/careersection/rest/jobboard/searchjobs?lang=en&portal=4160")
    assert taleo.tbe_feed_url(tbe) == "https://phg.tbe.taleo.net/phg02/ats/servlet/Rss?org=U&cws=38"
    with pytest.raises(SourceError, match="^v: taleo business edition needs"):
        source_from_mapping(
            {**ENTRY, "platform": "taleo", "url": "https://phg.tbe.taleo.net/phg02/ats/careers/"}
        )


def test_icims_last_page_marker_and_unknown_shape() -> None:
    """ "Page 1 of 1" ends the listing at once; job links of another shape fail the page;
    a page that is not an iCIMS search page fails too."""
    spider = build_spider("icims", url=f"{ORIGIN}/jobs/search")
    page = (
        "<html><body><div class='iCIMS_JobsTable'><a href='/jobs/8067/lead/job'>Lead</a></div>"
        "<div class='iCIMS_Paging'>Page 1 of 1</div></body></html>"
    )
    _, requests = split(call(start(spider)[0], page, kind="html"))
    assert [r.url for r in requests] == [f"{ORIGIN}/jobs/8067/lead/job"]
    assert spider.complete
    spider = build_spider("icims", url=f"{ORIGIN}/jobs/search")
    other = "<html><body><div class='iCIMS_JobsTable'><a href='/jobs/8068/lead'>L</a></div>"
    assert call(start(spider)[0], other + "</body></html>", kind="html") == []
    assert call(start(spider)[0], "<html><body>Maintenance</body></html>", kind="html") == []
    assert dropped(spider) == {"unknown_listing_shape": 1, "unexpected_listing": 1}


def test_greenhouse_list_short_of_its_total_is_partial() -> None:
    """A board answer holding fewer jobs than its meta.total says is not the whole board."""
    spider = build_spider("greenhouse", url="https://boards-api.greenhouse.io/v1/boards/x/jobs")
    body = {"jobs": [{"id": 1, "title": "Lead", "content": "&lt;p&gt;x&lt;/p&gt;"}],
            "meta": {"total": 2}}  # fmt: skip
    assert len(call(start(spider)[0], body)) == 1
    assert dropped(spider) == {"short_listing": 1}
    assert not spider.complete


def test_workday_detail_cut_in_half_is_never_read() -> None:
    """Half a JSON object: the page fails, no record comes out of it."""
    page = build_spider("workday", url=f"{ORIGIN}/Careers", tenant="t").platform.parse(
        "detail",
        Fetched(
            f"{ORIGIN}/wday/cxs/t/Careers/job/x", json.dumps({"jobPostingInfo": {}})[:20].encode()
        ),
        source_from_mapping(
            {**ENTRY, "platform": "workday", "url": f"{ORIGIN}/Careers", "tenant": "t"}
        ),
        {},
    )
    assert page.records == []
    assert [p.reason for p in page.problems] == ["malformed_json"]


def test_euraxess_ecl_search_cards_and_offer_page() -> None:
    """The portal's ECL markup: result cards in a list, the offer's header title beside its
    "Job offer" kicker, the "Offer Description" section; no next page ends the listing."""
    spider = build_spider("euraxess", url="https://euraxess.ec.europa.eu/jobs/search")
    first = start(spider)[0]
    _, requests = split(call(first, own_response("euraxess-ecl-search.html"), kind="html"))
    assert [r.url for r in requests] == [
        "https://euraxess.ec.europa.eu/jobs/402001",
        "https://euraxess.ec.europa.eu/jobs/402002",
    ]
    assert spider.complete
    listed = requests[0].cb_kwargs["meta"]["listed"]
    assert listed["institution"] == "Barcelona Supercomputing Center"
    assert listed["location"] == "Spain, Barcelona Supercomputing Center, Barcelona"
    assert listed["closes"] == "2026-06-30T22:00:00Z"
    (item,) = call(requests[0], own_response("euraxess-ecl-offer.html"), kind="html")
    assert item["title"] == "Head of HPC User Support"
    assert item["institution"] == "Barcelona Supercomputing Center"
    assert item["location"] == "Barcelona, Spain"
    assert item["closes"] == "2026-06-30T22:00:00Z"
    assert item["posted"] == "12 May 2026"
    assert item["employment_type"] == "Permanent, Full-time"
    assert item["description"].startswith('<div class="ecl"><p>BSC seeks a head')
    assert "Where to apply" not in item["description"]


def test_taleo_detail_description_from_the_fill_list_script() -> None:
    """A jobdetail.ftl page without initialHistory: the "!*!" blocks of its
    `api.fillList(... 'descRequisition', [...])` script are the description."""
    spider = build_spider("taleo", url=f"{ORIGIN}/careersection/2/jobsearch.ftl", portal="101")
    page = (
        "<html><body><script>api.fillList('requisitionDescriptionInterface', "
        "'descRequisition', ['2400123', 'Director%2C+Research+Computing', "
        "'!*!%3Cp%3ELead+the+HPC+team+of+12.%3C%2Fp%3E', 'false', "
        "'!*!%3Cul%3E%3Cli%3EPhD+or+equivalent%3C%2Fli%3E%3C%2Ful%3E']);</script>"
        "</body></html>"
    )
    request = detail(
        spider,
        f"{ORIGIN}/careersection/2/jobdetail.ftl?job=2400123",
        listed={"title": "Director, Research Computing", "source_id": "2400123"},
    )
    (item,) = call(request, page, kind="html")
    assert (
        item["description"]
        == "<p>Lead the HPC team of 12.</p>\n<ul><li>PhD or equivalent</li></ul>"
    )


CLASSIC = "http://127.0.0.1:8991/psc/CAREERS/EMPLOYEE/HRMS/c/HRS_HRAM.HRS_CE.GBL"


def classic_list(rows: list[tuple[str, str]], counter: str, more: bool) -> str:
    """A classic Candidate Gateway job list (PSLEVEL1GRID rows)."""
    cells = "".join(
        f"<tr><td><a id='POSTINGTITLE${n}' href='javascript:submitAction_win0()'>{title}</a></td>"
        f"<td><span id='JOBNUMBER${n}'>{job}</span></td>"
        f"<td><span id='HRS_LOCATION_DESCR${n}'>Main Campus</span></td>"
        f"<td><span id='OPENED${n}'>05/0{n + 1}/2026</span></td></tr>"
        for n, (job, title) in enumerate(rows)
    )
    arrow = "<a id='HRS_CE_JO_EXT_I$hdown$0' href='javascript:x'>Next</a>" if more else ""
    return (
        "<html><body><form name='win0' method='post' action='/psc/CAREERS/EMPLOYEE/HRMS/c/"
        "HRS_HRAM.HRS_CE.GBL'><input type='hidden' name='ICSID' value='s1'>"
        f"<span class='PSGRIDCOUNTER'>{counter}</span>{arrow}"
        f"<table class='PSLEVEL1GRID'>{cells}</table></form></body></html>"
    )


def test_peoplesoft_classic_job_list_pages_to_its_counter() -> None:
    """HRS_HRAM.HRS_CE.GBL: POSTINGTITLE$N/JOBNUMBER$N rows; the grid's $hdown$ postback
    until "1-2 of 3" is reached; the classic posting page's long text is the description."""
    spider = build_spider("peoplesoft", url=CLASSIC)
    (first,) = start(spider)
    assert first.url == CLASSIC
    page1 = classic_list([("1201", "Director, Research Computing"), ("1202", "HPC Lead")],
                         "1-2 of 3", more=True)  # fmt: skip
    _, requests = split(call(first, page1, kind="html"))
    assert [r.cb_kwargs["meta"]["listed"]["source_id"] for r in requests[:2]] == ["1201", "1202"]
    assert "Page=HRS_CE_JOB_DTL" in requests[0].url and "JobOpeningId=1201" in requests[0].url
    postback = requests[2]
    assert parse_qs(postback.body.decode())["ICAction"] == ["HRS_CE_JO_EXT_I$hdown$0"]
    assert not spider.complete
    page2 = classic_list([("1203", "Research Data Manager")], "3-3 of 3", more=False)
    _, rest = split(call(postback, page2, kind="html"))
    assert [r.cb_kwargs["meta"]["listed"]["source_id"] for r in rest] == ["1203"]
    assert spider.complete
    posting = (
        "<html><body><form name='win0'><div class='PSLONGEDITBOX'><p>Lead the research "
        "computing group: HPC, storage and research software engineering for the campus.</p>"
        "</div></form></body></html>"
    )
    (item,) = call(requests[0], posting, kind="html")
    assert item["title"] == "Director, Research Computing"
    assert item["posted"] == "05/01/2026"
    assert item["description"].startswith("<h3>Description</h3>\n<p>Lead the research")


def test_euraxess_title_falls_back_to_the_page_title() -> None:
    """No header title beside the kicker: og:title (else <title>) without " | EURAXESS"."""
    spider = build_spider("euraxess", url=f"{ORIGIN}/jobs/search")
    offer = detail(spider, f"{ORIGIN}/jobs/301779", "offer")
    page = (
        "<html><head><meta property='og:title' content='HPC Architect | EURAXESS'></head>"
        "<body><h1>Job offer</h1><dl><dt>Country</dt><dd>Italy</dd></dl></body></html>"
    )
    (item,) = call(offer, page, kind="html")
    assert item["title"] == "HPC Architect"


def test_default_callback_reads_the_first_listing_page() -> None:
    """A response with no step (Scrapy's own `parse`) is read as the listing's first page."""
    spider = build_spider("pageup", url="http://127.0.0.1:8990/en-us/listing/")
    response = respond(
        "http://127.0.0.1:8990/en-us/listing/",
        own_response("pageup-own-listing-page2.html"),
        kind="html",
    )
    assert len(list(spider.parse(response))) == 3
    assert spider.complete


def test_jsonld_listing_whose_job_links_left_the_link_pattern_fails() -> None:
    """The entry's link_pattern matches none of the page's job links: a changed site is a
    counted failure, not an empty listing."""
    spider = build_spider(
        "jsonld", url=f"{ORIGIN}/careers/", link_pattern=r"/careers/job/", next_selector="a.n"
    )
    page = "<html><body><a href='/vacancies/2024-0117-hpc-lead'>HPC Lead</a></body></html>"
    assert call(start(spider)[0], page, kind="html") == []
    assert dropped(spider) == {"unknown_listing_shape": 1}
    assert not spider.complete
