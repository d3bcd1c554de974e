"""JSON-LD building blocks: employment types, salaries, locations and safe embedding."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from board.models import Posting
from board.web.jsonld import dumps, employment_type, job_posting


def _posting(**fields) -> Posting:
    base = dict(
        public_id="abc234defg",
        title="Lead",
        institution_name="Uni",
        locations=[],
        remote=None,
        salary=None,
        employment_type=None,
        posted_on=date(2026, 3, 1),
        closes_on=None,
        description_html="<p>x</p>",
        summary="x",
        first_seen=datetime(2026, 3, 1),
        requisition_id=None,
    )
    base.update(fields)
    return Posting(**base)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("full_time", "FULL_TIME"),
        ("Full-time", "FULL_TIME"),
        ("part time", "PART_TIME"),
        ("contract", "CONTRACTOR"),
        ("temporary", "TEMPORARY"),
        ("internship", "INTERN"),
        (None, None),
        ("whatever", None),
    ],
)
def test_employment_types(value, expected):
    assert employment_type(value) == expected


def test_single_amount_salary_and_hourly_unit():
    data = job_posting(
        _posting(salary={"min": 50, "max": 50, "currency": "USD", "period": "hour"}),
        "http://x.test/jobs/abc",
    )
    assert data["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "value": 50,
        "unitText": "HOUR",
    }


def test_salary_without_currency_is_left_out():
    data = job_posting(_posting(salary={"min": 1, "max": 2, "currency": None}), "u")
    assert "baseSalary" not in data


def test_several_locations_become_a_list_of_places():
    data = job_posting(
        _posting(
            locations=[
                {"city": "Golden", "region": "CO", "country": "US"},
                {"city": "Denver", "region": "CO", "country": "US"},
            ]
        ),
        "u",
    )
    assert [p["address"]["addressLocality"] for p in data["jobLocation"]] == ["Golden", "Denver"]


def test_hybrid_remote_with_a_city_keeps_both():
    data = job_posting(
        _posting(remote="remote", locations=[{"city": "Oxford", "region": None, "country": "GB"}]),
        "u",
    )
    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Oxford",
        "addressCountry": "GB",
    }


def test_dumps_cannot_close_the_script_element():
    text = dumps({"t": "</script><script>alert(1)</script> & <!-- \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text)["t"].startswith("</script>")
