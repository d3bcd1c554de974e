"""A normalized salary as a yearly figure, and in US dollars at fixed rates, for the filter.

The salary filter compares postings across currencies with a small fixed table, not live
rates: it only decides which postings a "pays at least" search shows, while every page and card
shows the posting's own figure in its own currency. Changing the table needs
`rcjobs index --rebuild` (the index keeps the converted figure).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Periods in a working year: 52 weeks of 5 days of 8 hours.
PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}
#: US dollars for one unit of each currency (rounded mid-market rates, fixed in November 2026).
USD_PER_UNIT = {
    "USD": 1.0,
    "CAD": 0.72,
    "GBP": 1.27,
    "EUR": 1.09,
    "CHF": 1.13,
    "AUD": 0.65,
    "NZD": 0.59,
    "SGD": 0.74,
    "HKD": 0.128,
    "JPY": 0.0066,
    "SEK": 0.094,
    "NOK": 0.091,
    "DKK": 0.146,
    "INR": 0.012,
}
RATES_AS_OF = "2026-11"
#: A yearly figure outside this range (in US dollars) is a misreading, not a salary to filter on.
PLAUSIBLE_USD = (1_000, 5_000_000)


def _amount(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def salary_stated(salary: Mapping[str, Any] | None) -> bool:
    """Whether a normalized salary gives any amount."""
    return bool(salary) and any(_amount(salary.get(k)) for k in ("min", "max"))  # type: ignore[union-attr]


def yearly(salary: Mapping[str, Any] | None) -> tuple[float | None, float | None] | None:
    """(min, max) a year in the salary's own currency; None without an amount or a period."""
    if not salary_stated(salary):
        return None
    assert salary is not None
    factor = PER_YEAR.get(str(salary.get("period") or "").lower())
    if factor is None:
        return None
    low, high = _amount(salary.get("min")), _amount(salary.get("max"))
    return (low * factor if low else None, high * factor if high else None)


def to_usd(amount: float, currency: str | None) -> float | None:
    """An amount in US dollars at the fixed rate (None for a currency not in the table)."""
    rate = USD_PER_UNIT.get(str(currency or "").upper())
    return amount * rate if rate is not None else None


def yearly_usd_top(salary: Mapping[str, Any] | None) -> int | None:
    """The top of the salary range, a year, in whole US dollars (None when unknown)."""
    figures = yearly(salary)
    if figures is None:
        return None
    top = figures[1] or figures[0]
    assert salary is not None and top is not None
    usd = to_usd(top, salary.get("currency"))
    if usd is None or not PLAUSIBLE_USD[0] <= usd <= PLAUSIBLE_USD[1]:
        return None
    return round(usd)
