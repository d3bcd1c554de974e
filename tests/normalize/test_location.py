"""Locations: free text to {city, region, country}, remote flag and the newsletter display."""

from __future__ import annotations

import json
from typing import Any

import pytest

from board.normalize import normalize_record
from board.normalize.gazetteer import fold
from board.normalize.location import location_display, parse_location
from tests.normalize.conftest import REPORT, TODAY, read_jsonl
from tests.shared import read_fixture


def places(text: Any) -> list[tuple[str | None, str | None, str | None]]:
    return [(p["city"], p["region"], p["country"]) for p in parse_location(text).locations]


def display(text: str) -> str | None:
    parsed = parse_location(text)
    return location_display(parsed.locations, parsed.remote)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "City ST CC": the country code decides what the middle code means.
        ("Hamilton ON CA", [("Hamilton", "ON", "CA")]),
        ("Berkeley CA USA", [("Berkeley", "CA", "US")]),
        ("Golden CO USA", [("Golden", "CO", "US")]),
        ("Sydney NSW AU", [("Sydney", "NSW", "AU")]),
        ("Oxford UK", [("Oxford", None, "GB")]),
        ("Princeton NJ", [("Princeton", "NJ", "US")]),
        # "City, State, Country" and full names, postal codes, Workday's reversed order.
        ("San Francisco, CA, United States", [("San Francisco", "CA", "US")]),
        ("Boston, MA, United States of America", [("Boston", "MA", "US")]),
        ("State College, Pennsylvania", [("State College", "PA", "US")]),
        ("Atlanta, Georgia", [("Atlanta", "GA", "US")]),
        ("Princeton, NJ 08544", [("Princeton", "NJ", "US")]),
        ("US, Minnesota, Maplewood", [("Maplewood", "MN", "US")]),
        # Greenhouse's office list (stripe-job-detail.json) vs "City, State".
        (
            "Toronto, New York, San Francisco",
            [("Toronto", "ON", "CA"), ("New York City", "NY", "US"), ("San Francisco", "CA", "US")],
        ),
        ("Albany, New York", [("Albany", "NY", "US")]),
        ("Seattle, Washington", [("Seattle", "WA", "US")]),
        # A location that names the institution too.
        ("Princeton University, Princeton, NJ", [("Princeton", "NJ", "US")]),
        ("Argonne National Laboratory, Lemont, IL USA", [("Lemont", "IL", "US")]),
        (
            "Lawrence Berkeley National Lab, Berkeley, CA (remote eligible)",
            [("Berkeley", "CA", "US")],
        ),
        # Several locations joined by or, and, ;, / (and a real "ro" typo).
        (
            "Toronto ON or Vancouver BC CA",
            [("Toronto", "ON", "CA"), ("Vancouver", "BC", "CA")],
        ),
        (
            "Toronto ON CA ro San Francisco CA USA or London UK remote",
            [("Toronto", "ON", "CA"), ("San Francisco", "CA", "US"), ("London", None, "GB")],
        ),
        (
            "Atlanta GA or Washington D.C. or Redmond WA San Antonio TX or Phoenix AZ USA",
            [
                ("Atlanta", "GA", "US"),
                ("Washington", "DC", "US"),
                ("Redmond", "WA", "US"),
                ("San Antonio", "TX", "US"),
                ("Phoenix", "AZ", "US"),
            ],
        ),
        ("Oxford or Cambridge UK", [("Oxford", None, "GB"), ("Cambridge", None, "GB")]),
        ("Boston; Cambridge MA USA", [("Boston", "MA", "US"), ("Cambridge", "MA", "US")]),
        ("Remote / Seattle, WA", [("Seattle", "WA", "US")]),
        # Region lists: DE is Delaware, not Germany, beside the other states.
        (
            "MD or DE or VA or PA or DC or WV USA",
            [(None, r, "US") for r in ("MD", "DE", "VA", "PA", "DC", "WV")],
        ),
        # Country lists: CA is Canada here.
        ("Remote CA or USA", [(None, None, "CA"), (None, None, "US")]),
        ("Remote BE or HU or DK or PL", [(None, None, c) for c in ("BE", "HU", "DK", "PL")]),
        ("Various US UK CA", [(None, None, "US"), (None, None, "GB"), (None, None, "CA")]),
        ("Various CA USA", [(None, "CA", "US")]),
        ("Various USA", [(None, None, "US")]),
        ("Remote - US", [(None, None, "US")]),
        ("Israel", [(None, None, "IL")]),
        ("Trinidad and Tobago", [(None, None, "TT")]),
        # Near-miss spellings fixed against the gazetteer.
        ("Epsoo FI", [("Espoo", None, "FI")]),
        ("Tuscon AZ USA", [("Tucson", "AZ", "US")]),
        ("Bellvue WA USA", [("Bellevue", "WA", "US")]),
        ("Chippawa Falls WI USA", [("Chippewa Falls", "WI", "US")]),
        # Places the gazetteer does not know are kept as written, not "corrected".
        ("Hursley UK", [("Hursley", None, "GB")]),
        ("Hinxton UK", [("Hinxton", None, "GB")]),
        # Oregon's OR is not "or".
        ("Eugene OR USA", [("Eugene", "OR", "US")]),
        # A Workday URL pasted into the location field.
        (
            "https://uchicago.wd5.myworkdayjobs.com/External/job/Chicago-IL/Manager_JR28487",
            [("Chicago", "IL", "US")],
        ),
        # schema.org Place from JSON-LD.
        (
            {
                "@type": "Place",
                "address": {
                    "addressLocality": "Liverpool",
                    "addressRegion": "England",
                    "addressCountry": "United Kingdom",
                },
            },
            [("Liverpool", None, "GB")],
        ),
    ],
)
def test_parses_real_location_forms(text: Any, expected: list[tuple[Any, ...]]) -> None:
    assert places(text) == expected


def test_region_contradicting_its_country_is_corrected_and_reported() -> None:
    parsed = parse_location("Saskatoon SK USA")
    assert [(p["city"], p["region"], p["country"]) for p in parsed.locations] == [
        ("Saskatoon", "SK", "CA")
    ]
    assert any("contradicts country US" in p for p in parsed.problems)


def test_institution_naming_its_state_corrects_the_source() -> None:
    record = normalize_record(
        {
            "title": "Director",
            "institution": "University of Missouri",
            "location": "Columbia MS USA",
        }
    )
    assert record["locations"] == [{"city": "Columbia", "region": "MO", "country": "US"}]
    assert any("read as Columbia MO" in p for p in record["problems"])
    kept = normalize_record(
        {"title": "Director", "institution": "University of Kansas", "location": "Kansas City MO"}
    )
    assert kept["locations"][0]["region"] == "MO"  # both Kansas Cities are large: trust the text


def test_spelling_fix_is_reported() -> None:
    parsed = parse_location("Epsoo FI")
    assert any("'Epsoo' read as 'Espoo'" in p for p in parsed.problems)


@pytest.mark.parametrize(
    ("text", "remote"),
    [
        ("Remote USA", "remote"),
        ("Santa Clara or Remote CA USA", "remote"),
        ("West Lafayette, IN/hybrid", "hybrid"),
        ("Princeton, NJ (in-person, not remote)", "onsite"),
        ("Sandia National Laboratories, Albuquerque, NM (On-Site Only)", "onsite"),
        ("Hamilton ON CA", None),
    ],
)
def test_remote_flag(text: str, remote: str | None) -> None:
    assert parse_location(text).remote == remote


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hamilton ON CA", "Hamilton ON CA"),
        ("Golden CO USA", "Golden CO USA"),
        ("Oxford UK", "Oxford UK"),
        ("Remote USA", "Remote USA"),
        ("Remote - US", "Remote USA"),
        ("Toronto ON or Vancouver BC CA", "Toronto ON or Vancouver BC CA"),
        ("Saskatoon SK USA", "Saskatoon SK CA"),
        ("New York NY USA", "New York NY USA"),
        ("Santa Clara or Remote CA USA", "Santa Clara CA USA or Remote"),
    ],
)
def test_newsletter_display(text: str, expected: str) -> None:
    assert display(text) == expected


@pytest.mark.parametrize(
    ("text", "expected", "remote"),
    [
        # A posting's "Location:" line often goes on to say how the work is arranged.
        (
            "Brisbane, Queensland, Australia. This position is hybrid, with at least two days "
            "a week on site.",
            "Brisbane QLD AU (hybrid)",
            "hybrid",
        ),
        (
            "Townsville, Queensland, Australia. This position is on site.",
            "Townsville QLD AU",
            "onsite",
        ),
        (
            "Australia. This position is fully remote within the country named above.",
            "Remote AU",
            "remote",
        ),
        # A bracketed country is the place, not a note to drop.
        ("Remote (Australia)", "Remote AU", "remote"),
        ("Remote (US)", "Remote USA", "remote"),
        ("San Jose (CA)", "San Jose CA USA", None),
        ("St. Louis, MO", "St. Louis MO USA", None),
    ],
)
def test_location_line_with_a_sentence_or_bracketed_country(
    text: str, expected: str, remote: str | None
) -> None:
    assert display(text) == expected
    assert parse_location(text).remote == remote


@pytest.mark.parametrize("text", ["TBD", "N/A", "----", "UNAVAILABLE, UNAVAILABLE", ""])
def test_placeholder_locations_give_no_place(text: str) -> None:
    parsed = parse_location(text)
    assert parsed.locations == []
    assert parsed.problems or text == ""


@pytest.mark.parametrize(
    "value", [None, 42, ["Leeds UK", 3], {"nested": {"x": 1}}, "<b>Leeds</b> UK"]
)
def test_odd_values_never_raise(value: Any) -> None:
    parsed = parse_location(value)
    assert isinstance(parsed.locations, list)


def test_pathological_input_is_fast_and_bounded() -> None:
    parsed = parse_location("-" * 5000 + "x" + " or " * 2000)
    assert any("cut" in p for p in parsed.problems)


def _same(a: dict[str, Any], b: dict[str, Any], key: str) -> bool:
    return fold(a.get(key) or "") == fold(b.get(key) or "")


def test_accuracy_on_the_board_postings(
    board_jobs: list[dict[str, Any]], board_raw: dict[str, dict[str, Any]]
) -> None:
    """Country right for >= 98% of postings naming one; region and city for >= 95% of the
    single-location ones, against hand-reviewed labels (tests/normalize/data/locations.jsonl)."""
    labels = {row["location"]: row["expected"] for row in read_jsonl("locations.jsonl")}
    country_ok = country_n = region_ok = city_ok = single_n = 0
    misses: list[str] = []
    for job in board_jobs:
        expected = labels[job["location"]]
        got = normalize_record(board_raw[str(job["id"])], today=TODAY)["locations"]
        if any(e["country"] for e in expected):
            country_n += 1
            ok = [e["country"] for e in expected] == [g["country"] for g in got]
            country_ok += ok
            if not ok:
                misses.append(f"country {job['location']!r}: {got}")
        if len(expected) == 1 and expected[0]["city"]:
            single_n += 1
            right_place = len(got) == 1
            region = right_place and _same(expected[0], got[0], "region")
            city = right_place and _same(expected[0], got[0], "city")
            region_ok += region
            city_ok += city
            if not (region and city):
                misses.append(f"place {job['location']!r}: {got}")
    country_pct = country_ok / country_n
    region_pct = region_ok / single_n
    city_pct = city_ok / single_n
    REPORT.append(
        f"locations on {len(board_jobs)} board postings: country {country_ok}/{country_n} "
        f"= {country_pct:.1%}; single-location region {region_ok}/{single_n} = {region_pct:.1%}, "
        f"city {city_ok}/{single_n} = {city_pct:.1%}"
    )
    REPORT.extend(f"  miss: {m}" for m in misses)
    assert country_pct >= 0.98, misses
    assert region_pct >= 0.95, misses
    assert city_pct >= 0.95, misses


def test_accuracy_on_us_rse_locations() -> None:
    """A second, differently written sample (US-RSE board lines that name the institution),
    labelled by hand in tests/normalize/data/locations_usrse.jsonl."""
    rows = read_jsonl("locations_usrse.jsonl")
    right = 0
    misses = []
    for row in rows:
        got = parse_location(row["location"]).locations
        want = row["expected"]
        same = len(got) == len(want) and all(
            _same(g, w, "city") and _same(g, w, "region") and g["country"] == w["country"]
            for g, w in zip(got, want, strict=True)
        )
        right += same
        if not same:
            misses.append(f"{row['location']!r}: {got}")
    rate = right / len(rows)
    REPORT.append(f"US-RSE locations, every place right: {right}/{len(rows)} = {rate:.1%}")
    REPORT.extend(f"  miss: {m}" for m in misses)
    assert rate >= 0.9, misses


def test_display_round_trips_the_newsletter_highlights() -> None:
    """Each highlight's "City Region Country" from a real issue parses and renders back the same,
    except the newsletter's own typo "Pittsburg", which the gazetteer corrects."""
    section = json.loads(read_fixture("newsletter/2021-03-12-jobs-section.json"))
    for highlight in section["highlights"]:
        shown = highlight["location_display"]
        expected = shown.replace("Pittsburg PA", "Pittsburgh PA")
        assert display(shown) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Berkeley, Calif. USA", "Berkeley CA USA"),
        ("Cambridge, Mass.", "Cambridge MA USA"),
        ("Pullman, Wash., USA", "Pullman WA USA"),
        ("Madison, Wis.", "Madison WI USA"),
    ],
)
def test_ap_style_state_abbreviations(text: str, expected: str) -> None:
    assert display(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Full US state and Canadian province names are never countries.
        ("Las Cruces, New Mexico", [("Las Cruces", "NM", "US")]),
        ("Princeton, New Jersey", [("Princeton", "NJ", "US")]),
        ("Vancouver, British Columbia", [("Vancouver", "BC", "CA")]),
        ("Newcastle, New South Wales", [("Newcastle", "NSW", "AU")]),
        # Platform formats.
        ("US-NJ-Passaic", [("Passaic", "NJ", "US")]),
        ("USA, VA, Arlington", [("Arlington", "VA", "US")]),
        # Several places joined by "or", "-or-", "/", ";".
        ("Boulder, CO -or- Gaithersburg, MD",
         [("Boulder", "CO", "US"), ("Gaithersburg", "MD", "US")]),
        ("Boulder, CO or Gaithersburg, MD",
         [("Boulder", "CO", "US"), ("Gaithersburg", "MD", "US")]),
        ("Edinburgh/Glasgow UK", [("Edinburgh", None, "GB"), ("Glasgow", None, "GB")]),
        ("Cambridge, UK; Oxford, UK", [("Cambridge", None, "GB"), ("Oxford", None, "GB")]),
        # Mojibake repaired.
        ("GÃ¶ttingen, Germany", [("Göttingen", None, "DE")]),
        ("GÃ¶ttingen", [("Göttingen", None, "DE")]),
        # "Montreal, CA": Montreal is in no California, so CA is Canada.
        ("Montreal, CA", [("Montréal", "QC", "CA")]),
        # A facility name without a place gives no location rather than a wrong one.
        ("Argonne Leadership Computing Facility", []),
        ("Oak Ridge Leadership Computing Facility", []),
        ("NERSC", []),
    ],
)  # fmt: skip
def test_what_the_issue_listed(text: str, expected: list[tuple[str, str | None, str]]) -> None:
    assert places(text) == expected


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("Durham", "GB", [("Durham", None, "GB")]),
        ("Lancaster", "GB", [("Lancaster", None, "GB")]),
        ("St Andrews", "GB", [("Saint Andrews", None, "GB")]),
        ("Kingston", "GB", [("Kingston upon Thames", None, "GB")]),
        ("Kingston", "CA", [("Kingston", "ON", "CA")]),
        ("Cambridge", "US", [("Cambridge", "MA", "US")]),
        ("Montreal, CA", "CA", [("Montréal", "QC", "CA")]),
        ("Berkeley, CA", "US", [("Berkeley", "CA", "US")]),
        # What the text says beats what is known.
        ("Durham, NC", "GB", [("Durham", "NC", "US")]),
        ("London, Ontario", "GB", [("London", "ON", "CA")]),
    ],
)
def test_the_known_country_is_a_prior(
    text: str, country: str, expected: list[tuple[str, str | None, str]]
) -> None:
    got = parse_location(text, country=country).locations
    assert [(p["city"], p["region"], p["country"]) for p in got] == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ({"institution": "Durham University", "location": "Durham"}, ("Durham", None, "GB")),
        ({"institution": "Lancaster University", "location": "Lancaster"},
         ("Lancaster", None, "GB")),
        ({"institution": "University of St Andrews", "location": "St Andrews"},
         ("Saint Andrews", None, "GB")),
        ({"institution": "Kingston University", "location": "Kingston"},
         ("Kingston upon Thames", None, "GB")),
        ({"institution": "McGill University", "location": "Montreal, CA"},
         ("Montréal", "QC", "CA")),
        ({"institution": "Example Research Lab", "location": "Durham", "country": "GB"},
         ("Durham", None, "GB")),
        ({"institution": "Example Research Lab", "location": "Durham", "country": "United Kingdom"},
         ("Durham", None, "GB")),
        ({"institution": "Example Research Lab", "location": "Durham"}, ("Durham", "NC", "US")),
    ],
)  # fmt: skip
def test_normalize_record_uses_the_institution_and_source_country(
    raw: dict[str, Any], expected: tuple[str, str | None, str]
) -> None:
    record = normalize_record({"title": "Head of Research Computing", **raw}, today=TODAY)
    assert [(p["city"], p["region"], p["country"]) for p in record["locations"]] == [expected]
