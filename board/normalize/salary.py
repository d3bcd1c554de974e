"""Salary: {min, max, currency, period} from text or structured fields, or None.

price-parser reads each amount; this module finds the amounts, pairs them into a range,
and refuses to read a pay grade ("Grade 8", "GS-11") as money.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

PERIODS = ("year", "month", "week", "day", "hour")

_CURRENCY_CODES = {
    "$": "USD", "us$": "USD", "usd": "USD", "£": "GBP", "gbp": "GBP", "€": "EUR", "eur": "EUR",
    "c$": "CAD", "ca$": "CAD", "cad": "CAD", "a$": "AUD", "au$": "AUD", "aud": "AUD",
    "chf": "CHF", "¥": "JPY", "jpy": "JPY", "nz$": "NZD", "nzd": "NZD", "sek": "SEK",
    "nok": "NOK", "dkk": "DKK", "inr": "INR", "₹": "INR", "sgd": "SGD", "s$": "SGD",
}  # fmt: skip
_DOLLAR_BY_COUNTRY = {"CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "HK": "HKD"}

_CUR = (
    r"(?:US\$|C\$|CA\$|A\$|AU\$|NZ\$|S\$|[$£€¥₹]|"
    r"\b(?:USD|GBP|EUR|CAD|AUD|CHF|JPY|NZD|SEK|NOK|DKK|INR|SGD)\b)"
)
_NUM = r"\d{1,3}(?:[,.\s]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_AMOUNT = re.compile(
    rf"(?P<cur>{_CUR})?\s?(?P<num>{_NUM})\s?(?P<k>[kK]\b)?(?:\s?(?P<cur2>{_CUR}))?"
)
_GRADE_BEFORE = re.compile(
    r"(?:\bgrade|\bband|\blevel|\bgs|\bstep|\bscale|\bspine(?: point)?|\bpoint|\bue|\bpay plan|"
    r"\bclass|\btier|\bsalary range|\bjob code|\bposition|\breq\w*|\bno\.?|#)\s*[-:]?\s*$",
    re.I,
)
_GRADE_ONLY = re.compile(
    r"^\W*(?:grade|band|level|gs|pay grade|scale|step|ue)\s*[-:]?\s*[\w.]{1,6}"
    r"(?:\s*(?:/|-|to|or)\s*(?:grade|band|level|gs)?\s*[\w.]{1,6})?\W*$",
    re.I,
)
_UP_TO = re.compile(r"\b(?:up to|max(?:imum)?|not to exceed|no more than|under)\W*$", re.I)
_FROM = re.compile(r"\b(?:from|starting (?:at|from)|min(?:imum)?|at least|over|\w+ than)\W*$", re.I)
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|to|and|through|up to|/)\s*$", re.I)
_PERIOD_WORDS = (
    ("hour", re.compile(r"\b(?:per\s+hour|an\s+hour|/\s*h(?:ou)?r|hourly|p\.?h\.?)\b|"
                        r"/\s*hour", re.I)),
    ("year", re.compile(r"\b(?:per\s+(?:annum|year)|a\s+year|annual(?:ly)?|yearly|p\.?a\.?|"
                        r"/\s*y(?:ea)?r|year)\b|/\s*year", re.I)),
    ("month", re.compile(r"\b(?:per\s+month|a\s+month|monthly|/\s*mo(?:nth)?)\b", re.I)),
    ("week", re.compile(r"\b(?:per\s+week|a\s+week|weekly|/\s*wk)\b", re.I)),
    ("day", re.compile(r"\b(?:per\s+day|a\s+day|daily|/\s*day)\b", re.I)),
)  # fmt: skip
_UNIT_TEXT = {"YEAR": "year", "MONTH": "month", "WEEK": "week", "DAY": "day", "HOUR": "hour",
              "ANNUAL": "year", "ANNUALLY": "year", "HOURLY": "hour", "YEARLY": "year"}  # fmt: skip


def normalize_salary(
    value: Any, problems: list[str], country: str | None = None
) -> dict[str, Any] | None:
    """Salary from text, a number, schema.org baseSalary or {min,max,currency,period}."""
    try:
        if value is None or value == "" or value == {}:
            return None
        if isinstance(value, Mapping):
            return _from_mapping(value, problems, country)
        if isinstance(value, bool):
            problems.append("salary: not text or a number, dropped")
            return None
        if isinstance(value, int | float | Decimal):
            amount = _clean_number(value)
            return _result(amount, amount, None, None, country) if amount else None
        if isinstance(value, str):
            return parse_salary_text(value, problems, country)
        problems.append(f"salary: unreadable {type(value).__name__}, dropped")
    except (ValueError, TypeError, InvalidOperation, ArithmeticError) as exc:
        problems.append(f"salary: could not read ({exc.__class__.__name__})")
    return None


def parse_salary_text(
    text: str, problems: list[str], country: str | None = None
) -> dict[str, Any] | None:
    """Salary from free text ("$120,000 - $150,000", "£41,064 to £48,822 per annum", "$85k")."""
    from price_parser import Price

    text = " ".join(text.split())[:500]
    if not text:
        return None
    if _GRADE_ONLY.match(text):
        problems.append(f"salary: {text!r} is a grade, not an amount")
        return None
    amounts: list[tuple[Decimal, str | None, int, int]] = []
    for match in _AMOUNT.finditer(text):
        number, currency_text, k = (
            match.group("num"),
            match.group("cur") or match.group("cur2"),
            match.group("k"),
        )
        if (
            _GRADE_BEFORE.search(text[max(0, match.start() - 20) : match.start()])
            and not currency_text
        ):
            continue
        price = Price.fromstring(f"{currency_text or ''}{number}")
        if price.amount is None:
            continue
        amount = price.amount * (1000 if k else 1)
        has_separator = bool(re.search(r"\d[,.\s]\d{3}\b", number))
        if not (currency_text or k or has_separator or amount >= 1000):
            continue
        if not currency_text and not has_separator and 1900 <= amount <= 2100:
            continue  # a year
        amounts.append((amount, currency_text, match.start(), match.end()))
    if not amounts:
        if re.search(r"\d", text):
            problems.append(f"salary: no amount in {text[:60]!r}")
        return None
    low = amounts[0]
    high = low
    if len(amounts) > 1 and _RANGE_JOIN.match(text[low[3] : amounts[1][2]]):
        high = amounts[1]
    low_amount, high_amount = low[0], high[0]
    if high is not low and high_amount < 1000 <= low_amount and high_amount * 1000 >= low_amount:
        high_amount *= 1000  # "$85k - 120"
    if (
        low is not high
        and low_amount < 1000 <= high_amount
        and low_amount * 1000 <= high_amount * 2
    ):
        low_amount *= 1000  # "85 - 120k"
    if high_amount < low_amount:
        low_amount, high_amount = high_amount, low_amount
    currency_text = low[1] or high[1]
    period = _period(text)
    result = _result(low_amount, high_amount, currency_text, period, country)
    if result and high is low:
        before = text[max(0, low[2] - 25) : low[2]]
        if _UP_TO.search(before):
            result["min"] = None
        elif _FROM.search(before):
            result["max"] = None
    return result


def _from_mapping(
    value: Mapping[str, Any], problems: list[str], country: str | None
) -> dict[str, Any] | None:
    """schema.org MonetaryAmount (value may be a QuantitativeValue) or {min,max,currency,period}."""
    currency = value.get("currency") or value.get("currencyCode")
    inner = value.get("value", value)
    period = value.get("period") or value.get("unitText")
    if isinstance(inner, Mapping):
        period = inner.get("unitText") or period
        low = inner.get("minValue", inner.get("min", inner.get("value")))
        high = inner.get("maxValue", inner.get("max", inner.get("value")))
    elif isinstance(inner, str):
        parsed = parse_salary_text(inner, problems, country)
        if parsed and currency:
            parsed["currency"] = _currency_code(str(currency), country)
        return parsed
    else:
        low = value.get("min", value.get("minValue", inner))
        high = value.get("max", value.get("maxValue", inner))
    low_amount, high_amount = _clean_number(low), _clean_number(high)
    if low_amount is None and high_amount is None:
        problems.append("salary: structured salary without an amount")
        return None
    low_amount = low_amount if low_amount is not None else high_amount
    high_amount = high_amount if high_amount is not None else low_amount
    if high_amount < low_amount:  # type: ignore[operator]
        low_amount, high_amount = high_amount, low_amount
    period_text = _UNIT_TEXT.get(str(period).upper()) if period else None
    if period and period_text is None and str(period).lower() in PERIODS:
        period_text = str(period).lower()
    return _result(
        low_amount, high_amount, str(currency) if currency else None, period_text, country
    )


def _clean_number(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        from price_parser import Price

        return Price.fromstring(value).amount
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number > 0 else None


def _period(text: str) -> str | None:
    for period, pattern in _PERIOD_WORDS:
        if pattern.search(text):
            return period
    return None


def _currency_code(text: str | None, country: str | None) -> str | None:
    if not text:
        return None
    code = _CURRENCY_CODES.get(text.strip().lower())
    if code == "USD" and text.strip() == "$" and country in _DOLLAR_BY_COUNTRY:
        return _DOLLAR_BY_COUNTRY[country]
    if code is None and re.fullmatch(r"[A-Za-z]{3}", text.strip()):
        return text.strip().upper()
    return code


def _result(
    low: Decimal | None,
    high: Decimal | None,
    currency: str | None,
    period: str | None,
    country: str | None,
) -> dict[str, Any] | None:
    if low is None or high is None or low <= 0:
        return None
    if period is None:
        period = "year" if low >= 10_000 else "hour" if high < 300 else None
    return {
        "min": _plain(low),
        "max": _plain(high),
        "currency": _currency_code(currency, country) or _default_currency(country),
        "period": period,
    }


def _default_currency(country: str | None) -> str | None:
    return {"US": "USD", "GB": "GBP", "CA": "CAD", "AU": "AUD"}.get(country or "")


def _plain(amount: Decimal) -> int | float:
    """JSON-friendly number: int when whole."""
    return int(amount) if amount == amount.to_integral_value() else float(round(amount, 2))
