"""The literal tests that spare case-insensitive and boilerplate searches agree with them."""

from __future__ import annotations

import re
import string
from datetime import date
from typing import Any

import pytest

from board.normalize import boilerplate, dates
from board.normalize.literals import IGNORECASE_EXTRA, may_hold
from board.normalize.roles import _alternatives


def test_the_extra_characters_are_all_that_ignorecase_matches_to_ascii_letters() -> None:
    letters = re.compile("[a-z]", re.I)
    odd = [
        chr(c)
        for c in range(0x110000)
        if chr(c) not in string.ascii_letters and letters.match(chr(c))
    ]
    assert odd == list(IGNORECASE_EXTRA)


def test_may_hold_searches_text_with_an_extra_character() -> None:
    text = "Fully REMOTE"
    assert may_hold(text, text.lower(), ("remote",))
    assert not may_hold("on site", "on site", ("remote",))
    odd = "fully rem\u0131te"  # dotless i: IGNORECASE matches it to "i"
    assert may_hold(odd, odd.lower(), ("remite",))


def test_the_boilerplate_parts_are_the_sentence_pattern() -> None:
    joined = "|".join(pattern.pattern for _, pattern in boilerplate._SENTENCE_PARTS)
    assert joined == boilerplate._BOILERPLATE_SENTENCE.pattern
    assert [p.pattern for _, p in boilerplate._SENTENCE_PARTS] == _alternatives(joined)


SENTENCES = [
    "we are an equal opportunity employer.",
    "we are an equal employment opportunity and affirmative action employer",
    "applicants are considered without regard to race",
    "protected veteran status",
    "reasonable accommodations are available",
    "we use e-verify",
    "a drug-free workplace",
    "a drug free workplace",
    "subject to a background check",
    "sexual orientation, gender identity, national origin, genetic information",
    "disability status",
    "health insurance and dental insurance",
    "retirement plan",
    "retirement savings",
    "401(k) match",
    "401k",
    "paid time off",
    "paid leave and paid holidays",
    "tuition remission",
    "a pension",
    "annual leave",
    "no visa sponsorship",
    "the university is proud to",
    "mit is committed to excellence",
    "we were founded in 1861",
    "we are established",
    "the lab is a world-leading centre",
    "it is a world leading centre",
    "it is a top school",
    "it is an premier institute",
    "is a renowned place",
    "is a mission-driven organisation",
    "our mission is to",
    "we are a people-first employer",
    "we are an ai-powered lab",
    "ranked among the best",
    "ranked #1",
    "one of the world's best",
    "one of the largest",
    "apply now",
    "apply online via the portal",
    "click here",
    "click apply",
    "send a cover letter",
    "a curriculum vitae",
    "send your cv today",
    "references are required",
    "reference will be checked",
    # near misses
    "equal pay",
    "the cvs are",
    "drugs for research",
    "a leading group",
    "top-notch",
    "apply machine learning to research",
    "lead the hpc team of ten engineers",
    "",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_the_boilerplate_test_agrees_with_the_sentence_search(sentence: str) -> None:
    expected = boilerplate._BOILERPLATE_SENTENCE.search(sentence) is not None
    assert boilerplate._boilerplate(sentence) is expected


def test_the_boilerplate_test_agrees_on_the_board_descriptions(board_jobs: Any) -> None:
    checked = 0
    for job in board_jobs:
        for line in str(job.get("description") or "").lower().splitlines():
            expected = boilerplate._BOILERPLATE_SENTENCE.search(line) is not None
            assert boilerplate._boilerplate(line) is expected, line
            checked += 1
    assert checked > 200


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("This is a full-time position in Boston.", ["full_time"]),
        ("A PART TIME role", ["part_time"]),
        ("a 2-year fixed-term appointment", ["fixed_term"]),
        ("A 12 month contract, part-time", ["part_time", "fixed_term"]),
        ("Full time job for the right person", ["full_time"]),
        ("Time to apply: any time", []),
        ("part-t\u0131me, not full time", ["part_time"]),  # IGNORECASE: dotless i is "i"
    ],
)
def test_employment_types_in_text(text: str, kinds: list[str]) -> None:
    assert dates.employment_types_in_text(text) == kinds


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Review of applications begins March 1, 2026.", date(2026, 3, 1)),
        ("Applications will be considered starting 1 March 2026", None),  # no "review"
        ("Applications will be considered, review starting 1 March 2026", date(2026, 3, 1)),
        ("Candidates will be reviewed after 2026-03-01.", date(2026, 3, 1)),
        ("Review will begin on or after 2026-03-01", None),
        ("Review on or after 2026-03-01", date(2026, 3, 1)),
        ("APPLICATION REVIEW COMMENCES: 2026-03-01", date(2026, 3, 1)),
        ("Review\n  starts on March 1, 2026", date(2026, 3, 1)),
        ("Peer review is part of the job. We start in 2026.", None),
        ("Rev\u0131ew begins March 1, 2026; code review", date(2026, 3, 1)),  # dotless i
    ],
)
def test_review_dates_are_found_as_before(text: str, day: date | None) -> None:
    today = date(2026, 1, 15)
    assert dates.find_review_date(text, today) == day
