"""Yearly salary figures and the fixed conversion the salary filter uses."""

from __future__ import annotations

import pytest

from board.normalize.annual import salary_stated, to_usd, yearly, yearly_usd_top


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ({"min": 120000, "max": 150000, "currency": "USD", "period": "year"}, 150000),
        ({"min": 100000, "max": None, "currency": "USD", "period": "year"}, 100000),
        ({"min": 50, "max": 60, "currency": "USD", "period": "hour"}, 124800),
        ({"min": 8000, "max": 9000, "currency": "USD", "period": "month"}, 108000),
        ({"min": 60000, "max": 70000, "currency": "GBP", "period": "year"}, 88900),
        ({"min": 120000, "max": 150000, "currency": "CAD", "period": "year"}, 108000),
        ({"min": 120000, "max": 150000, "currency": "XXX", "period": "year"}, None),
        ({"min": 120000, "max": 150000, "currency": "USD", "period": None}, None),
        ({"min": 3, "max": 4, "currency": "USD", "period": "year"}, None),  # a misreading
        ({"min": None, "max": None, "currency": "USD", "period": "year"}, None),
        (None, None),
    ],
)
def test_the_top_of_the_range_a_year_in_us_dollars(salary, expected):
    assert yearly_usd_top(salary) == expected


def test_yearly_keeps_the_own_currency_and_open_ends():
    assert yearly({"min": 40, "max": None, "currency": "EUR", "period": "hour"}) == (83200, None)
    assert to_usd(100, "eur") == pytest.approx(109)
    assert to_usd(100, None) is None


def test_salary_stated():
    assert salary_stated({"min": None, "max": 1, "currency": None, "period": None})
    assert not salary_stated({"min": None, "max": None})
    assert not salary_stated(None)
