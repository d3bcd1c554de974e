"""Institutions: canonical name, slug, type and sector from an alias table plus rules."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

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
            r"labs?|ai$|group|partners|recruit\w*|bank|analytics|health$|bio$|medicines?$|"
            r"quantum|computing|discovery|enterprises?)\b",
            "company",
        ),
    )
)


@dataclass(frozen=True)
class Institution:
    """A canonical institution."""

    name: str
    slug: str
    type: str | None
    sector: str | None


def institution_key(name: str) -> str:
    """Matching key: folded, articles and company suffixes dropped, word forms unified."""
    name = name.replace("&", " and ").replace("–", "-")
    words = [_WORD_FORMS.get(w, w) for w in fold(name).split()]
    return " ".join(w for w in words if w not in _DROP_WORDS)


def slugify(value: str) -> str:
    """URL slug of a matching key or a name."""
    return "-".join(fold(value).split())[:80] or "unknown"


@cache
def _aliases() -> dict[str, tuple[str, str | None]]:
    """Folded alias key -> (canonical name, type)."""
    text = resources.files("board").joinpath("data", "institutions.json").read_text("utf-8")
    table: dict[str, tuple[str, str | None]] = {}
    data = json.loads(text)
    for entry in data["institutions"]:
        value = (entry["name"], entry.get("type"))
        table[institution_key(entry["name"])] = value
        for alias in entry.get("aliases", ()):
            table.setdefault(institution_key(alias), value)
    for company in data.get("companies", ()):
        table.setdefault(institution_key(company), (company, "company"))
    return table


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


@cache
def canonical_institution(name: str) -> Institution:
    """Canonical name, slug, type and sector of an institution name as posted."""
    cleaned = clean_name(name)
    recruiter = bool(_RECRUITER.search(name))
    key = institution_key(cleaned)
    hit = _aliases().get(key) or _aliases().get(institution_key(_PARENS.sub("", cleaned)))
    if hit:
        canonical, kind = hit
    else:
        canonical, kind = cleaned, None
    kind = kind or ("company" if recruiter else institution_type(canonical))
    return Institution(
        name=canonical,
        slug=slugify(institution_key(canonical)),
        type=kind,
        sector=SECTOR_OF_TYPE.get(kind) if kind else None,
    )
