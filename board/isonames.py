"""Country and subdivision names (ISO 3166-1 and 3166-2) read from pycountry's own data files.

The listing's facet labels need only names by code, and a web worker imported pycountry (about
60 ms) and built its objects and indexes (about 40 ms for the 5,000 subdivisions) on its first
listing; the same JSON files read into two dicts take under 10 ms. The names are pycountry's
exactly (tests/board/test_isonames.py compares every code): a country's common name where it
has one, else its name; a subdivision by its code, the last entry of a code winning as in
pycountry's index, looked up without regard to case.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path


def _database(name: str) -> list[dict[str, str]]:
    """The entries of one of pycountry's databases (found without importing pycountry)."""
    spec = find_spec("pycountry")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("pycountry")
    path = Path(spec.origin).with_name("databases") / f"iso{name}.json"
    with open(path, encoding="utf-8") as handle:
        entries: list[dict[str, str]] = json.load(handle)[name]
    return entries


@cache
def country_names() -> dict[str, str]:
    """Alpha-2 code -> the country's short English name."""
    return {e["alpha_2"]: e.get("common_name") or e["name"] for e in _database("3166-1")}


@cache
def _subdivisions() -> dict[str, str]:
    return {entry["code"].lower(): entry["name"] for entry in _database("3166-2")}


def subdivision_name(code: str) -> str | None:
    """The name of the subdivision with this ISO 3166-2 code ("CA-ON" -> "Ontario"), any case;
    None when there is none."""
    return _subdivisions().get(code.lower())
