"""One record per real vacancy: find the stored posting a new normalized record duplicates.

Pure functions over normalized records (dicts from board.normalize.normalize_record, stored
ones with an `id`), no database. The store indexes `dedupe_key(record)` to fetch candidates,
calls `find_duplicate(candidate, candidates)`, and keeps the returned `Match.reason` with the
merge so the editor can see why two postings were joined and split them again.

Matching, strongest evidence first:
1. the same platform requisition id at the same institution (different ids: never the same);
2. the same posting URL;
3. the same institution, a near-identical normalized title, compatible locations and, where
   both have one, a similar description (rapidfuzz), posted within `MAX_REPOST_DAYS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from board.normalize.gazetteer import fold
from board.normalize.roles import normalize_title

MATCH_THRESHOLD = 0.85
TITLE_THRESHOLD = 0.85
MAX_REPOST_DAYS = 120
DESCRIPTION_CHARS = 2_000

_TITLE_NOISE = re.compile(
    r"\((?:[^)]*\b(?:remote|hybrid|req|job|ref|id|position|contract|full|part)\b[^)]*)\)|"
    r"\b(?:req(?:uisition)?|job|ref)\s*(?:id|no|number)?\s*[:#]?\s*[a-z]{0,4}-?\d{3,}\b|"
    r"\b(?:remote|hybrid|on-?site|full[- ]time|part[- ]time)\b",
    re.I,
)
_STOP_WORDS = frozenset({"the", "of", "and", "for", "a", "an", "in", "at", "to", "with"})


@dataclass(frozen=True)
class Match:
    """The stored record a candidate duplicates, how sure (0..1) and why."""

    id: Any
    score: float
    reason: str


#: Titles whose key is remembered: a stored record's key is asked for three times (the
#: batch's lookups, the duplicate check, the posting's dedupe_key) and a candidate's on
#: every comparison; the key is a function of the title alone.
TITLE_KEYS_KEPT = 4096


@lru_cache(maxsize=TITLE_KEYS_KEPT)
def title_key(title: str | None) -> str:
    """Normalized title for matching: abbreviations spelled out, ids and work-mode words gone."""
    if not title:
        return ""
    text = _TITLE_NOISE.sub(" ", title)
    words = [w for w in fold(normalize_title(text)).split() if w not in _STOP_WORDS]
    return " ".join(words)


def dedupe_key(record: Mapping[str, Any]) -> str:
    """Cheap index key: institution slug and the title's words, sorted, so "Manager, Research
    Computing" and "Research Computing Manager" share one ("mcmaster-university|computing
    manager research")."""
    slug = record.get("institution_slug") or "unknown"
    words = sorted(set(title_key(record.get("title")).split()))
    return f"{slug}|{' '.join(words)}"


def find_duplicate(
    candidate: Mapping[str, Any],
    existing: Iterable[Mapping[str, Any]],
    *,
    threshold: float = MATCH_THRESHOLD,
) -> Match | None:
    """The existing record that is the same vacancy as candidate, or None."""
    best: Match | None = None
    for record in existing:
        if candidate.get("id") is not None and record.get("id") == candidate.get("id"):
            continue
        match = compare(candidate, record)
        if match and match.score >= threshold and (best is None or match.score > best.score):
            best = match
    return best


def compare(candidate: Mapping[str, Any], record: Mapping[str, Any]) -> Match | None:
    """How likely two normalized records are the same vacancy, with the reason; None if not."""
    record_id = record.get("id")
    same_institution = _same_institution(candidate, record)
    req_a, req_b = _req(candidate), _req(record)
    if req_a and req_b and same_institution is not False:
        if req_a == req_b:
            return Match(record_id, 1.0, f"same requisition id {req_a}")
        if _same_platform(candidate, record):
            return None  # two requisitions on one platform are two vacancies, however alike
    url_a, url_b = _url(candidate.get("url")), _url(record.get("url"))
    if url_a and url_a == url_b:
        return Match(record_id, 1.0, f"same posting URL {url_a}")
    if same_institution is False:
        return None
    title_a, title_b = title_key(candidate.get("title")), title_key(record.get("title"))
    if not title_a or not title_b:
        return None
    title_score = fuzz.token_sort_ratio(title_a, title_b) / 100
    if title_score < TITLE_THRESHOLD:
        return None
    place_score, place_reason = _places(candidate.get("locations"), record.get("locations"))
    if place_score == 0.0:
        return None
    gap = _days_apart(candidate.get("posted_on"), record.get("posted_on"))
    if gap is not None and gap > MAX_REPOST_DAYS:
        return None
    text_a, text_b = _text(candidate), _text(record)
    parts = [f"title {title_score:.2f}", place_reason]
    if text_a and text_b:
        text_score = fuzz.ratio(text_a, text_b) / 100
        score = 0.45 * title_score + 0.2 * place_score + 0.35 * text_score
        parts.append(f"description {text_score:.2f}")
    else:
        score = 0.7 * title_score + 0.3 * place_score
        parts.append("no description to compare")
    if same_institution is None:
        score -= 0.1
        parts.append("institution unknown on one side")
    else:
        parts.insert(0, f"same institution {candidate.get('institution_slug')}")
    return Match(record_id, round(max(0.0, min(1.0, score)), 3), "; ".join(parts))


def merged_sources(kept: Mapping[str, Any], duplicate: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Source links of both records (kept first, no repeats), for the merged posting page."""
    links: list[dict[str, Any]] = []
    for record in (kept, duplicate):
        for link in record.get("sources") or [_source_link(record)]:
            if link not in links and any(link.values()):
                links.append(link)
    return links


def _source_link(record: Mapping[str, Any]) -> dict[str, Any]:
    return {key: record.get(key) for key in ("source", "source_id", "url")}


def _same_institution(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool | None:
    slug_a, slug_b = a.get("institution_slug"), b.get("institution_slug")
    if not slug_a or not slug_b:
        return None
    return bool(slug_a == slug_b)


def _same_platform(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two records' ids come from one numbering (same source or same URL host)."""
    if a.get("source") and a.get("source") == b.get("source"):
        return True
    host_a, host_b = _host(a.get("url")), _host(b.get("url"))
    return bool(host_a and host_a == host_b)


def _host(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return urlsplit(value.strip()).netloc.lower().removeprefix("www.") or None


def _req(record: Mapping[str, Any]) -> str | None:
    value = record.get("requisition_id")
    return str(value).strip().upper() or None if value else None


def _url(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    parts = urlsplit(value.strip())
    host = parts.netloc.lower().removeprefix("www.")
    return f"{host}{parts.path.rstrip('/')}".lower() or None


def _places(a: Any, b: Any) -> tuple[float, str]:
    """1.0 when a city is shared, 0.7 when only countries agree, 0.0 when they differ."""
    locs_a, locs_b = list(a or []), list(b or [])
    if not locs_a or not locs_b:
        return 0.7, "location unknown on one side"
    cities_a = {(fold(x.get("city") or ""), x.get("country")) for x in locs_a if x.get("city")}
    cities_b = {(fold(x.get("city") or ""), x.get("country")) for x in locs_b if x.get("city")}
    if cities_a & cities_b:
        return 1.0, "same city"
    countries_a = {x.get("country") for x in locs_a if x.get("country")}
    countries_b = {x.get("country") for x in locs_b if x.get("country")}
    if countries_a and countries_b and not countries_a & countries_b:
        return 0.0, "different countries"
    if cities_a and cities_b:
        return 0.0, "different cities"
    return 0.7, "same country"


def _days_apart(a: Any, b: Any) -> int | None:
    try:
        return abs((date.fromisoformat(str(a)) - date.fromisoformat(str(b))).days)
    except (TypeError, ValueError):
        return None


def _text(record: Mapping[str, Any]) -> str:
    text = record.get("description_text") or record.get("summary") or ""
    return " ".join(str(text).split())[:DESCRIPTION_CHARS].casefold()
