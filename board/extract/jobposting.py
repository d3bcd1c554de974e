"""schema.org JobPosting in JSON-LD: find the objects on a page and read their raw fields."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import lxml.etree
import lxml.html
from extruct.jsonld import JsonLdExtractor

from board.extract.lenient_json import loads_lenient

_PLACEHOLDERS = {"", "unavailable", "n/a", "na", "none", "null", "-", "tbd", "not specified"}


def jsonld_objects(html: str | bytes, base_url: str | None = None) -> list[dict[str, Any]]:
    """Every top-level JSON-LD object on a page; malformed scripts are repaired or skipped."""
    if isinstance(html, str):
        html = html.encode("utf-8")
    if not html.strip():
        return []
    try:
        tree = lxml.html.fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return []
    extractor = JsonLdExtractor()
    objects: list[dict[str, Any]] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            items = list(extractor._extract_items(script))  # noqa: SLF001 - per script, not per page
        except ValueError:
            data = loads_lenient(script.text_content())
            items = data if isinstance(data, list) else [data] if data is not None else []
        objects.extend(item for item in items if isinstance(item, dict))
    return objects


def find_job_postings(objects: Iterable[Any]) -> Iterator[dict[str, Any]]:
    """Every schema.org JobPosting in JSON-LD objects, looking inside @graph and lists."""
    for obj in objects:
        if isinstance(obj, list):
            yield from find_job_postings(obj)
        elif isinstance(obj, dict):
            if _is_type(obj, "JobPosting"):
                yield obj
            elif "@graph" in obj:
                yield from find_job_postings(as_list(obj["@graph"]))
            elif "mainEntity" in obj:
                yield from find_job_postings(as_list(obj["mainEntity"]))


def _is_type(obj: dict[str, Any], name: str) -> bool:
    types = as_list(obj.get("@type"))
    return any(str(t).rsplit("/", 1)[-1] == name for t in types)


def as_list(value: Any) -> list[Any]:
    """A value as a list (None is empty)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def plain(value: Any) -> str | None:
    """A usable string value, or None for placeholders such as "UNAVAILABLE"."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("value") or value.get("@value")
    if value is None or isinstance(value, dict | list):
        return None
    text = " ".join(str(value).split())
    return None if text.lower() in _PLACEHOLDERS else text


def address_text(address: Any) -> str | None:
    """A readable "City, Region, Country" string from a PostalAddress (or a plain string)."""
    if isinstance(address, str):
        return plain(address)
    if not isinstance(address, dict):
        return None
    parts: list[str] = []
    for key in ("addressLocality", "addressRegion", "addressCountry"):
        part = plain(address.get(key))
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts) or plain(address.get("name"))


def posting_location(posting: dict[str, Any]) -> str | None:
    """The readable location of a JobPosting: its addresses, or "Remote ..." for telework."""
    places: list[str] = []
    for place in as_list(posting.get("jobLocation")):
        text = None
        if isinstance(place, dict):
            text = address_text(place.get("address")) or plain(place.get("name"))
        elif isinstance(place, str):
            text = plain(place)
        if text and text not in places:
            places.append(text)
    remote = any(str(t).upper() == "TELECOMMUTE" for t in as_list(posting.get("jobLocationType")))
    if remote:
        regions = [plain(req) for req in as_list(posting.get("applicantLocationRequirements"))]
        where = ", ".join(r for r in regions if r)
        remote_text = f"Remote {where}".strip()
        return "; ".join([remote_text, *places]) if places else remote_text
    return "; ".join(places) or None


def salary_value(value: Any) -> Any:
    """baseSalary as the normalizer takes it: the MonetaryAmount dict, or its text."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if not k.startswith("@") or k == "@type"}
    if isinstance(value, int | float):
        return str(value)
    return plain(value)


def posting_fields(posting: dict[str, Any], page_url: str | None = None) -> dict[str, Any]:
    """The raw-record fields of one schema.org JobPosting."""
    org = posting.get("hiringOrganization")
    identifier = posting.get("identifier")
    ident = None
    if isinstance(identifier, dict):
        ident = plain(identifier.get("value")) or plain(identifier.get("@id"))
    elif identifier is not None:
        ident = plain(identifier)
    url = plain(posting.get("url")) or page_url
    employment = as_list(posting.get("employmentType"))
    return {
        "title": plain(posting.get("title") or posting.get("name")),
        "institution": plain(org) if org is not None else None,
        "location": posting_location(posting),
        "description": posting.get("description")
        if isinstance(posting.get("description"), str)
        else None,
        "url": page_url or url,
        "posted": plain(posting.get("datePosted")),
        "closes": plain(posting.get("validThrough")),
        "salary": salary_value(posting.get("baseSalary") or posting.get("estimatedSalary")),
        "employment_type": ", ".join(t for t in (plain(e) for e in employment) if t) or None,
        "source_id": ident or url,
    }


def page_postings(body: bytes | str, url: str | None = None) -> list[dict[str, Any]]:
    """Every JobPosting object on a page."""
    return list(find_job_postings(jsonld_objects(body, url)))
