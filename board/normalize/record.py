"""normalize_record: one raw posting in, one normalized, JSON-serializable record out."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypeVar

from board.normalize import dates, location, roles, salary, text
from board.normalize import gazetteer as gz
from board.normalize.institution import (
    canonical_institution,
    institution_fields,
    known_institution,
)
from board.normalize.literals import may_hold

NORMALIZED_FIELDS: tuple[str, ...] = (
    "title", "institution", "institution_slug", "institution_type", "sector", "locations",
    "remote", "location_display", "role", "technical", "relevant", "score", "reasons", "salary",
    "posted_on", "closes_on", "review_begins_on", "employment_type", "employment_types",
    "summary", "description_html", "description_text", "url", "source", "source_id",
    "requisition_id", "problems", "institution_country", "institution_parent", "unit", "unit_slug",
)  # fmt: skip

# A requisition id in text is "<label>[:#] <id>"; the regex runs only just before each ":" or
# "#", found at C speed, instead of trying every word of a long description.
_REQUISITION_LABEL = re.compile(
    r"\b(?:requisition|req|job|posting|vacancy|position|reference|ref)\s*"
    r"(?:id|number|no\.?|#|code)?\s*$",
    re.I,
)
_REQUISITION_VALUE = re.compile(r"[:#]\s*(?P<id>[A-Z]{0,4}-?\d[\w-]{2,15})\b", re.I)
_COLON_OR_HASH = re.compile(r"[:#]")
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$|^\d{1,2}-\d{1,2}-\d{2,4}$")
_REQUISITION_IN_URL = (
    re.compile(
        r"myworkdayjobs\.com/.*_(?P<id>(?:JR|R|REQ|J)?-?\d{3,})(?:-\d{1,2})?(?:[/?#]|$)", re.I
    ),
    re.compile(r"icims\.com/jobs/(?P<id>\d+)/", re.I),
    re.compile(r"jobs\.ac\.uk/job/(?P<id>[A-Z0-9]+)/", re.I),
    re.compile(r"usajobs\.gov/job/(?P<id>\d+)", re.I),
    re.compile(
        r"[?&](?:gh_jid|jobId|job_id|reqId|JobOpeningId|requisitionId)=(?P<id>[\w-]+)", re.I
    ),
    re.compile(
        r"/(?:job_detail|jobs?(?:/view)?|postings?|requisitions?)/(?P<id>\d{4,})(?:[/?#]|$)", re.I
    ),
)
# Workday-style ids ("..._R0006631-2", "JR2021705") or long platform numbers; not a board's own
# small serial numbers.
_REQUISITION_IN_SOURCE_ID = re.compile(
    r"(?:^|[_/])(?P<id>(?:JR|R|REQ|J)-?\d{3,}|\d{5,})(?:-\d{1,2})?$", re.I
)

# A description that says the job is remote or hybrid (when the location does not).
_REMOTE = re.compile(r"\b(?:fully|100%)\s+remote\b|\bremote[- ]first\b", re.I)
_HYBRID = re.compile(r"\bhybrid (?:work|role|position|schedule|arrangement)\b", re.I)

MAX_HINT_CHARS = 300
# Where "03/04/2026" is March 4; elsewhere numeric dates are read day first.
_MONTH_FIRST_COUNTRIES = frozenset({"US", "CA", "PH"})

T = TypeVar("T")


def normalize_record(raw: Mapping[str, Any], *, today: date | None = None) -> dict[str, Any]:
    """Normalize one raw posting; never raises, reports what it cleaned in `problems`."""
    today = today or date.today()
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        problems.append(f"record: not an object ({type(raw).__name__})")
        raw = {}
    out: dict[str, Any] = dict.fromkeys(NORMALIZED_FIELDS)
    out.update(
        locations=[],
        technical=[],
        reasons=[],
        employment_types=[],
        relevant=False,
        score=0.0,
        role="other",
        problems=problems,
    )

    def guard(step: str, func: Callable[[], T], default: T) -> T:
        try:
            return func()
        except Exception as exc:  # noqa: BLE001 -- one bad field must never lose the record
            problems.append(f"{step}: internal error {exc.__class__.__name__}, left empty")
            return default

    out["title"] = guard(
        "title", lambda: text.clean_line(raw.get("title"), problems, "title"), None
    )
    if out["title"] is None and "title: " not in " ".join(problems):
        problems.append("title: missing")

    guard("institution", lambda: _institution(raw, out, problems), None)
    no_text: tuple[str | None, str | None] = (None, None)
    html, plain = guard(
        "description", lambda: text.description_fields(raw.get("description"), problems), no_text
    )
    out["description_html"], out["description_text"] = html, plain
    out["summary"] = guard("summary", lambda: text.summarize(plain), None)

    guard("location", lambda: _location(raw, out, problems, plain), None)
    guard("role", lambda: _role(out, plain), None)
    country = out["locations"][0]["country"] if out["locations"] else None
    out["salary"] = guard(
        "salary", lambda: salary.normalize_salary(raw.get("salary"), problems, country), None
    )
    guard("dates", lambda: _dates(raw, out, problems, plain, today), None)
    guard("employment_type", lambda: _employment(raw, out, plain), None)
    for key in ("url", "source", "source_id"):
        out[key] = guard(key, functools.partial(_plain_field, raw.get(key), key, problems), None)
    out["requisition_id"] = guard(
        "requisition_id", lambda: requisition_id(out["source_id"], out["url"], plain), None
    )
    return out


def _plain_field(value: Any, key: str, problems: list[str]) -> str | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        problems.append(f"{key}: not text ({type(value).__name__}), dropped")
        return None
    value = text.strip_controls(value).strip()
    if key == "url" and value and not re.match(r"^https?://", value, re.I):
        problems.append("url: not an http(s) URL, dropped")
        return None
    return value[:2000] or None


def _institution(raw: Mapping[str, Any], out: dict[str, Any], problems: list[str]) -> None:
    name = text.clean_line(raw.get("institution"), problems, "institution")
    if not name:
        where = raw.get("location")
        known = known_institution(where[:MAX_HINT_CHARS]) if isinstance(where, str) else None
        if known:
            problems.append(f"institution: missing; read {known.name!r} from the location")
            out.update(institution_fields(known))
            return
        name = location.institution_hint(where)
        if not name:
            return
        problems.append(f"institution: missing; read {name!r} from the location")
    out.update(institution_fields(canonical_institution(name)))


def _location(
    raw: Mapping[str, Any], out: dict[str, Any], problems: list[str], plain: str | None
) -> None:
    prior = out["institution_country"] or _source_country(raw.get("country"))
    parsed = location.parse_location(raw.get("location"), country=prior)
    problems.extend(parsed.problems)
    location.check_institution_state(parsed.locations, out["institution"], problems)
    out["locations"] = parsed.locations
    remote = parsed.remote
    if remote is None and plain:
        head = plain[:3000]
        lowered = head.lower()
        if may_hold(head, lowered, ("remote",)) and _REMOTE.search(head):
            remote = "remote"
        elif may_hold(head, lowered, ("hybrid ",)) and _HYBRID.search(head):
            remote = "hybrid"
    out["remote"] = remote
    out["location_display"] = location.location_display(parsed.locations, remote)


def _source_country(value: Any) -> str | None:
    """The alpha-2 code of a source's country ("GB", "UK", "United Kingdom"), if it is one."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    return gz.country_code(value.upper() if len(value) <= 3 else value)


def _role(out: dict[str, Any], plain: str | None) -> None:
    # The unit's name counts as evidence too: "Research Computing" at CU Boulder.
    named = ", ".join(n for n in (out["unit"], out["institution"]) if n) or None
    result = roles.classify(out["title"], plain, named, institution_type=out["institution_type"])
    out["role"] = result.role
    out["technical"] = result.technical
    out["relevant"] = result.relevant
    out["score"] = result.score
    out["reasons"] = result.reasons


def _dates(
    raw: Mapping[str, Any], out: dict[str, Any], problems: list[str], plain: str | None, today: date
) -> None:
    countries = {loc["country"] for loc in out["locations"]}
    day_first = bool(countries) and not countries & _MONTH_FIRST_COUNTRIES
    posted = dates.parse_date(raw.get("posted"), today, problems, "posted", day_first=day_first)
    closes = dates.parse_date(raw.get("closes"), today, problems, "closes", day_first=day_first)
    if closes is None and plain:
        closes = dates.find_closing_date(plain, today, posted, day_first=day_first)
    review = dates.find_review_date(plain, today, posted, day_first=day_first) if plain else None
    if posted and posted > today:
        problems.append(f"posted: {posted.isoformat()} is in the future")
    if posted and closes and closes < posted:
        problems.append(f"closes: {closes.isoformat()} is before posted {posted.isoformat()}")
    out["posted_on"] = posted.isoformat() if posted else None
    out["closes_on"] = closes.isoformat() if closes else None
    out["review_begins_on"] = review.isoformat() if review else None


def _employment(raw: Mapping[str, Any], out: dict[str, Any], plain: str | None) -> None:
    kinds = dates.employment_types(raw.get("employment_type"), out["title"])
    if not kinds and plain:
        kinds = dates.employment_types_in_text(plain[:5000])
    out["employment_types"] = kinds
    out["employment_type"] = dates.primary_employment_type(kinds)


def requisition_id(source_id: str | None, url: str | None, plain: str | None) -> str | None:
    """The platform's requisition or reference id, from the URL, the source id or the text."""
    if url:
        for pattern in _REQUISITION_IN_URL:
            match = pattern.search(url)
            if match:
                return match.group("id").upper()
    if source_id:
        match = _REQUISITION_IN_SOURCE_ID.search(source_id.strip())
        if match:
            return match.group("id").upper()
    if plain:
        return _requisition_in_text(plain[:20_000])
    return None


def _requisition_in_text(text: str) -> str | None:
    for mark in _COLON_OR_HASH.finditer(text):
        at = mark.start()
        if _REQUISITION_LABEL.search(text, max(0, at - 40), at):
            value = _REQUISITION_VALUE.match(text, at)
            if value and not _DATE_LIKE.match(value.group("id")):
                return value.group("id").upper()
    return None
