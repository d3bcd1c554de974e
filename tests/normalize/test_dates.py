"""Dates (posted, closes, review begins) and employment type."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine

from board.normalize import normalize_record
from board.normalize.dates import (
    employment_types,
    employment_types_in_text,
    find_closing_date,
    find_review_date,
    parse_date,
)
from tests.normalize.conftest import TODAY
from tests.shared import read_fixture


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-09", date(2026, 2, 9)),
        ("2026-09-25T18:36:44+00:00", date(2026, 9, 25)),
        ("Mon, 09 Feb 2026 05:00:00 -0000", date(2026, 2, 9)),
        ("Posted Today", TODAY),
        ("Posted Yesterday", date(2026, 2, 9)),
        ("Posted 30+ Days Ago", date(2026, 1, 11)),
        ("Posted 26 Days Ago", date(2026, 1, 15)),
        ("3 days ago", date(2026, 2, 7)),
        ("2 weeks ago", date(2026, 1, 27)),
        ("12th August 2026", date(2026, 8, 12)),
        ("March 5, 2026", date(2026, 3, 5)),
    ],
)
def test_date_forms(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["soon", "n/a", "31/31/2026", "Posted whenever"])
def test_unreadable_dates_are_null_with_a_reason(text: str) -> None:
    problems: list[str] = []
    assert parse_date(text, TODAY, problems, "posted") is None
    assert problems and problems[0].startswith("posted:")


def test_relative_dates_default_to_the_real_today() -> None:
    with time_machine.travel(date(2026, 3, 1), tick=False):
        record = normalize_record({"title": "Director", "posted": "Posted Yesterday"})
    assert record["posted_on"] == "2026-02-28"


def test_today_keyword_pins_relative_dates() -> None:
    record = normalize_record({"title": "Director", "posted": "Posted 30+ Days Ago"}, today=TODAY)
    assert record["posted_on"] == "2026-01-11"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Review of applications begins January 15, 2026 and continues until filled.",
            date(2026, 1, 15),
        ),
        ("Review of applications will begin on 3 March 2026.", date(2026, 3, 3)),
        ("Applications will be reviewed beginning 2026-04-01.", date(2026, 4, 1)),
    ],
)
def test_review_begins(text: str, expected: date) -> None:
    assert find_review_date(text, TODAY) == expected


def test_closing_date_from_text() -> None:
    assert find_closing_date("Closing date: 27th September 2026", TODAY) == date(2026, 9, 27)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (("FULL_TIME",), ["full_time"]),
        (("Full Time,Fixed-Term/Contract",), ["full_time", "contract", "fixed_term"]),
        (("Part-time",), ["part_time"]),
        ((["CONTRACTOR"],), ["contract"]),
        (("OTHER",), []),
        ((None, 3), []),
    ],
)
def test_employment_types(values: tuple[object, ...], expected: list[str]) -> None:
    assert sorted(employment_types(*values)) == sorted(expected)


def test_dates_and_type_from_a_real_jobs_ac_uk_advert() -> None:
    html = read_fixture("jobs-ac-uk/job-detail-DSO886-trimmed.html")
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    posting = json.loads(html[start : html.index("</script>", start)], strict=False)
    record = normalize_record(
        {
            "title": posting["title"],
            "institution": posting["hiringOrganization"]["name"],
            "location": posting["jobLocation"],
            "description": posting["description"],
            "posted": posting["datePosted"],
            "closes": posting["validThrough"],
            "employment_type": posting["employmentType"],
        },
        today=TODAY,
    )
    assert (record["posted_on"], record["closes_on"]) == ("2026-08-12", "2026-09-27")
    assert record["employment_type"] == "fixed_term"
    assert set(record["employment_types"]) == {"full_time", "fixed_term", "contract"}
    assert record["location_display"] == "Liverpool UK"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("This is a full-time position with benefits.", ["full_time"]),
        ("A 2-year fixed-term appointment, part-time (60% FTE).", ["part_time", "fixed_term"]),
        ("We hold regular meetings; contract research is part of our work.", []),
        ("Works full time on HPC.", []),
    ],
)
def test_employment_types_stated_in_a_description(text: str, expected: list[str]) -> None:
    assert employment_types_in_text(text) == expected


def test_numeric_dates_follow_the_posting_country() -> None:
    raw = {"title": "Director", "closes": "03/04/2026"}
    us = normalize_record({**raw, "location": "Boston MA USA"}, today=TODAY)
    uk = normalize_record({**raw, "location": "Oxford UK"}, today=TODAY)
    assert (us["closes_on"], uk["closes_on"]) == ("2026-03-04", "2026-04-03")


def test_absurd_relative_dates_do_not_overflow() -> None:
    problems: list[str] = []
    got = parse_date("999999999999 days ago", TODAY, problems, "posted")
    assert got is None and problems
