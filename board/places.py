"""Places for people: "Hamilton, ON, Canada" rather than the compact "Hamilton ON CA"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

#: Countries whose region codes people read as they are (ON, CO, NSW); elsewhere codes like
#: "OXF" mean little, so the region is left out.
READABLE_REGIONS = frozenset({"US", "CA", "AU"})
MAX_PLACES = 3


def country_name(code: str) -> str:
    """A country's common name from its ISO 3166-1 alpha-2 code (the code when unknown)."""
    from board.normalize.gazetteer import country_name as short_name

    return short_name(code.upper())


def place_label(location: Mapping[str, Any]) -> str:
    """One location as "City, Region, Country" (the parts that are known)."""
    country = str(location.get("country") or "")
    region = location.get("region") if country.upper() in READABLE_REGIONS else None
    parts = [location.get("city"), region, country_name(country) if country else None]
    return ", ".join(str(p) for p in parts if p)


def location_label(
    locations: Sequence[Mapping[str, Any]] | None, remote: str | None, display: str | None
) -> str:
    """Every place spelled out ("Remote (United States)", "Hamilton, ON, Canada; Toronto...")."""
    places = list(dict.fromkeys(p for p in map(place_label, locations or []) if p))
    label = "; ".join(places[:MAX_PLACES])
    if len(places) > MAX_PLACES:
        label += f" and {len(places) - MAX_PLACES} more"
    if remote == "remote":
        return f"Remote ({label})" if label else "Remote"
    return label or str(display or "")
