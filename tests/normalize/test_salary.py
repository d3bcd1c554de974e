"""Salary: min, max, currency and period, never a grade read as money."""

from __future__ import annotations

import json
from typing import Any

import pytest

from board.normalize.salary import normalize_salary
from tests.shared import read_fixture


def salary(value: Any, country: str | None = None) -> dict[str, Any] | None:
    return normalize_salary(value, [], country)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "$120,000 - $150,000",
            {"min": 120000, "max": 150000, "currency": "USD", "period": "year"},
        ),
        (
            "£41,064 to £48,822 per annum",
            {"min": 41064, "max": 48822, "currency": "GBP", "period": "year"},
        ),
        ("$85k", {"min": 85000, "max": 85000, "currency": "USD", "period": "year"}),
        ("$85k - 120k", {"min": 85000, "max": 120000, "currency": "USD", "period": "year"}),
        ("USD 64009/Year", {"min": 64009, "max": 64009, "currency": "USD", "period": "year"}),
        ("$45.50 - $60 per hour", {"min": 45.5, "max": 60, "currency": "USD", "period": "hour"}),
        ("€4.500 per month", {"min": 4500, "max": 4500, "currency": "EUR", "period": "month"}),
        (
            "Grade 8: £41,064 - £48,822",
            {"min": 41064, "max": 48822, "currency": "GBP", "period": "year"},
        ),
        (
            "Up to $150,000 per year",
            {"min": None, "max": 150000, "currency": "USD", "period": "year"},
        ),
        ("Starting at £38,000", {"min": 38000, "max": None, "currency": "GBP", "period": "year"}),
        # A real Oracle HCM flex field: several ranges, the first is taken.
        (
            "San Francisco,CA $156,750.00-$215,000.00; Seattle,WA $156,750.00-$215,000.00",
            {"min": 156750, "max": 215000, "currency": "USD", "period": "year"},
        ),
    ],
)
def test_salary_text(text: str, expected: dict[str, Any]) -> None:
    assert salary(text) == expected


@pytest.mark.parametrize("text", ["Grade 8", "GS-11", "Band 5", "Grade 7 to Grade 8", "UE07"])
def test_a_grade_is_never_money(text: str) -> None:
    problems: list[str] = []
    assert normalize_salary(text, problems) is None
    assert any("grade" in p for p in problems)


@pytest.mark.parametrize("value", [None, "", "Competitive", "Negotiable, DOE", {}, True, [1, 2]])
def test_unstated_or_unreadable_salary_is_null(value: Any) -> None:
    assert salary(value) is None


def test_dollar_follows_the_country() -> None:
    assert salary("$95,000 - $110,000", country="CA")["currency"] == "CAD"  # type: ignore[index]


def test_schema_org_base_salary_from_a_real_posting() -> None:
    posting = json.loads(
        read_fixture("jsonld/usda-ars-lab-salmonella-postdoc.jsonld"), strict=False
    )
    assert salary(posting["baseSalary"]) == {
        "min": 64009,
        "max": 64009,
        "currency": "USD",
        "period": "year",
    }


def test_structured_min_max() -> None:
    value = {"min": "70000", "max": 90000, "currency": "CAD", "period": "YEAR"}
    assert salary(value) == {"min": 70000, "max": 90000, "currency": "CAD", "period": "year"}


def test_schema_org_range() -> None:
    value = {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": 39906,
            "maxValue": 46049,
            "unitText": "YEAR",
        },
    }
    assert salary(value) == {"min": 39906, "max": 46049, "currency": "GBP", "period": "year"}


def test_salary_in_a_real_workday_description() -> None:
    posting = json.loads(read_fixture("workday/3m-detail.json"))["jobPostingInfo"]
    text = posting["jobDescription"]
    start = text.index("compensation range")
    assert salary(text[start : start + 80]) == {
        "min": 164612,
        "max": 201193,
        "currency": "USD",
        "period": "year",
    }
