"""Dates (posted, closes, review begins) and employment type.

ISO dates, RFC 2822 dates and the usual relative forms ("Posted 30+ Days Ago", "Yesterday")
take a fast path; anything else goes to dateparser, which is slow, so its answers are cached.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any

from board.normalize.literals import has_extra, may_hold

EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "fixed_term")

_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
_RELATIVE = re.compile(
    r"^\s*(?:posted|updated|published|listed)?\s*:?\s*(?:(?P<today>today|just now|just posted)|"
    r"(?P<yesterday>yesterday)|(?:about|over|more than)?\s*(?P<n>\d+|an?|one)\s*\+?\s*"
    r"(?P<unit>minute|hour|day|week|month|year)s?\s+ago)\s*$",
    re.I,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
         ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
         ("oct", "october"), ("nov", "november"), ("dec", "december")),
        start=1,
    )
    for name in names
}  # fmt: skip
_MONTH_DAY_YEAR = re.compile(
    r"^(?:[a-z]+day,?\s+)?(?P<month>[a-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})$",
    re.I,
)
_DAY_MONTH_YEAR = re.compile(
    r"^(?:[a-z]+day,?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>[a-z]{3,9})\.?,?\s+"
    r"(?P<year>\d{4})$",
    re.I,
)
_UNIT_DAYS = {"minute": 0, "hour": 0, "day": 1, "week": 7, "month": 30, "year": 365}
_DATE_TEXT = (
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
    r"\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[A-Z][a-z]{2,8}\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2}|"
    r"\d{1,2}/\d{1,2}/\d{2,4})"
)
_REVIEW = re.compile(
    r"(?:review of (?:applications|applicants|candidates)|applications? review|"
    r"(?:applications|candidates) will be (?:reviewed|considered)|review)\s+(?:will\s+)?"
    r"(?:begins?|beginning|starts?|starting|commences?|on or after|after)\s*"
    r"(?:on|immediately on)?\s*"
    rf"[:\-]?\s*(?P<date>{_DATE_TEXT})",
    re.I,
)
# What every _REVIEW match holds, lower-cased: the end of its first group, then its verb.
_REVIEW_NEEDS = re.compile(
    r"(?:applications|applicants|candidates|reviewed|review|considered)\s+(?:will\s+)?"
    r"(?:begin|start|commence|on or after|after)"
)
_CLOSES = re.compile(
    r"(?:closing date|closes?(?: on)?|application deadline|deadline(?: for applications)?|"
    r"applications? (?:must be received|close|are due)(?: by| on)?|apply by|expires?(?: on)?)"
    rf"\s*[:\-]?\s*(?:is\s+)?(?:by\s+|on\s+)?(?P<date>{_DATE_TEXT})",
    re.I,
)
_EMPLOYMENT_PATTERNS = tuple(
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("part_time", r"\bpart[\s_-]?time\b|\b\d{1,2}(?:\.\d)?\s*%\s*fte\b"),
        (
            "fixed_term",
            r"\bfixed[\s_-]?term\b|\btemporary\b|\btemp\b|\blimited[\s-]term\b|"
            r"\b\d+[\s-]?(?:year|month)s?\s+(?:appointment|contract|position|term)\b|"
            r"\bterm[\s-]limited\b|\bend date\b",
        ),
        ("contract", r"\bcontract(?:or|ual)?\b|\bconsultancy\b|\bfreelance\b|\b1099\b"),
        ("full_time", r"\bfull[\s_-]?time\b|\bpermanent\b|\b100\s*%\s*fte\b|\bregular\b"),
    )
)
_EMPLOYMENT_HINTS = {
    "part_time": ("part", "fte"),
    "fixed_term": ("fixed", "temp", "term", "appointment", "contract", "position", "end date"),
    "contract": ("contract", "consult", "freelance", "1099"),
    "full_time": ("full", "permanent", "fte", "regular"),
}
_CLOSING_WORDS = ("clos", "deadline", "apply by", "expire", "due", "received")
_SANE_YEARS = (1990, 2100)


def parse_date(
    value: Any,
    today: date,
    problems: list[str] | None = None,
    field: str = "date",
    *,
    day_first: bool = False,
) -> date | None:
    """A date from ISO, RFC 2822, relative ("3 days ago") or free text, or None.

    day_first reads "03/04/2026" as 3 April (for postings outside North America).
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 1e11 else value
        if 6.3e8 < seconds < 4.1e9:
            return _from_epoch(seconds)
        _note(problems, f"{field}: number {value!r} is not a date")
        return None
    if not isinstance(value, str):
        _note(problems, f"{field}: not text ({type(value).__name__}), dropped")
        return None
    text = " ".join(value.split())[:200]
    if not text:
        return None
    found = _fast(text, today)
    if found is None:
        found = _dateparser(text, today, day_first)
    if found is None:
        _note(problems, f"{field}: could not read {text[:40]!r} as a date")
        return None
    if not _SANE_YEARS[0] <= found.year <= _SANE_YEARS[1]:
        _note(problems, f"{field}: {found.isoformat()} is out of range, dropped")
        return None
    return found


def _from_epoch(seconds: float) -> date:
    return datetime.fromtimestamp(seconds, tz=UTC).date()


def _note(problems: list[str] | None, message: str) -> None:
    if problems is not None:
        problems.append(message)


def _fast(text: str, today: date) -> date | None:
    match = _ISO.match(text)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    match = _RELATIVE.match(text)
    if match:
        if match.group("today"):
            return today
        if match.group("yesterday"):
            return today - timedelta(days=1)
        n_text = match.group("n").lower()
        n = 1 if n_text in {"a", "an", "one"} else int(n_text[:6])
        return today - timedelta(days=min(n * _UNIT_DAYS[match.group("unit").lower()], 36_500))
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        match = pattern.match(text)
        if match and match.group("month").lower() in _MONTHS:
            try:
                return date(
                    int(match.group("year")),
                    _MONTHS[match.group("month").lower()],
                    int(match.group("day")),
                )
            except ValueError:
                return None
    if "," in text and re.match(r"^[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4}", text):
        try:
            return parsedate_to_datetime(text).date()
        except (TypeError, ValueError, IndexError):
            return None
    return None


@lru_cache(maxsize=8192)
def _dateparser(text: str, today: date, day_first: bool = False) -> date | None:
    import dateparser

    base = datetime(today.year, today.month, today.day, 12, 0)
    text = re.sub(
        r"^(?:posted|updated|published|closes?|closing|deadline)\s*(?:on|date)?\s*:?\s*",
        "",
        text,
        flags=re.I,
    )
    parsed = dateparser.parse(
        text,
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DAY_OF_MONTH": "first",
            "DATE_ORDER": "DMY" if day_first else "MDY",
            "STRICT_PARSING": False,
            "PARSERS": ["relative-time", "absolute-time", "custom-formats"],
        },
    )
    return parsed.date() if parsed else None


#: Characters of a description searched for its dates.
_SEARCH_CHARS = 50_000


def find_review_date(
    text: str | None, today: date, posted: date | None = None, *, day_first: bool = False
) -> date | None:
    """The date a description says review of applications begins."""
    if not text or "review" not in text.casefold():
        return None  # a substring test spares the regex on most descriptions
    head = text[:_SEARCH_CHARS]
    if not has_extra(head) and not _REVIEW_NEEDS.search(head.lower()):
        return None  # nor can _REVIEW match (board.normalize.literals)
    return _find(_REVIEW, text, today, posted, day_first)


def find_closing_date(
    text: str | None, today: date, posted: date | None = None, *, day_first: bool = False
) -> date | None:
    """The closing date a description states."""
    lowered = text.casefold() if text else ""
    if not any(word in lowered for word in _CLOSING_WORDS):
        return None
    return _find(_CLOSES, text, today, posted, day_first)


def _find(
    pattern: re.Pattern[str], text: str | None, today: date, posted: date | None, day_first: bool
) -> date | None:
    if not text:
        return None
    match = pattern.search(text[:_SEARCH_CHARS])
    if not match:
        return None
    return parse_date(match.group("date"), posted or today, day_first=day_first)


def employment_types(*values: Any) -> list[str]:
    """Employment types named in fields or text (FULL_TIME, "Full Time,Fixed-Term/Contract")."""
    found: list[str] = []
    for value in values:
        if value is None:
            continue
        items = value if isinstance(value, list | tuple) else [value]
        for item in items:
            if not isinstance(item, str):
                continue
            lowered = item.casefold()
            for kind, pattern in _EMPLOYMENT_PATTERNS:
                if kind in found or not any(h in lowered for h in _EMPLOYMENT_HINTS[kind]):
                    continue
                if pattern.search(item):
                    found.append(kind)
    return [kind for kind in EMPLOYMENT_TYPES if kind in found]


# (kind, literals one of which every match holds (board.normalize.literals), pattern)
_EMPLOYMENT_IN_TEXT = (
    ("part_time", ("part",), re.compile(r"\bpart[\s-]time\b", re.I)),
    ("fixed_term", ("fixed", "appointment", "contract"),
     re.compile(r"\bfixed[\s-]term\b|\b\d+[\s-](?:year|month)s?\s+(?:fixed[\s-]term|"
                r"appointment|contract)\b", re.I)),
    ("full_time", ("full",),
     re.compile(r"\bfull[\s-]time\s+(?:position|role|appointment|job|post|"
                r"employment|opportunity|staff)\b|\bthis is a full[\s-]time\b", re.I)),
)  # fmt: skip


def employment_types_in_text(text: str) -> list[str]:
    """Employment types a description states outright ("a full-time position", "part-time").

    Stricter than the field reader: prose mentions "contract" and "regular" in other senses.
    """
    lowered = text.casefold()
    if "time" not in lowered and "term" not in lowered and "appointment" not in lowered:
        return []
    found = {
        kind
        for kind, words, pattern in _EMPLOYMENT_IN_TEXT
        if may_hold(text, lowered, words) and pattern.search(text)
    }
    return [kind for kind in EMPLOYMENT_TYPES if kind in found]


def primary_employment_type(kinds: list[str]) -> str | None:
    """One employment type for filtering: part-time, then fixed-term, contract, full-time."""
    for kind in ("part_time", "fixed_term", "contract", "full_time"):
        if kind in kinds:
            return kind
    return None
