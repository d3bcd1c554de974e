"""Free-text locations to a list of {city, region, country}, a remote flag and a display form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from board.normalize import gazetteer as gz
from board.normalize.text import html_to_text, looks_like_html, repair_mojibake, strip_controls

MAX_LOCATION_CHARS = 500

_URL = re.compile(r"^\s*https?://\S+\s*$", re.I)
_WORKDAY_CITY = re.compile(r"/job/([A-Za-z.%\-]+?)-([A-Z]{2})/")
_HYBRID = re.compile(r"\bhybrid\b", re.I)
_REMOTE = re.compile(
    r"\b(?:remote(?:ly)?|telework(?:ing)?|work from home|wfh|virtual|anywhere)\b", re.I
)
_NOT_REMOTE = re.compile(
    r"\b(?:not|no|non)[- ](?:remote|telework|hybrid)(?: or (?:remote|hybrid))?"
    r"(?: work| eligible| option)?\b",
    re.I,
)
_ONSITE = re.compile(r"\b(?:on[- ]?site|in-?person|on campus)\b", re.I)
_MODE_WORDS = re.compile(
    r"(?:\s*(?:\bor\b|/|,|;|-|–|\band\b)\s*)?"
    r"\b(?:(?:fully|100%|partially|partly)\s+)?(?:remote(?:ly)?|telework(?:ing)?|hybrid|on-?site|"
    r"in-?person|work from home|wfh|virtual)\b(?:\s+(?:eligible|friendly|possible|option(?:al|s)?|"
    r"available|first|ok|work))?",
    re.I,
)
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# "Brisbane, QLD, Australia. This position is hybrid": the places are the first sentence.
_SENTENCE_END = re.compile(r"(?<=[a-z]{3})\.\s+(?=[A-Z][a-z]+\s+[a-z])")
_PAREN_COUNTRY_CODES = frozenset({"US", "USA", "UK", "GB"})  # "CA" could be California
_VAGUE = re.compile(
    r"\b(?:various(?:\s+locations)?|multiple(?:\s+locations)?|several\s+locations|nationwide|"
    r"location\s+flexible|flexible|anywhere\s+in|any\s+location|tbd|tba|to be (?:determined|"
    r"confirmed)|n/a|none|unknown|unavailable|not specified|negotiable|"
    r"offices?\s+available\s+in|based\s+in|located\s+in)\b",
    re.I,
)
_UNKNOWN_ONLY = re.compile(
    r"^[\W_]*(?:(?:tbd|tba|n/?a|none|unknown|unavailable|not specified|"
    r"to be (?:determined|confirmed))[\W_]*)*$",
    re.I,
)
_BASED = re.compile(r"[- ]based\b", re.I)
_DC = re.compile(r"\bD\.\s?C\.?(?=\W|$)")
_US_DOTS = re.compile(r"\bU\.\s?S\.(?:\s?A\.?)?(?=\W|$)")
# AP-style state abbreviations ("Berkeley, Calif."): only the unambiguous ones, with the dot.
_AP_STATES = {
    "Ala": "AL",
    "Ariz": "AZ",
    "Ark": "AR",
    "Calif": "CA",
    "Colo": "CO",
    "Conn": "CT",
    "Fla": "FL",
    "Ill": "IL",
    "Kan": "KS",
    "Mass": "MA",
    "Mich": "MI",
    "Minn": "MN",
    "Neb": "NE",
    "Nev": "NV",
    "Okla": "OK",
    "Ore": "OR",
    "Oreg": "OR",
    "Penn": "PA",
    "Tenn": "TN",
    "Tex": "TX",
    "Wash": "WA",
    "Wis": "WI",
    "Wyo": "WY",
}
_AP_STATE = re.compile(r"(?<=[,\s])(" + "|".join(_AP_STATES) + r")\.(?=\W|$)")
# Upper-case "OR" is Oregon ("Eugene OR USA"); lower-case "ro" is a real typo of "or" in the data.
_SEPARATORS = re.compile(
    r"\s*-(?:or|OR|Or)-\s*|\s+(?:or|Or|OR(?=\s+[A-Z][a-z])|and|And|&|ro)\s+|\s*[;|/]\s*|"
    r"\s+[-–—]\s+|:\s+"
)
# Platform forms: iCIMS "US-NJ-Passaic", and "USA, VA, Arlington" (country, region, city).
_DASHED = re.compile(
    r"^(?P<country>[A-Z]{2,3})-(?P<region>[A-Z0-9]{1,3})-(?P<city>[A-Za-z][^,;/]*)$"
)
_COUNTRY_FIRST = re.compile(
    r"^(?P<country>USA?|United States|CA|CAN|Canada|AU|AUS|Australia)\s*,\s*"
    r"(?P<region>[A-Z]{2,3}|[A-Z][a-z]+(?: [A-Z][a-z]+)*)\s*,\s*(?P<city>[^,;/]+)$"
)
_POSTAL = re.compile(
    r"\b(?:\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{4,6})\b"
)
# An institution word that ends the phrase or takes "of/for/at" ("University of Arizona",
# "Tufts University"), unlike place names built on the same words ("College Park").
_INSTITUTION_WORDS = re.compile(
    r"\b(?:university|universit[éäà]|college|institute|laborator(?:y|ies)|lab|labs|center|centre|"
    r"school|hospital|foundation|inc|llc|ltd|corporation|department|division|office|facility|"
    r"agency|campus|headquarters|hq|clinic|library|libraries|observatory|museum|group|hub|"
    r"initiative|program|programme|team|services|tech|bioinformatics|analytics|technologies|"
    r"systems|software|consortium|alliance|project|partners)\b(?:\s+(?:of|for|at|in|on)\b|\W*$)",
    re.I,
)
# "Tufts University" is a populated place in geonames too, but in a location it is the campus.
_INSTITUTION_LAST = re.compile(r"\b(?:university|institute|laboratory|hospital)\W*$", re.I)
# Everyday short names of places the gazetteer knows by their full name, by country.
_SHORT_NAMES = {
    ("GB", "kingston"): "Kingston upon Thames",
    ("GB", "newcastle"): "Newcastle upon Tyne",
    ("GB", "hull"): "Kingston upon Hull",
}
_NOT_A_CITY = frozenset({"bay area", "tri state area", "dmv", "research triangle", "possible"})
# The newsletter's short forms of gazetteer names.
_DISPLAY_CITY = {"New York City": "New York"}
_CITY_CODES = {"NYC": ("New York City", "NY", "US"), "SF": ("San Francisco", "CA", "US")}
_AREA = re.compile(
    r"^(?:greater|metro(?:politan)?)\s+|\s+(?:bay\s+area|metro(?:politan)?(?:\s+area)?|area|region)$",
    re.I,
)
_FILLER = {"in", "the", "in the", "and", "or", "of", "at", "area", "city", "us", "usa"}


@dataclass
class LocationResult:
    """Parsed locations, the remote flag and any problems met while parsing."""

    locations: list[dict[str, str | None]] = field(default_factory=list)
    remote: str | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class _Place:
    city: str | None = None
    region: str | None = None
    country: str | None = None
    explicit_country: bool = False
    bare_country: bool = False


def parse_location(value: Any, *, country: str | None = None) -> LocationResult:
    """Parse one free-text location ("Hamilton ON CA", "Remote CA or USA", ...).

    `country` (alpha-2) is what is already known, the institution's or the source's country:
    a place the text leaves open ("Durham", "Montreal, CA") is read there when it exists there.
    """
    result = LocationResult()
    prior = country if country and len(country) == 2 and gz.is_country_code(country) else None
    if value is None:
        return result
    if isinstance(value, Mapping):
        value = _address_text(value)
    if isinstance(value, list | tuple):
        value = " or ".join(
            _address_text(v) if isinstance(v, Mapping) else str(v)
            for v in value
            if isinstance(v, str | Mapping)
        )
    if not isinstance(value, str):
        result.problems.append(f"location: not text ({type(value).__name__}), dropped")
        return result
    text = repair_mojibake(strip_controls(value))
    if looks_like_html(text):
        text = html_to_text(text[: MAX_LOCATION_CHARS * 10])
        result.problems.append("location: HTML removed")
    text = " ".join(text.split())
    if len(text) > MAX_LOCATION_CHARS:
        text = text[:MAX_LOCATION_CHARS]
        result.problems.append(f"location: longer than {MAX_LOCATION_CHARS} characters, cut")
    if not text:
        return result
    if _URL.match(text):
        match = _WORKDAY_CITY.search(text)
        if not match:
            result.problems.append("location: a URL, not a place")
            return result
        text = f"{match.group(1).replace('-', ' ')} {match.group(2)}"
        result.problems.append("location: a URL; place read from its path")
    if _UNKNOWN_ONLY.match(text):
        result.problems.append(f"location: {text[:80]!r} names no place")
        return result
    result.remote = remote_mode(text)
    head = _SENTENCE_END.split(text, maxsplit=1)[0]
    places = _parse_places(head, prior) if head != text else []
    if not any(place.city or place.region or place.country for place, _ in places):
        places = _parse_places(text, prior)
    seen: set[tuple[str | None, str | None, str | None]] = set()
    for place, problems in places:
        result.problems.extend(problems)
        key = (place.city, place.region, place.country)
        if key == (None, None, None) or key in seen:
            continue
        seen.add(key)
        result.locations.append(
            {"city": place.city, "region": place.region, "country": place.country}
        )
    detailed = {loc["country"] for loc in result.locations if loc["city"] or loc["region"]}
    with_city = {(loc["region"], loc["country"]) for loc in result.locations if loc["city"]}
    result.locations = [
        loc
        for loc in result.locations
        if loc["city"]
        or (loc["region"] and (loc["region"], loc["country"]) not in with_city)
        or (not loc["region"] and loc["country"] not in detailed)
    ]
    if not result.locations and result.remote is None:
        result.problems.append(f"location: could not read a place from {text[:80]!r}")
    return result


def _address_text(value: Mapping[str, Any]) -> str:
    """schema.org Place / PostalAddress (or any {city, region, country} mapping) as text."""
    address = value.get("address", value)
    if isinstance(address, str):
        return address
    if not isinstance(address, Mapping):
        return ""
    bits = []
    for keys in (
        ("addressLocality", "city", "TownOrCity"),
        ("addressRegion", "region", "state"),
        ("addressCountry", "country", "Country"),
    ):
        for key in keys:
            item = address.get(key)
            if isinstance(item, Mapping):
                item = item.get("name")
            if isinstance(item, str) and item.strip() and item.strip().upper() != "UNAVAILABLE":
                item = item.strip()
                if keys[0] == "addressCountry" and len(item) == 2 and item.isalpha():
                    item = gz.country_name(item.upper())  # "IN" here is India, never Indiana
                bits.append(item)
                break
    return ", ".join(bits)


_STATE_IN_NAME = re.compile(r"\b(?i:university) of ([A-Z][a-z]+(?: [A-Z][a-z]+)?)\b")


def check_institution_state(
    locations: list[dict[str, str | None]], institution: str | None, problems: list[str]
) -> None:
    """Fix a US state the source got wrong when the institution names its state: "University
    of Missouri" at "Columbia MS" is Columbia MO (a far larger Columbia in the named state)."""
    match = _STATE_IN_NAME.search(institution or "")
    if not match or len(locations) != 1:
        return
    state = gz.region_of("US", match.group(1))
    loc = locations[0]
    if not state or loc["country"] != "US" or not loc["city"] or loc["region"] in (None, state):
        return
    here = gz.find_city(loc["city"], "US", loc["region"])
    there = gz.find_city(loc["city"], "US", state)
    if there and not there[1] and (not here or here[0].population * 10 <= there[0].population):
        problems.append(
            f"location: {loc['city']} {loc['region']} read as {loc['city']} {state}, "
            f"the state {institution} names"
        )
        loc["region"] = state


def institution_hint(value: Any) -> str | None:
    """The institution a location names ("Princeton University, Princeton, NJ"), if any."""
    if not isinstance(value, str) or _URL.match(value):
        return None
    for part in _PARENS.sub(" ", value[:MAX_LOCATION_CHARS]).split(","):
        part = " ".join(part.split()).strip(" -–;:")
        if part and _INSTITUTION_WORDS.search(part) and not gz.cities_named(part):
            return part
    return None


def remote_mode(text: str) -> str | None:
    """remote, hybrid or onsite from the words of a location or description line."""
    if _NOT_REMOTE.search(text):
        text = _NOT_REMOTE.sub(" on-site ", text)
    if _HYBRID.search(text):
        return "hybrid"
    if _REMOTE.search(text):
        return "remote"
    if _ONSITE.search(text):
        return "onsite"
    return None


def _paren_country(match: re.Match[str]) -> str:
    """Keep a bracketed country ("Remote (Australia)", "Remote (US)"); drop other notes."""
    inner = match.group(0)[1:-1].strip()
    if inner in _PAREN_COUNTRY_CODES or (len(inner) > 3 and gz.country_from_name(inner)):
        return f", {inner} "
    return " "


def _prepare(text: str) -> str:
    text = _PARENS.sub(_paren_country, text)
    text = _DC.sub("DC", text)
    text = _US_DOTS.sub("USA", text)
    text = _AP_STATE.sub(lambda m: _AP_STATES[m.group(1)], text)
    text = _MODE_WORDS.sub(" ", text)
    text = _VAGUE.sub(" ", text)
    text = _BASED.sub("", text)
    return " ".join(text.split()).strip(" ,;/-–")


def _segments(text: str) -> list[str]:
    segments: list[str] = []
    if " and " in text.casefold():
        text = gz.protect_country_names(text)
    for raw in _SEPARATORS.split(text):
        raw = raw.strip(" ,.")
        if raw:
            for part in _split_after_regions(raw):
                for piece in _split_city_list(part):
                    segments.extend(_split_country_list(piece))
    return segments


def _split_city_list(segment: str) -> list[str]:
    """Greenhouse's "Toronto, New York, San Francisco": several well-known cities, no region."""
    parts = [p.strip() for p in segment.split(",") if p.strip()]
    if len(parts) < 2 or not all(
        _big_city_only(p, last=i == len(parts) - 1) for i, p in enumerate(parts)
    ):
        return [segment]
    resolved = []
    for part in parts:
        city = gz.cities_named(part)[0]
        resolved.append(", ".join(b for b in (city.name, city.region, city.country) if b))
    return resolved


def _big_city_only(text: str, *, last: bool) -> bool:
    """A well-known city name, and not a region or country ("Seattle, Washington" is one place;
    "Toronto, New York, San Francisco" three, as New York is not last)."""
    if gz.country_from_name(text) or _INSTITUTION_WORDS.search(text):
        return False
    found = gz.cities_named(text)
    if not found or found[0].population < 100_000:
        return False
    return not gz.regions_anywhere(text) or (not last and found[0].population >= 500_000)


def _split_country_list(segment: str) -> list[str]:
    """ "US UK CA" is three countries; "CA USA" is California, USA."""
    words = segment.replace(",", " ").split()
    if len(words) < 2 or not all(_is_code(w) and gz.country_code(w) for w in words):
        return [segment]
    if len(words) == 2 and gz.region_of(gz.country_code(words[1]) or "", words[0]):
        return [segment]
    return words


def _split_after_regions(segment: str) -> list[str]:
    """Split "Redmond WA San Antonio TX" after a region code that a new place name follows."""
    words = segment.split()
    parts: list[str] = []
    start = 0
    for i, word in enumerate(words[:-1]):
        token = word.rstrip(",")
        nxt = words[i + 1]
        if (
            i > start
            and token.isupper()
            and 2 <= len(token) <= 3
            and gz.regions_anywhere(token)
            and nxt[:1].isupper()
            and not nxt.rstrip(",").isupper()
            and not gz.country_from_name(" ".join(words[i + 1 :]).strip(" ,"))
        ):
            parts.append(" ".join(words[start : i + 1]))
            start = i + 1
    parts.append(" ".join(words[start:]))
    return [p.strip(" ,") for p in parts if p.strip(" ,")]


def _parse_places(text: str, prior: str | None = None) -> list[tuple[_Place, list[str]]]:
    segments = [_platform_form(s) for s in _segments(_platform_form(_prepare(text)))]
    if not segments:
        return []
    last, last_problems = _parse_segment(segments[-1], None, countries_mode=False, prior=prior)
    shared = last.country if last.explicit_country else None
    countries_mode = last.bare_country
    parsed: list[tuple[_Place, list[str]]] = []
    for segment in segments[:-1]:
        parsed.append(_parse_segment(segment, shared, countries_mode=countries_mode, prior=prior))
    parsed.append((last, last_problems))
    return parsed


def _platform_form(segment: str) -> str:
    """ "US-NJ-Passaic" and "USA, VA, Arlington" as "Passaic, NJ, US"."""
    for pattern in (_DASHED, _COUNTRY_FIRST):
        match = pattern.match(segment.strip())
        if not match:
            continue
        country = gz.country_code(match.group("country"))
        if country and gz.region_of(country, match.group("region")):
            return f"{match.group('city').strip()}, {match.group('region')}, {country}"
    return segment


def _words(segment: str) -> list[list[str]]:
    """Comma parts of a segment, each a list of words, postal codes removed."""
    parts = []
    for part in segment.split(","):
        words = _POSTAL.sub(" ", part).split()
        if any(w[:1].isupper() or w[:1].isdigit() for w in words):  # not "occasional on-site"
            parts.append(words)
    return parts


def _country_part(words: list[str]) -> bool:
    text = " ".join(words)
    if len(words) == 1 and _is_code(text):
        return text in {"US", "USA", "UK", "GB"} or (
            len(text) == 2 and gz.country_code(text) is not None and not gz.regions_anywhere(text)
        )
    return text[:1].isupper() and gz.country_from_name(text) is not None


def _is_code(token: str) -> bool:
    return token.isupper() and token.isalpha() and 2 <= len(token) <= 3


def _peel_country(parts: list[list[str]]) -> tuple[str, str] | None:
    """Remove a trailing country code or name; return (alpha-2, the words it was)."""
    last = parts[-1]
    for k in (5, 4, 3, 2, 1):
        if len(last) < k:
            continue
        candidate = " ".join(last[-k:])
        if _tail_of_region(last, k):
            return None
        if k == 1 and _is_code(candidate):
            code = (
                gz.country_code(candidate)
                if len(candidate) == 2
                else gz.country_from_name(candidate)
            )
        elif candidate[:1].isupper():
            code = gz.country_from_name(candidate)
        else:
            code = None
        if code:
            del last[-k:]
            if not last:
                parts.pop()
            return code, candidate
    return None


def _tail_of_region(words: list[str], k: int) -> bool:
    """Whether the last k words end a longer US state or Canadian province name ("New Mexico",
    "New Jersey", "British Columbia"): those are never the countries Mexico or Jersey."""
    for extra in (1, 2):
        if len(words) >= k + extra:
            longer = " ".join(words[-(k + extra) :])
            if longer[:1].isupper() and len(longer) > 3 and gz.regions_anywhere(longer):
                return True
    return False


def _peel_region(parts: list[list[str]], country: str | None) -> list[tuple[str, str]]:
    """Remove a trailing region code or name; return the (country, region) pairs it could mean."""
    if not parts:
        return []
    last = parts[-1]
    for k in (3, 2, 1):
        if len(last) < k:
            continue
        candidate = " ".join(last[-k:])
        if k == 1 and candidate.isupper() or k == 1 and len(candidate) > 3 or k > 1:
            if not candidate[:1].isupper():
                continue
            options = _region_options(candidate, country)
            if options:
                del last[-k:]
                if not last:
                    parts.pop()
                return options
    return []


def _region_options(candidate: str, country: str | None) -> list[tuple[str, str]]:
    if country is not None:
        region = gz.region_of(country, candidate)
        if region:
            return [(country, region)]
    return (
        [(c, r) for c, r in gz.regions_anywhere(candidate) if c != country]
        if (candidate.isupper() or country is None or country in gz.REGION_COUNTRIES)
        else []
    )


def _city_text(parts: list[list[str]]) -> str | None:
    """The city among what is left: the last comma part that is not an institution name."""
    for words in reversed(parts):
        text = " ".join(words).strip(" .-")
        if not text:
            continue
        if _INSTITUTION_WORDS.search(text) and (
            _INSTITUTION_LAST.search(text) or not gz.cities_named(text)
        ):
            continue
        if text[:1].isupper() and gz.country_from_name(text):
            continue
        if gz.fold(text) in _NOT_A_CITY:
            return None
        text = _AREA.sub("", text).strip()
        if (
            text.casefold() in _FILLER
            or not text[:1].isupper()
            or not any(c.isalpha() for c in text)
        ):
            continue
        return text
    return None


def _parse_segment(
    segment: str, shared_country: str | None, *, countries_mode: bool, prior: str | None = None
) -> tuple[_Place, list[str]]:
    problems: list[str] = []
    place = _Place()
    parts = _words(segment)
    if not parts:
        return place, problems
    if len(parts) > 1 and _country_part(parts[0]):
        parts.reverse()  # Workday's "US, Minnesota, Maplewood"
    lone = len(parts) == 1 and len(parts[0]) == 1 and _is_code(parts[0][0])
    if lone and shared_country and not countries_mode:
        region = gz.region_of(shared_country, parts[0][0])
        if region:
            return _Place(None, region, shared_country), problems
    peeled = _peel_country(parts)
    country = peeled[0] if peeled else None
    if country and not parts:
        return _Place(None, None, country, explicit_country=True, bare_country=True), problems
    if peeled and _region_not_country(peeled[1], parts, shared_country, prior):
        parts.append(peeled[1].split())
        country = None
    options = _peel_region(parts, country)
    city = _city_text(parts)
    if country is not None:
        place.country, place.explicit_country = country, True
        if options and options[0][0] == country:
            place.region = options[0][1]
        elif options:
            switched = _contradiction(city, country, options)
            if switched:
                place.country, place.region = switched
                problems.append(
                    f"location: region {switched[1]} contradicts country {country}; "
                    f"read as {switched[1]} {switched[0]}"
                )
    elif options:
        place.country, place.region = _choose_region(city, options, shared_country or prior)
    elif shared_country:
        place.country = shared_country
    place.city = city
    _resolve_city(place, problems, prior)
    return place, problems


def _region_not_country(
    token: str, parts: list[list[str]], shared: str | None, prior: str | None = None
) -> bool:
    """Whether a trailing word that names a country is here a region ("Berkeley CA", "Atlanta,
    Georgia"): the city before it lies in that region, or the list's shared country has it.
    What is known decides a code that could be either: "Montreal, CA" at a Canadian university
    is Canada, "Berkeley, CA" at an American one California."""
    options = gz.regions_anywhere(token) if token.isupper() or len(token) > 3 else []
    if not options:
        return False
    country = gz.country_code(token)
    if prior and country == prior and not shared:
        city = _city_text(parts)
        if not city or gz.find_city(city, country):
            return False
    if prior and any(c == prior for c, _ in options) and country != prior and not shared:
        return True
    if country and parts and gz.region_of(country, parts[-1][-1]):
        return False
    if shared and any(c == shared for c, _ in options):
        return True
    city = _city_text(parts)
    if not city:
        return False
    for option_country, region in options:
        found = gz.find_city(city, option_country, region)
        if found and not found[1]:
            return True
    if country and gz.find_city(city, country):
        return False
    return token.isupper() and options[0][0] == "US"


def _contradiction(
    city: str | None, country: str, options: list[tuple[str, str]]
) -> tuple[str, str] | None:
    """A region that belongs to another country: trust region+city over the country."""
    for other_country, region in options:
        if city and gz.find_city(city, other_country, region):
            return other_country, region
    if not city and len(options) == 1:
        return options[0]
    return None


def _choose_region(
    city: str | None, options: list[tuple[str, str]], shared_country: str | None
) -> tuple[str, str]:
    """Pick among countries a region code could mean, by the city it follows."""
    if shared_country:
        for option in options:
            if option[0] == shared_country:
                return option
    if city:
        for country, region in options:
            found = gz.find_city(city, country, region)
            if found and not found[1]:
                return country, region
    return options[0]


def _resolve_city(place: _Place, problems: list[str], prior: str | None = None) -> None:
    """Canonical city name from the gazetteer, near-miss spellings fixed, region filled in."""
    if not place.city:
        return
    given = place.city
    if prior and place.country is None and place.region is None:
        given = _SHORT_NAMES.get((prior, gz.fold(given)), given)
        known = gz.find_city(given, prior)
        if known and not known[1]:
            # "Durham" at a British university: Durham, England, not Durham NC.
            place.country = prior
    if given in _CITY_CODES or (given == "NY" and place.region == "NY"):
        place.city, place.region, place.country = _CITY_CODES.get(given, _CITY_CODES["NYC"])
        return
    if _is_code(given) and gz.region_of(place.country or "US", given):
        place.city = None
        return
    if place.region is None and not place.explicit_country and given.isupper() and len(given) > 2:
        problems.append(f"location: {given[:60]!r} looks like an organization, dropped")
        place.city = None
        return
    found = gz.find_city(given, place.country, place.region)
    if found is None and place.region and place.country:
        found = gz.find_city(given, place.country, None)
        if found and found[1]:
            found = None
        if found:
            # The city exists in the country but not in the region the text gives: keep the text.
            found = None
    if found is None and place.country is None and place.region is None:
        candidates = gz.cities_named(given)
        if candidates and candidates[0].population >= 50_000:
            found = (candidates[0], False)
    if found is None:
        if place.country is None and place.region is None:
            # A lone unknown name ("NumFOCUS", "Internet2") is an organization, not a place.
            problems.append(f"location: {given[:60]!r} is not a known place, dropped")
            place.city = None
        return
    city, fuzzy = found
    if fuzzy:
        problems.append(f"location: {given!r} read as {city.name!r}")
    place.city = city.name
    place.country = place.country or city.country
    if place.region is None and city.country in gz.REGION_COUNTRIES:
        place.region = city.region


def location_display(locations: list[dict[str, str | None]], remote: str | None) -> str | None:
    """Newsletter form: "Hamilton ON CA", "Golden CO USA", "Oxford UK", "Remote USA"."""
    groups: list[tuple[str | None, list[str]]] = []
    for loc in locations:
        country = loc.get("country")
        city = _DISPLAY_CITY.get(loc.get("city") or "", loc.get("city"))
        bits = [b for b in (city, loc.get("region")) if b]
        label = " ".join(bits)
        if groups and groups[-1][0] == country:
            if label:
                groups[-1][1].append(label)
        else:
            groups.append((country, [label] if label else []))
    rendered = []
    for country, labels in groups:
        tail = gz.country_display(country) if country else ""
        rendered.append(" ".join(b for b in (" or ".join(labels), tail) if b))
    text = " or ".join(r for r in rendered if r)
    if remote == "remote":
        return (
            f"Remote {text}".strip()
            if not any(loc.get("city") for loc in locations)
            else (f"{text} or Remote")
        )
    if remote == "hybrid" and text:
        return f"{text} (hybrid)"
    return text or ("Remote" if remote == "remote" else None)
