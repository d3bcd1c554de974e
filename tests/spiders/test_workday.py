"""Workday CXS spider over the recorded list and detail responses in ../shared/fixtures."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine

from board.extract.workday import detail_fields, tenant_and_site
from board.normalize.dates import parse_date
from spiders.sources import SourceError, source_from_mapping
from tests.shared import read_fixture
from tests.spiders.helpers import build_spider, call, detail, dropped, split, start

ORIGIN = "http://127.0.0.1:8998"
API = f"{ORIGIN}/wday/cxs/nvidia/NVIDIAExternalCareerSite"


def detail_of(spider: object, entry: dict) -> object:
    """The detail request the spider makes of one list entry."""
    bullets = entry.get("bulletFields") or [None]
    return detail(spider, API + entry["externalPath"], entry=entry, list_id=bullets[0])


def nvidia() -> object:
    """A source pointed at loopback, with the tenant given as a key."""
    return build_spider(
        "workday",
        url=f"{ORIGIN}/en-US/NVIDIAExternalCareerSite",
        tenant="nvidia",
        search="HPC",
    )


def test_tenant_and_site_from_url_or_keys() -> None:
    """The tenant is the host's first label; the site the path's first non-locale segment."""
    entry = {"id": "x", "institution": "X", "platform": "workday"}
    url = "https://nvidia.wd5.myworkdayjobs.com/en-US/NVIDIAExternalCareerSite"
    assert tenant_and_site(source_from_mapping({**entry, "url": url})) == (
        "nvidia",
        "NVIDIAExternalCareerSite",
    )
    url = "https://osu.wd1.myworkdayjobs.com/OSUCareers/"
    assert tenant_and_site(source_from_mapping({**entry, "url": url})) == ("osu", "OSUCareers")
    keyed = {**entry, "url": "http://127.0.0.1:1/x", "tenant": "t", "site": "s"}
    assert tenant_and_site(source_from_mapping(keyed)) == ("t", "s")


def test_source_without_site_is_refused_naming_it() -> None:
    """A Workday url without a site path cannot be crawled."""
    with pytest.raises(SourceError, match="^bad-wd: "):
        source_from_mapping(
            {
                "id": "bad-wd",
                "institution": "X",
                "platform": "workday",
                "url": "https://x.wd1.myworkdayjobs.com/",
            }
        )


@time_machine.travel(dt.datetime(2026, 8, 2, 12, tzinfo=dt.UTC), tick=False)
def test_list_then_detail() -> None:
    """The first POST carries search and limit; details are fetched by externalPath."""
    spider = nvidia()
    (first,) = start(spider)
    assert first.method == "POST"
    assert first.url == f"{API}/jobs"
    assert json.loads(first.body) == {
        "appliedFacets": {},
        "limit": 20,
        "offset": 0,
        "searchText": "HPC",
    }
    _, details = split(call(first, read_fixture("workday/nvidia-list-trimmed.json")))
    assert [d.url for d in details] == [
        f"{API}/job/Israel-Yokneam/Practical-Hardware-Electronics-Test-Engineer_JR2021705",
        f"{API}/job/US-CA-Santa-Clara/Distinguished-Software-Architect---Deep-Learning-and-HPC"
        "-Communications_JR1980127",
        f"{API}/job/US-CA-Santa-Clara/Senior-Data-Center-Performance-Engineer---Benchmarking"
        "-and-Optimization_JR2008808",
    ]
    assert spider.complete  # total 3, all on the first page
    (item,) = call(details[0], read_fixture("workday/nvidia-detail.json"))
    assert item["title"] == "Practical Hardware Electronics Test Engineer"
    assert item["institution"] == "Test University"  # not the legal entity "IL00 Mellanox..."
    assert item["location"] == "Israel, Yokneam"
    assert item["posted"] == "2026-08-02"  # "Posted Today" on the crawl date
    assert item["employment_type"] == "Full time"
    assert item["source_id"] == "JR2021705"
    assert item["url"].startswith("https://nvidia.wd5.myworkdayjobs.com/NVIDIAExternalCareerSite/")
    assert item["description"].startswith("<p>Our Lab team in Israel Yokneam")


def test_multi_page_listing_until_total() -> None:
    """3M's trimmed page says total 56: pages at offsets 20 and 40 follow, then complete."""
    spider = build_spider("workday", url=f"{ORIGIN}/Search", tenant="3m")
    page = read_fixture("workday/3m-list-us.json")
    results = call(start(spider)[0], page)
    _, requests = split(results)
    assert len(requests) == 9  # 8 details + the next page
    next_page = requests[-1]
    assert json.loads(next_page.body)["offset"] == 20
    assert not spider.complete
    later = json.loads(page)
    later["total"] = 0  # Workday reports the total on the first page only
    _, requests = split(call(next_page, later))
    assert json.loads(requests[-1].body)["offset"] == 40
    assert not spider.complete
    for entry in later["jobPostings"]:  # new ids so the last page is not all duplicates
        entry["externalPath"] += "-p3"
    _, requests = split(call(requests[-1], later))
    assert all("/job/" in r.url for r in requests)
    assert spider.complete


def test_multi_location_detail_joins_additional_locations() -> None:
    """ "3 Locations" in the list: the detail's location plus additionalLocations."""
    spider = build_spider("workday", url=f"{ORIGIN}/Search", tenant="3m")
    _, requests = split(call(start(spider)[0], read_fixture("workday/3m-list-us.json")))
    detail = next(r for r in requests if "R01168597" in r.url)
    (item,) = call(detail, read_fixture("workday/3m-detail.json"))
    assert item["location"] == "US, Minnesota, Maplewood; Remote - California; US, Texas, Austin"
    assert item["source_id"] == "R01168597"


def test_pay_range_line_becomes_salary() -> None:
    """A clear pay-range line stays in the description and is also given as salary text."""
    spider = nvidia()
    detail = json.loads(read_fixture("workday/nvidia-detail.json"))
    detail["jobPostingInfo"]["jobDescription"] += (
        "<p>The base salary range is 148,000 USD - 287,500 USD for Level 3.</p>"
    )
    request = detail_of(spider, {"externalPath": "/job/x_JR1", "bulletFields": ["JR1"]})
    (item,) = call(request, detail)
    assert "148,000 USD - 287,500 USD" in item["description"]
    assert item["salary"] == "The base salary range is 148,000 USD - 287,500 USD for Level 3"


def test_hourly_pay_line_becomes_salary() -> None:
    """An hourly wage ("$24.50 – $28.75 per hour") is a pay line too, not only yearly sums."""
    spider = nvidia()
    detail = json.loads(read_fixture("workday/nvidia-detail.json"))
    detail["jobPostingInfo"]["jobDescription"] += (
        "<p><strong>Salary:</strong> CAD $24.50 – $28.75 per hour</p>"
    )
    request = detail_of(spider, {"externalPath": "/job/x_JR1", "bulletFields": ["JR1"]})
    (item,) = call(request, detail)
    assert item["salary"] == "Salary: CAD $24.50 – $28.75 per hour"


def test_minimal_list_without_bullets() -> None:
    """Miami's trimmed list (title and externalPath only, total 1751) still pages on."""
    spider = build_spider("workday", url=f"{ORIGIN}/en-US/UMiami", tenant="miami")
    _, requests = split(call(start(spider)[0], read_fixture("workday/umiami-list-minimal.json")))
    assert len(requests) == 2
    assert not spider.complete


def test_limit_above_20_refused_falls_back() -> None:
    """A 400 to limit 50 repeats the same offset with limit 20."""
    spider = build_spider("workday", url=f"{ORIGIN}/Search", tenant="3m", page_size=50)
    (first,) = start(spider)
    assert json.loads(first.body)["limit"] == 50
    (retry,) = call(first, {"errorCode": "HTTP_400"}, status=400)
    assert json.loads(retry.body) == {
        "appliedFacets": {},
        "limit": 20,
        "offset": 0,
        "searchText": "",
    }
    _, requests = split(call(retry, read_fixture("workday/arrowstreet-list.json")))
    assert len(requests) == 4
    assert spider.complete


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<html><body>Service unavailable</body></html>", "html_not_json"),
        ('{"total": 3, "jobPostings": [{"title": "x"', "malformed_json"),
        ('{"error": "Invalid request", "httpStatus": 500}', "error_body"),
        ('{"total": 3}', "no_job_list"),
    ],
)
def test_bad_list_pages_are_dropped_and_keep_the_run_incomplete(body: str, reason: str) -> None:
    """HTML where JSON was expected, truncated JSON, a 200 error body, a missing list."""
    spider = nvidia()
    assert call(start(spider)[0], body) == []
    assert dropped(spider) == {reason: 1}
    assert not spider.complete


def test_bad_detail_and_duplicates() -> None:
    """A detail without a title is dropped; the same req id twice yields one item."""
    spider = nvidia()
    request = detail_of(spider, {"externalPath": "/job/x_JR1"})
    detail = json.loads(read_fixture("workday/nvidia-detail.json"))
    untitled = json.loads(json.dumps(detail))
    untitled["jobPostingInfo"]["title"] = ""
    assert call(request, untitled) == []
    assert len(call(request, detail)) == 1
    assert call(request, detail) == []
    listing = {"total": 1, "jobPostings": [{"title": "no path"}]}
    assert call(start(spider)[0], listing) == []
    assert dropped(spider) == {"no_title": 1, "duplicate_id": 1, "no_external_path": 1}


def test_empty_page_before_total_is_not_complete() -> None:
    """A listing that runs dry before its total is a partial listing."""
    spider = nvidia()
    _, requests = split(
        call(start(spider)[0], {"total": 30, "jobPostings": [{"externalPath": "/job/a"}]})
    )
    assert call(requests[-1], {"total": 0, "jobPostings": []}) == []
    assert not spider.complete
    assert dropped(spider) == {"short_listing": 1}


def test_posted_date_is_the_exact_start_date() -> None:
    """The detail's `startDate` is the posted date, not "Posted 26 Days Ago" counted back."""
    info = json.loads(read_fixture("workday/3m-detail.json"))["jobPostingInfo"]
    assert info["postedOn"] == "Posted 26 Days Ago"
    assert detail_fields(info, {}, "https://x/job")["posted"] == "2026-09-01"


def test_relative_posted_text_is_left_to_the_one_date_parser() -> None:
    """Without `startDate` the "Posted ..." text passes on; the normalizer counts it back."""
    info = {"title": "Lead", "postedOn": "Posted 30+ Days Ago"}
    posted = detail_fields(info, {}, "https://x/job")["posted"]
    assert posted == "Posted 30+ Days Ago"
    today = dt.date(2026, 3, 31)
    assert parse_date(posted, today) == dt.date(2026, 3, 1)
    assert parse_date("Posted Yesterday", today) == dt.date(2026, 3, 30)
    assert parse_date("Posted 2 Days Ago", today) == dt.date(2026, 3, 29)


def test_myworkdaysite_and_details_links() -> None:
    """wdN.myworkdaysite.com/recruiting/TENANT/SITE and /details/ job links name the site."""
    entry = {"id": "x", "institution": "X", "platform": "workday"}
    url = "https://wd1.myworkdaysite.com/en-US/recruiting/upenn/careers-at-penn"
    source = source_from_mapping({**entry, "url": url})
    assert tenant_and_site(source) == ("upenn", "careers-at-penn")
    spider = build_spider("workday", url=url)
    (first,) = start(spider)
    assert first.url == "https://wd1.myworkdaysite.com/wday/cxs/upenn/careers-at-penn/jobs"
    url = "https://osu.wd1.myworkdayjobs.com/en-US/OSUCareers/details/Director_R123?q=x"
    assert tenant_and_site(source_from_mapping({**entry, "url": url})) == ("osu", "OSUCareers")
    bare = "https://wd1.myworkdaysite.com/en-US/recruiting/"
    with pytest.raises(SourceError, match="^x: workday url"):
        source_from_mapping({**entry, "url": bare})
