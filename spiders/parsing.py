"""Shared parsing helpers: lenient JSON, schema.org JobPosting JSON-LD, text and pay lines."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import lxml.etree
import lxml.html
from extruct.jsonld import JsonLdExtractor

_COMMENT_LINE = re.compile(r"^\s*(//.*|<!--.*-->)\s*$", re.MULTILINE)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_PLACEHOLDERS = {"", "unavailable", "n/a", "na", "none", "null", "-", "tbd", "not specified"}
_MAX_REPAIRS = 2000


def loads_lenient(text: str | bytes) -> Any | None:
    """Parse JSON as real sites publish it; None when it cannot be repaired.

    Accepts raw control characters in strings (``strict=False``), HTML/JS comment lines,
    a byte-order mark, trailing commas and unescaped double quotes inside string values
    (each quote that ends a string too early is escaped, one at a time).
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.strip().lstrip("\ufeff")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    text = _TRAILING_COMMA.sub(r"\1", _COMMENT_LINE.sub("", text))
    if text.endswith(";"):
        text = text[:-1]
    for _ in range(_MAX_REPAIRS):
        try:
            return json.loads(text, strict=False)
        except json.JSONDecodeError as exc:
            repaired = _escape_stray_quote(text, exc)
            if repaired is None:
                return None
            text = repaired
    return None


def _escape_stray_quote(text: str, exc: json.JSONDecodeError) -> str | None:
    """Escape the quote that ended a string too early, if the error points just past one."""
    if not exc.msg.startswith(("Expecting ',' delimiter", "Expecting ':' delimiter")):
        return None
    quote = text.rfind('"', 0, exc.pos)
    if quote <= 0 or text[quote - 1] == "\\":
        return None
    if text[quote + 1 : exc.pos].strip():
        return None  # something other than whitespace sits between quote and error
    return text[:quote] + '\\"' + text[quote + 1 :]


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
                yield from find_job_postings(_as_list(obj["@graph"]))
            elif "mainEntity" in obj:
                yield from find_job_postings(_as_list(obj["mainEntity"]))


def _is_type(obj: dict[str, Any], name: str) -> bool:
    types = _as_list(obj.get("@type"))
    return any(str(t).rsplit("/", 1)[-1] == name for t in types)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str | None:
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
        return _text(address)
    if not isinstance(address, dict):
        return None
    parts: list[str] = []
    for key in ("addressLocality", "addressRegion", "addressCountry"):
        part = _text(address.get(key))
        if part and part not in parts:
            parts.append(part)
    return ", ".join(parts) or _text(address.get("name"))


def posting_location(posting: dict[str, Any]) -> str | None:
    """The readable location of a JobPosting: its addresses, or "Remote ..." for telework."""
    places: list[str] = []
    for place in _as_list(posting.get("jobLocation")):
        text = None
        if isinstance(place, dict):
            text = address_text(place.get("address")) or _text(place.get("name"))
        elif isinstance(place, str):
            text = _text(place)
        if text and text not in places:
            places.append(text)
    remote = any(str(t).upper() == "TELECOMMUTE" for t in _as_list(posting.get("jobLocationType")))
    if remote:
        regions = [_text(req) for req in _as_list(posting.get("applicantLocationRequirements"))]
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
    return _text(value)


def posting_fields(posting: dict[str, Any], page_url: str | None = None) -> dict[str, Any]:
    """The raw-record fields of one schema.org JobPosting."""
    org = posting.get("hiringOrganization")
    identifier = posting.get("identifier")
    ident = None
    if isinstance(identifier, dict):
        ident = _text(identifier.get("value")) or _text(identifier.get("@id"))
    elif identifier is not None:
        ident = _text(identifier)
    url = _text(posting.get("url")) or page_url
    employment = _as_list(posting.get("employmentType"))
    return {
        "title": _text(posting.get("title") or posting.get("name")),
        "institution": _text(org) if org is not None else None,
        "location": posting_location(posting),
        "description": posting.get("description")
        if isinstance(posting.get("description"), str)
        else None,
        "url": page_url or url,
        "posted": _text(posting.get("datePosted")),
        "closes": _text(posting.get("validThrough")),
        "salary": salary_value(posting.get("baseSalary") or posting.get("estimatedSalary")),
        "employment_type": ", ".join(t for t in (_text(e) for e in employment) if t) or None,
        "source_id": ident or url,
    }


# -- text helpers ------------------------------------------------------------------------

_PAY_WORD = re.compile(r"\b(pay|salary|salaries|compensation|remuneration|wage)\b", re.I)
_MONEY = re.compile(
    r"([$£€]\s?\d{2,3}(,\d{3})+|[$£€]\s?\d{4,}|\d{2,3}(,\d{3})+(\.\d+)?\s?"
    r"(USD|CAD|AUD|NZD|GBP|EUR|CHF)|\b(USD|CAD|AUD|NZD|GBP|EUR|CHF)\s?\d[\d,]{3,}|[$£€]\s?\d+(\.\d+)?\s?[kK]"
    r"|[$£€]\s?\d{1,3}\.\d{2}(?!\d))"  # hourly: "$24.50 – $28.75 per hour"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n+")


_BLOCK_END = re.compile(r"<(br|/p|/li|/div|/h[1-6]|/tr|/ul|/ol)\b[^>]*>", re.IGNORECASE)


def html_lines(html: str | None) -> list[str]:
    """Text lines of an HTML fragment, one per block element, whitespace collapsed."""
    if not html or not html.strip():
        return []
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", html)
    try:
        text = lxml.html.fragment_fromstring(marked, create_parent="div").text_content()
    except (lxml.etree.ParserError, ValueError):
        text = marked
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def html_text(html: str | None) -> str:
    """Plain text of an HTML fragment, whitespace collapsed."""
    return " ".join(html_lines(html))


def pay_range_line(html: str | None) -> str | None:
    """The first sentence of a description naming pay with an amount ("Pay range: $120,000...")."""
    sentences = (part for line in html_lines(html) for part in _SENTENCE.split(line))
    for sentence in sentences:
        if _PAY_WORD.search(sentence) and _MONEY.search(sentence):
            return " ".join(sentence.split())[:300].rstrip(" .;,")
    return None
