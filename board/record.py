"""The typed normalized record: what the normalizer produces, as ingest, storage and pages use it.

`board.normalize.normalize_record(raw)` keeps answering a JSON-serializable dict (ISO date
strings) for `rcjobs normalize` and external callers; `NormalizedRecord.from_dict` turns that
dict (or a stored one, or one with an editor's overrides on top) into this type, and is the one
place where ISO strings become `datetime.date` objects. `to_dict` goes back, key for key.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any, Self


def parse_date(value: object) -> date | None:
    """A date from a date, a datetime or ISO text ("2026-03-01", "2026-03-01T09:00"); else None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text or None


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _strings(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Sequence):
        return [str(item) for item in value if item not in (None, "")]
    return []


@dataclass(frozen=True, slots=True)
class Location:
    """One place: city, ISO 3166-2 region code without its country prefix, ISO country code."""

    city: str | None = None
    region: str | None = None
    country: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """A location from {city, region, country} (missing keys are None)."""
        return cls(_text(data.get("city")), _text(data.get("region")), _text(data.get("country")))

    def to_dict(self) -> dict[str, str | None]:
        """{city, region, country}."""
        return {"city": self.city, "region": self.region, "country": self.country}


@dataclass(frozen=True, slots=True)
class Salary:
    """A pay range: min or max may be None ("up to", "from"); ISO 4217 currency; period."""

    min: float | None = None
    max: float | None = None
    currency: str | None = None
    period: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Self | None:
        """A salary from {min, max, currency, period}; None when neither bound is known."""
        if not data:
            return None
        low, high = _number(data.get("min")), _number(data.get("max"))
        if low is None and high is None:
            return None
        return cls(low, high, _text(data.get("currency")), _text(data.get("period")))

    def to_dict(self) -> dict[str, Any]:
        """{min, max, currency, period}; whole amounts as ints, as the normalizer writes them."""
        return {
            "min": _whole(self.min),
            "max": _whole(self.max),
            "currency": self.currency,
            "period": self.period,
        }


def _whole(value: float | None) -> int | float | None:
    return int(value) if value is not None and value.is_integer() else value


@dataclass(slots=True)
class NormalizedRecord:
    """One normalized posting (the fields of DESIGN.md's normalized record, typed)."""

    title: str | None = None
    institution: str | None = None
    institution_slug: str | None = None
    institution_type: str | None = None
    sector: str | None = None
    #: The institution's ISO country (curated table), the slug of the institution a centre
    #: belongs to, and the unit of the institution the posting names (with its slug).
    institution_country: str | None = None
    institution_parent: str | None = None
    unit: str | None = None
    unit_slug: str | None = None
    locations: list[Location] = field(default_factory=list)
    remote: str | None = None
    location_display: str | None = None
    role: str = "other"
    technical: list[str] = field(default_factory=list)
    relevant: bool = False
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    salary: Salary | None = None
    posted_on: date | None = None
    closes_on: date | None = None
    review_begins_on: date | None = None
    employment_type: str | None = None
    employment_types: list[str] = field(default_factory=list)
    summary: str | None = None
    description_html: str | None = None
    description_text: str | None = None
    url: str | None = None
    source: str | None = None
    source_id: str | None = None
    requisition_id: str | None = None
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """The record of a normalize_record() dict (unknown keys ignored, bad values emptied)."""
        locations = data.get("locations") or []
        return cls(
            title=_text(data.get("title")),
            institution=_text(data.get("institution")),
            institution_slug=_text(data.get("institution_slug")),
            institution_type=_text(data.get("institution_type")),
            sector=_text(data.get("sector")),
            institution_country=_text(data.get("institution_country")),
            institution_parent=_text(data.get("institution_parent")),
            unit=_text(data.get("unit")),
            unit_slug=_text(data.get("unit_slug")),
            locations=[Location.from_dict(loc) for loc in locations if isinstance(loc, Mapping)],
            remote=_text(data.get("remote")),
            location_display=_text(data.get("location_display")),
            role=_text(data.get("role")) or "other",
            technical=_strings(data.get("technical")),
            relevant=bool(data.get("relevant")),
            score=_number(data.get("score")) or 0.0,
            reasons=_strings(data.get("reasons")),
            salary=Salary.from_dict(data.get("salary") or None),
            posted_on=parse_date(data.get("posted_on")),
            closes_on=parse_date(data.get("closes_on")),
            review_begins_on=parse_date(data.get("review_begins_on")),
            employment_type=_text(data.get("employment_type")),
            employment_types=_strings(data.get("employment_types")),
            summary=_text(data.get("summary")),
            description_html=_text(data.get("description_html")),
            description_text=_text(data.get("description_text")),
            url=_text(data.get("url")),
            source=_text(data.get("source")),
            source_id=_text(data.get("source_id")),
            requisition_id=_text(data.get("requisition_id")),
            problems=_strings(data.get("problems")),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON-serializable dict normalize_record() answers (dates as ISO strings)."""
        out: dict[str, Any] = {}
        for name in _FIELD_NAMES:
            value = getattr(self, name)
            if isinstance(value, date):
                value = value.isoformat()
            elif isinstance(value, Salary):
                value = value.to_dict()
            elif name == "locations":
                value = [loc.to_dict() for loc in value]
            elif isinstance(value, list):
                value = list(value)
            out[name] = value
        return out

    def with_overrides(self, overrides: Mapping[str, Any]) -> Self:
        """This record with an editor's corrections on top (values as stored: dates as text)."""
        if not overrides:
            return self
        known = set(_FIELD_NAMES)
        merged = self.to_dict()
        merged.update({name: value for name, value in overrides.items() if name in known})
        return type(self).from_dict(merged)


#: The record's field names in declaration order (dataclasses.fields() rebuilds them per call).
_FIELD_NAMES: tuple[str, ...] = tuple(item.name for item in fields(NormalizedRecord))
