"""How the public pages show a posting's values: dates, salaries, facet labels, highlighted
summaries, slugs (board.web.jobs registers them as template filters and globals)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup
from sqlalchemy import select

from board.isonames import country_names, subdivision_name
from board.vocabulary import label
from board.web.context import get_board, get_db
from board.web.versioned import per_index_version

if TYPE_CHECKING:
    from board.models import Posting

FACET_TITLES = {
    "country": "Country",
    "region": "Region",
    "role": "Role",
    "technical": "Area",
    "sector": "Sector",
    "institution": "Institution",
    "institution_type": "Institution type",
    "remote": "Work arrangement",
    "salary": "Salary",
}
SALARY_LABELS = {"stated": "Salary stated", "not_stated": "No salary stated"}
PERIODS = {
    "year": "a year",
    "month": "a month",
    "week": "a week",
    "day": "a day",
    "hour": "an hour",
}
CURRENCY_SYMBOLS = {"USD": "US$", "CAD": "CA$", "GBP": "£", "EUR": "€", "AUD": "A$", "NZD": "NZ$"}


def slugify(text: str) -> str:
    """A readable URL segment for a title ("Director, HPC" -> "director-hpc")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "job"


def since_options() -> list[tuple[str, date]]:
    """The "posted within" choices, as dates from today."""
    today = date.today()
    return [(f"Last {days} days", today - timedelta(days=days)) for days in (7, 30, 90)]


def page_window(page: int, last: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and a few around the current one; None for a gap."""
    wanted = {1, last, *range(max(1, page - around), min(last, page + around) + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def marked_text(html: str | None) -> str:
    """Highlighted text with nothing but <mark> allowed through: as it is when it already is
    (the index's highlighter escapes every character of the text and adds only <mark> and
    </mark>), else cleaned by nh3."""
    text = html or ""
    bare = text.replace("<mark>", "").replace("</mark>", "")
    if not any(c in bare for c in _MARKUP_CHARS) and text.count("<mark>") == text.count("</mark>"):
        return text
    return nh3.clean(text, tags={"mark"}, attributes={})


#: Characters that escaped text never holds (html.escape turns each into an entity).
_MARKUP_CHARS = ("<", ">", '"', "'")


def safe_highlight(html: str | None) -> Markup:
    """The index's highlighted summary, with nothing but <mark> allowed through."""
    return Markup(marked_text(html))  # noqa: S704 - escaped text or nh3 cleaned


def summary_blocks(highlighted: str | None) -> Markup:
    """A highlighted card summary as paragraphs, its "- " lines as a list (bullets stay)."""
    text = marked_text(highlighted)
    blocks: list[str] = []
    items: list[str] = []
    for line in (part.strip() for part in text.split("\n")):
        if line.startswith("- "):
            items.append(f"<li>{line[2:]}</li>")
            continue
        if items:
            blocks.append(f"<ul>{''.join(items)}</ul>")
            items = []
        if line:
            blocks.append(f"<p>{line}</p>")
    if items:
        blocks.append(f"<ul>{''.join(items)}</ul>")
    return Markup("".join(blocks))  # noqa: S704 - marked_text; only our own tags added


def location_label(posting: Posting) -> str:
    """A posting's places spelled out ("Hamilton, ON, Canada")."""
    return posting.location_label


def sanitize(html: str | None) -> Markup:
    """Stored description HTML cleaned again with nh3 (the normalizer cleaned it first)."""
    return Markup(nh3.clean(html or "", link_rel="noopener nofollow"))  # noqa: S704 - nh3 cleaned


def http_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None (no javascript: or data: links)."""
    text = (url or "").strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") and len(text) < 2000 else None


def slug_filter(text: str) -> str:
    return slugify(text or "")


def format_day(value: date | str | None) -> str:
    """A date as "3 March 2026" (empty when unknown)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    return _day(value)


@lru_cache(maxsize=4096)
def _day(value: date) -> str:
    """format_day of a date (strftime is slow, and a page's dates recur across pages)."""
    return f"{value.day} {value:%B %Y}"


def format_iso(value: date | None) -> str:
    """A date in ISO form for <time datetime>."""
    return value.isoformat() if value else ""


def format_salary(salary: dict[str, Any] | None) -> str:
    """A salary range for people: "CA$120,000–150,000 a year"."""
    if not salary or not (salary.get("min") or salary.get("max")):
        return ""
    currency = str(salary.get("currency") or "")
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} " if currency else "")
    low, high = salary.get("min"), salary.get("max")
    amounts = [f"{float(v):,.0f}" for v in (low, high) if v]
    text = symbol + ("–".join(amounts) if low != high else amounts[0])
    period = PERIODS.get(str(salary.get("period") or ""))
    return f"{text} {period}" if period else text


def facet_label(value: str, facet: str) -> str:
    """A facet value for people: country and region names, role names."""
    value = str(value)
    if facet in ("role", "technical", "remote"):
        return label(facet, value)
    if facet == "country":
        return _country_name(value)
    if facet == "region":
        return _region_name(value)
    if facet == "salary":
        return SALARY_LABELS.get(value, value.replace("_", " ").capitalize())
    if facet in ("sector", "institution_type", "status"):
        return value.replace("_", " ").capitalize()
    if facet == "institution":
        return institution_names().get(value, value)
    return value


def _country_name(code: str) -> str:
    """board.places.country_name, from pycountry's data file (see board.isonames)."""
    code = code.upper()
    return country_names().get(code, code)


@lru_cache(maxsize=2048)
def _region_name(code: str) -> str:
    name = subdivision_name(code.upper())
    if name is None:
        return code
    return f"{name} ({_country_name(code.split('-')[0])})"


def institution_names() -> dict[str, str]:
    """Slug -> name for the facet sidebar, read once per index version (see versioned)."""
    from flask import g

    from board.models import Institution

    def load() -> dict[str, str]:
        return dict(get_db().execute(select(Institution.slug, Institution.name)).all())

    if "institution_names" not in g:  # the version checked once a request, not once a label
        g.institution_names = per_index_version(get_board(), "institution_names", load)
    return g.institution_names
