"""schema.org JobPosting JSON-LD, following Google's job posting guidelines, safely embedded."""

from __future__ import annotations

import json
from typing import Any

import nh3
from markupsafe import Markup

from board.models import Posting
from board.timezones import end_of_day, zone_of

EMPLOYMENT_TYPES = {
    "full_time": "FULL_TIME",
    "fulltime": "FULL_TIME",
    "part_time": "PART_TIME",
    "parttime": "PART_TIME",
    "contract": "CONTRACTOR",
    "contractor": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "term": "TEMPORARY",
    "fixed_term": "TEMPORARY",
    "intern": "INTERN",
    "internship": "INTERN",
    "volunteer": "VOLUNTEER",
    "per_diem": "PER_DIEM",
    "casual": "PER_DIEM",
    "other": "OTHER",
}
UNITS = {"year": "YEAR", "month": "MONTH", "week": "WEEK", "day": "DAY", "hour": "HOUR"}
# Characters that could end the <script> element or open markup inside it.
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def employment_type(value: str | None) -> str | None:
    """Google's employmentType for a normalized employment type."""
    if not value:
        return None
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    return EMPLOYMENT_TYPES.get(key)


def _address(location: dict[str, Any]) -> dict[str, Any]:
    address = {"@type": "PostalAddress"}
    for field, key in (("addressLocality", "city"), ("addressRegion", "region")):
        if location.get(key):
            address[field] = location[key]
    if location.get("country"):
        address["addressCountry"] = location["country"]
    return {"@type": "Place", "address": address}


def _salary(salary: dict[str, Any] | None) -> dict[str, Any] | None:
    if not salary or not salary.get("currency") or not (salary.get("min") or salary.get("max")):
        return None
    value: dict[str, Any] = {"@type": "QuantitativeValue"}
    low, high = salary.get("min"), salary.get("max")
    if low and high and low != high:
        value.update(minValue=low, maxValue=high)
    else:
        value["value"] = low or high
    if UNITS.get(str(salary.get("period"))):
        value["unitText"] = UNITS[str(salary["period"])]
    return {"@type": "MonetaryAmount", "currency": salary["currency"], "value": value}


def _description(posting: Posting) -> str:
    return nh3.clean(posting.description_html or "") or posting.summary or posting.title


def job_posting(posting: Posting, url: str) -> dict[str, Any]:
    """The JobPosting object for an open posting."""
    locations = [loc for loc in posting.locations or [] if loc.get("country")]
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": _description(posting),
        "datePosted": (posting.posted_on or posting.first_seen.date()).isoformat(),
        "hiringOrganization": {"@type": "Organization", "name": posting.institution_name},
        "identifier": {
            "@type": "PropertyValue",
            "name": posting.institution_name,
            "value": posting.requisition_id or posting.public_id,
        },
        "url": url,
    }
    # Applications go through the institution's own site, not this page.
    data["directApply"] = False
    if posting.closes_on:
        place: dict[str, Any] = next(iter(posting.locations or []), {})
        data["validThrough"] = end_of_day(posting.closes_on, zone_of(place))
    if posting.remote == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        countries = sorted({loc["country"] for loc in locations})
        data["applicantLocationRequirements"] = [{"@type": "Country", "name": c} for c in countries]
        locations = [loc for loc in locations if loc.get("city")]
    if locations:
        places = [_address(loc) for loc in locations]
        data["jobLocation"] = places[0] if len(places) == 1 else places
    salary = _salary(posting.salary)
    if salary:
        data["baseSalary"] = salary
    kind = employment_type(posting.employment_type)
    if kind:
        data["employmentType"] = kind
    return data


def dumps(data: dict[str, Any]) -> str:
    """JSON that is safe inside a <script> element: no "<", ">" or "&" survives literally."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _UNSAFE.items():
        text = text.replace(char, escape)
    return text


def script_tag(data: dict[str, Any]) -> Markup:
    """The <script type="application/ld+json"> element, its hash allowed by the CSP."""
    from board.web.context import allow_inline_script

    text = dumps(data)
    allow_inline_script(text)
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704 - escaped by dumps
