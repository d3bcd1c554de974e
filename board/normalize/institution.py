"""Institutions: canonical name, slug, type, sector, country and unit from a curated table.

board/data/institutions.json lists institutions with their type, country, aliases, units
(offices folded into the institution: MIT's "Office of Research Computing and Data") and the
parent a centre belongs to while keeping its own name (TACC and the University of Texas at
Austin). A posted name is matched exactly (folded), then with its acronym in parentheses, a
trailing place ("EMBL-EBI, UK") or a unit around it removed, then fuzzily against the table
for typos ("Universtity of Cambridge"). Types come from the table; the name-word rules are
the fallback only for names the table does not know.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from board.normalize import gazetteer as gz
from board.normalize.gazetteer import fold
from board.vocabulary import INSTITUTION_TYPES, SECTORS  # noqa: F401 - re-exported

SECTOR_OF_TYPE = {
    "university": "academia",
    "research_institute": "academia",
    "national_lab": "public_sector",
    "hospital": "public_sector",
    "government": "public_sector",
    "company": "industry",
    "nonprofit": "nonprofit",
}

_DROP_WORDS = {"the", "inc", "incorporated", "llc", "ltd", "limited", "co", "corp", "corporation",
               "plc", "gmbh", "ag", "sa", "at"}  # fmt: skip
_WORD_FORMS = {
    "labs": "laboratory", "lab": "laboratory", "laboratories": "laboratory", "centre": "center",
    "univ": "university", "u": "university", "&": "and", "saint": "st", "intl": "international",
    "natl": "national", "dept": "department", "tech": "technology", "inst": "institute",
}  # fmt: skip
_RECRUITER = re.compile(
    r"\s*[(\[]\s*(recruit(?:er|ing|ment)(?: agency)?|agency|via [^)\]]+)\s*[)\]]", re.I
)
_PARENS = re.compile(r"\s*\([^)]*\)")
_ODD_CASE = re.compile(r"\b([A-Z])([A-Z]+)([a-z]{2,})\b")

# (pattern, type), first match wins; applied to the folded name.
_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"\bnational (?:laboratory|accelerator|security site)\b|\bnational lab\b", "national_lab"),
        (
            r"\b(?:hospital|clinic|health sciences? cent|medical cent|cancer cent|health system|"
            r"healthcare|health care|medicine$|cancer care|nhs|children s health)\b",
            "hospital",
        ),
        (
            r"\b(?:university|universite|universitat|college|polytechnic|school of|"
            r"institute of technology|business school|medical school|law school|eth\b|epfl)",
            "university",
        ),
        (
            r"\b(?:department of|ministry|agency|administration|office of|national institutes? of|"
            r"research council|government|federal|county|state of|city of|nasa|noaa|nih|nsf|"
            r"usda|u s\b)",
            "government",
        ),
        (
            r"\b(?:foundation|alliance|society|association|consortium|trust|charity|collaborative|"
            r"garden|museum)\b",
            "nonprofit",
        ),
        (
            # Before the company words: "Texas Advanced Computing Center" is no company.
            r"\b(?:institute|research cent(?:er|re)|observatory|laboratory for|cent(?:er|re) for|"
            r"supercomput\w*|computing cent(?:er|re))\b",
            "research_institute",
        ),
        (
            r"\b(?:inc|llc|ltd|plc|corp|corporation|gmbh|technologies|technology solutions|"
            r"systems|solutions|software|biosciences?|therapeutics|pharma\w*|capital|consult\w*|"
            r"labs?|ai$|group|partners|recruit\w*|bank|analytics|bio$|medicines?$|"
            r"quantum|computing|discovery|enterprises?)\b",
            "company",
        ),
    )
)


@dataclass(frozen=True)
class Institution:
    """A canonical institution, and the unit of it a posting named, if any."""

    name: str
    slug: str
    type: str | None
    sector: str | None
    country: str | None = None
    unit: str | None = None
    unit_slug: str | None = None
    parent: str | None = None
    parent_slug: str | None = None
    matched: str = "as posted"


@dataclass(frozen=True)
class _Entry:
    name: str
    type: str | None
    country: str | None
    parent: str | None = None
    unit: str | None = None
    unit_country: str | None = None


def institution_key(name: str) -> str:
    """Matching key: folded, articles and company suffixes dropped, word forms unified."""
    name = name.replace("&", " and ").replace("–", "-")
    words = [_WORD_FORMS.get(w, w) for w in fold(name).split()]
    return " ".join(w for w in words if w not in _DROP_WORDS)


def slugify(value: str) -> str:
    """URL slug of a matching key or a name."""
    return "-".join(fold(value).split())[:80] or "unknown"


@cache
def _table() -> tuple[dict[str, _Entry], dict[str, _Entry]]:
    """(folded key of an institution or alias -> entry, folded key of a unit alias -> entry)."""
    text = resources.files("board").joinpath("data", "institutions.json").read_text("utf-8")
    data = json.loads(text)
    table: dict[str, _Entry] = {}
    units: dict[str, _Entry] = {}
    for item in data["institutions"]:
        entry = _Entry(item["name"], item.get("type"), item.get("country"), item.get("parent"))
        table[institution_key(item["name"])] = entry
        for alias in item.get("aliases", ()):
            table.setdefault(institution_key(alias), entry)
        for unit in item.get("units", ()):
            folded = _Entry(
                entry.name, entry.type, entry.country, None, unit["name"], unit.get("country")
            )
            for alias in (unit["name"], *unit.get("aliases", ())):
                units.setdefault(institution_key(alias), folded)
    for company in data.get("companies", ()):
        table.setdefault(institution_key(company), _Entry(company, "company", None))
    return table, units


def _aliases() -> dict[str, tuple[str, str | None]]:
    """Folded alias key -> (canonical name, type)."""
    return {key: (entry.name, entry.type) for key, entry in _table()[0].items()}


def clean_name(name: str) -> str:
    """Drop recruiter notes and stray punctuation, fix odd capitals ("CEnter")."""
    name = _RECRUITER.sub("", name)
    name = _ODD_CASE.sub(lambda m: m.group(1) + m.group(2).lower() + m.group(3), name)
    return " ".join(name.split()).strip(" ,;:-–|.")


def institution_type(name: str) -> str | None:
    """Type from the name's words ("... National Laboratory" -> national_lab), or None."""
    key = fold(name)
    for pattern, kind in _TYPE_RULES:
        if pattern.search(key):
            return kind
    return None


# A bracketed acronym ("Baylor College of Medicine (BCM)") or any bracketed note.
_ACRONYM = re.compile(r"\s*\(\s*([A-Z][A-Za-z&.-]{1,11})\s*\)")
_UNIT_SEPARATORS = re.compile(r"\s*(?:,|\s[-–—|]\s|:|\bat\b|\bof the\b)\s*")
# Words that make a remainder of a name a unit ("Department of Physics", "Research Computing").
_UNIT_WORDS = re.compile(
    r"\b(?:department|dept|office|school|college|faculty|division|institute|center|centre|"
    r"laborator(?:y|ies)|lab|library|libraries|program|programme|group|services|"
    r"research computing|computing|hpc|it|information technology|core|facility|hospital|"
    r"medicine|medical|health|campus|unit|initiative|academic|data|sciences?)\b",
    re.I,
)
_GENERIC_WORDS = frozenset(
    {"university", "institute", "college", "laboratory", "national", "technology", "center",
     "hospital", "research", "of", "and", "the", "for", "at", "school", "medical", "state"}
)  # fmt: skip
_FUZZY_CUTOFF = 0.9


def _find(name: str) -> tuple[_Entry, str] | None:
    """The table entry a cleaned name means, and how it was found."""
    table, units = _table()
    key = institution_key(name)
    if not key:
        return None
    if key in table:
        return table[key], "as posted"
    if key in units:
        return units[key], "unit"
    bare = _ACRONYM.sub("", name)
    if bare != name:
        found = _find(bare)
        if found:
            return found[0], "acronym dropped"
    parts = [p for p in _UNIT_SEPARATORS.split(name) if p and p.strip()]
    if len(parts) > 1:
        found = _split_match(parts)
        if found:
            return found
    words = name.split()
    for cut in range(len(words) - 1, 0, -1):  # "Rutgers OARC", "Texas A&M HPRC"
        head, rest = " ".join(words[:cut]), " ".join(words[cut:])
        for first, second in ((head, rest), (rest, head)):
            entry = table.get(institution_key(first))
            if entry is None:
                continue
            unit = units.get(institution_key(second))
            if unit and unit.name == entry.name:
                return unit, "unit"
    fuzzy = _fuzzy(key)
    if fuzzy:
        return fuzzy, "fuzzy"
    return None


def _split_match(parts: list[str]) -> tuple[_Entry, str] | None:
    """ "Office of Research Computing and Data, MIT", "EMBL-EBI, UK", "TAMU - HPRC"."""
    table, units = _table()
    keys = [institution_key(p) for p in parts]
    for i, key in enumerate(keys):
        entry = table.get(key)
        if entry is None:
            continue
        rest = [p for j, p in enumerate(parts) if j != i and not _is_place(p)]
        if not rest:
            return entry, "place dropped"
        for other in rest:
            unit = units.get(institution_key(other))
            if unit and unit.name == entry.name:
                return unit, "unit"
        unit_text = ", ".join(rest)
        if _UNIT_WORDS.search(unit_text):
            return (
                _Entry(entry.name, entry.type, entry.country, entry.parent, unit_text),
                "unit",
            )
        return entry, "place dropped"
    for i, key in enumerate(keys):  # a known unit and a place: "EMBL-EBI, UK"
        unit = units.get(key)
        if unit and all(_is_place(p) for j, p in enumerate(parts) if j != i):
            return unit, "unit"
    return None


def _without_places(name: str) -> str:
    """ "Acme Research Labs, Boston, MA" -> "Acme Research Labs": trailing places dropped."""
    parts = [p.strip() for p in name.split(",")]
    dropped_region = False
    while len(parts) > 1:
        last = parts[-1].strip(" .")
        if gz.country_code(last) or gz.country_from_name(last) or gz.regions_anywhere(last):
            parts.pop()
            dropped_region = True
        elif dropped_region and gz.cities_named(last):
            parts.pop()  # the city of "Boston, MA"; a lone "Omaha" may name a campus, so stays
            dropped_region = False
        else:
            break
    return ", ".join(parts)


def _is_place(text: str) -> bool:
    """A country, region or city name or code ("UK", "Amherst", "Boulder, CO")."""
    text = text.strip(" .")
    if not text:
        return True
    if gz.country_code(text) or gz.country_from_name(text) or gz.regions_anywhere(text):
        return True
    return bool(gz.cities_named(text))


@cache
def _fuzzy_choices() -> tuple[list[str], list[_Entry]]:
    table, units = _table()
    keys = [k for k in table if len(k) >= 10]
    return keys, [table[k] for k in keys]


def _fuzzy(key: str) -> _Entry | None:
    """A known institution one typo away ("universtity of cambridge"), never a different one
    ("University of Alabama" is not "University of Alaska")."""
    if len(key) < 10:
        return None
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    keys, entries = _fuzzy_choices()
    best = process.extractOne(
        key, keys, scorer=Levenshtein.normalized_similarity, score_cutoff=_FUZZY_CUTOFF
    )
    if not best:
        return None
    theirs = best[0].split()
    ours = key.split()
    if len(theirs) != len(ours):
        return None
    for mine, known in zip(ours, theirs, strict=True):
        if mine == known:
            continue
        distance = Levenshtein.distance(mine, known)
        if not (known in _GENERIC_WORDS and distance <= 2 or len(known) >= 7 and distance <= 1):
            return None
    return entries[best[2]]


@cache
def canonical_institution(name: str) -> Institution:
    """Canonical name, slug, type, sector, country and unit of an institution name as posted."""
    cleaned = clean_name(name)
    recruiter = bool(_RECRUITER.search(name))
    found = _find(cleaned)
    if found is None:
        canonical = _without_places(_ACRONYM.sub("", cleaned).strip() or cleaned)
        kind = "company" if recruiter else institution_type(canonical)
        return Institution(
            name=canonical,
            slug=slugify(institution_key(canonical)),
            type=kind,
            sector=SECTOR_OF_TYPE.get(kind) if kind else None,
        )
    entry, how = found
    kind = entry.type or ("company" if recruiter else institution_type(entry.name))
    parent_slug = slugify(institution_key(entry.parent)) if entry.parent else None
    return Institution(
        name=entry.name,
        slug=slugify(institution_key(entry.name)),
        type=kind,
        sector=SECTOR_OF_TYPE.get(kind) if kind else None,
        country=entry.unit_country or entry.country,
        unit=entry.unit,
        unit_slug=slugify(institution_key(entry.unit)) if entry.unit else None,
        parent=entry.parent,
        parent_slug=parent_slug,
        matched=how,
    )


def known_institution(text: str) -> Institution | None:
    """The known institution a line such as a location names ("Princeton University, Princeton,
    NJ", "CIRA, Colorado State University, Boulder, CO"), or None; never a guess."""
    cleaned = clean_name(text)
    found = _find(cleaned)
    if found is None or found[1] == "fuzzy":
        return None
    parts = [p for p in _UNIT_SEPARATORS.split(cleaned) if p and p.strip()]
    if all(_is_place(p) for p in parts):
        return None  # "Princeton, NJ" is a town, whatever the table knows by that name
    return canonical_institution(cleaned)


def parent_and_unit(name: str) -> tuple[str, str | None]:
    """The slug of the institution a posted name belongs to at the top, and the unit of it the
    name means (None for the institution itself): "MIT ORCD" -> ("massachusetts-institute-of-
    technology", "Office of Research Computing and Data"); "TACC" -> ("university-of-texas-
    austin", "Texas Advanced Computing Center")."""
    inst = canonical_institution(name)
    if inst.parent_slug:
        return inst.parent_slug, inst.name
    return inst.slug, inst.unit


def institution_fields(inst: Institution) -> dict[str, Any]:
    """The normalized record's institution fields."""
    return {
        "institution": inst.name,
        "institution_slug": inst.slug,
        "institution_type": inst.type,
        "sector": inst.sector,
        "institution_country": inst.country,
        "institution_parent": inst.parent_slug,
        "unit": inst.unit,
        "unit_slug": inst.unit_slug,
    }


@cache
def _by_slug() -> dict[str, _Entry]:
    """Slug of each table institution -> its entry."""
    found: dict[str, _Entry] = {}
    for entry in _table()[0].values():
        found.setdefault(slugify(institution_key(entry.name)), entry)
    return found


def known_by_slug(slug: str) -> Institution | None:
    """The table's institution with this slug ("university-of-texas-austin"), or None: what a
    store needs to create the parent a centre names by slug only."""
    entry = _by_slug().get(slug)
    return canonical_institution(entry.name) if entry else None
