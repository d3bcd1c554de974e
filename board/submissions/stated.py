"""What the submitter states outright: work arrangement, employment type, role and salary range.

The normalizer guesses these from free text; a stated value wins over its guess, in the preview
and on the approved posting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from board.normalize.annual import PER_YEAR, USD_PER_UNIT
from board.vocabulary import REMOTE_LABELS, ROLE_LABELS

#: Names of the stated fields on the form and the submission (in the form's order).
STATED = (
    "work_arrangement",
    "employment_type",
    "role",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
)
NOT_STATED = ("", "Not stated")
WORK_ARRANGEMENTS = [
    NOT_STATED,
    *((key, REMOTE_LABELS[key]) for key in ("onsite", "hybrid", "remote")),
]
EMPLOYMENT_TYPES = [
    NOT_STATED,
    ("full_time", "Full-time"),
    ("part_time", "Part-time"),
    ("fixed_term", "Fixed-term"),
    ("contract", "Contract"),
]
ROLES = [
    ("", "Let the board read it from the title"),
    *((key, label) for key, label in ROLE_LABELS.items() if key != "other"),
]
CURRENCIES = [("", "Choose…"), *((code, code) for code in USD_PER_UNIT)]
PERIODS = [(period, f"a {period}") for period in PER_YEAR]
#: A year's pay (in US dollars at the fixed rates) outside this range is a typo, not a salary.
PLAUSIBLE_YEARLY_USD = (1_000, 5_000_000)


def parse_amount(text: str) -> float | None:
    """ "120,000" or "45.50" as a number; None when empty; ValueError when it is not one."""
    cleaned = "".join(text.split()).replace(",", "")
    if not cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError("Enter the amount in figures, such as 120000.") from None
    if not math.isfinite(number) or number <= 0:
        raise ValueError("Enter an amount above zero, in figures, such as 120000.")
    return number


def format_amount(number: float | None) -> str:
    """An amount as the form shows it again ("120000", "45.5")."""
    if number is None:
        return ""
    return str(int(number)) if float(number).is_integer() else f"{number:.2f}"


def salary_problems(fields: Mapping[str, Any]) -> dict[str, str]:
    """The salary fields that do not add up, each with what to do (empty when they do)."""
    low, high = fields.get("salary_min"), fields.get("salary_max")
    currency, period = fields.get("salary_currency"), fields.get("salary_period")
    problems: dict[str, str] = {}
    if low is None and high is None:
        return problems
    if low is not None and high is not None and low > high:
        problems["salary_max"] = "The highest amount is below the lowest: swap them."
    if not currency:
        problems["salary_currency"] = "Choose the currency of the salary."
    if period not in PER_YEAR:
        problems["salary_period"] = "Choose whether the amounts are a year, a month, a week..."
    if problems:
        return problems
    rate, times = USD_PER_UNIT.get(str(currency), 0.0), PER_YEAR[str(period)]
    lowest, highest = PLAUSIBLE_YEARLY_USD
    for name, amount in (("salary_min", low), ("salary_max", high)):
        if amount is not None and rate and not lowest <= amount * times * rate <= highest:
            yearly = f"{amount * times:,.0f} {currency}"
            problems[name] = f"That is {yearly} a year: check the amount and the period."
    return problems


def stated_salary(fields: Mapping[str, Any]) -> dict[str, Any] | None:
    """{min, max, currency, period} from the stated amounts, or None when none is given."""
    low, high = fields.get("salary_min"), fields.get("salary_max")
    if low is None and high is None:
        return None
    return {
        "min": _whole(low),
        "max": _whole(high),
        "currency": fields.get("salary_currency") or None,
        "period": fields.get("salary_period") or None,
    }


def _whole(number: float | None) -> float | int | None:
    return int(number) if number is not None and float(number).is_integer() else number


def apply_stated(record: dict[str, Any], fields: Mapping[str, Any]) -> dict[str, Any]:
    """The normalized record with what the submitter stated on top of the normalizer's guesses."""
    from board.normalize.location import location_display

    arrangement = fields.get("work_arrangement")
    if arrangement:
        record["remote"] = arrangement
        record["location_display"] = location_display(record.get("locations") or [], arrangement)
    employment = fields.get("employment_type")
    if employment:
        record["employment_type"] = employment
        others = [kind for kind in record.get("employment_types") or [] if kind != employment]
        record["employment_types"] = [employment, *others]
    if fields.get("role"):
        record["role"] = fields["role"]
    salary = stated_salary(fields)
    if salary is not None:
        record["salary"] = salary
    return record


def stated_from_salary(salary: Mapping[str, Any] | None) -> dict[str, Any]:
    """The form's salary fields from a normalized salary (for the prefill)."""
    if not salary or (salary.get("min") is None and salary.get("max") is None):
        return {}
    fields = {
        "salary_min": salary.get("min"),
        "salary_max": salary.get("max"),
        "salary_currency": salary.get("currency")
        if salary.get("currency") in USD_PER_UNIT
        else None,
        "salary_period": salary.get("period") if salary.get("period") in PER_YEAR else None,
    }
    return {name: value for name, value in fields.items() if value is not None}
