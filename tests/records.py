"""Normalized and raw records for storage tests, and storing one without the normalizer."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from board import postings
from board.postings import UpsertResult
from board.record import NormalizedRecord


def record(title: str = "Director of Research Computing", **extra: object) -> dict:
    """A normalized record as the normalizer produces it (its dict form)."""
    base = {
        "title": title,
        "institution": "McMaster University",
        "institution_slug": "mcmaster-university",
        "institution_type": "university",
        "sector": "academia",
        "locations": [{"city": "Hamilton", "region": "ON", "country": "CA"}],
        "remote": "onsite",
        "location_display": "Hamilton ON CA",
        "role": "director",
        "technical": ["hpc"],
        "relevant": True,
        "score": 0.9,
        "reasons": ["title names a director of research computing"],
        "salary": {"min": 120000, "max": 150000, "currency": "CAD", "period": "year"},
        "posted_on": "2026-03-01",
        "closes_on": "2026-12-31",
        "employment_type": "full_time",
        "summary": "Lead the research computing team.",
        "description_html": "<p>Lead the research computing team.</p>",
        "description_text": "Lead the research computing team.",
        "url": "https://careers.example.edu/jobs/1",
    }
    base.update(extra)
    return base


def raw(title: str = "Director of Research Computing", **extra: object) -> dict:
    """The raw record beside it."""
    return {
        "title": title,
        "institution": "McMaster University",
        "location": "Hamilton ON CA",
        "description": "<p>Lead the research computing team.</p>",
        **extra,
    }


def upsert(
    session: Session,
    normalized: Mapping[str, Any],
    raw_fields: Mapping[str, Any],
    source_id: str,
    source_key: str,
    now: datetime | None = None,
) -> UpsertResult:
    """Store a ready normalized record (dict form) as a crawl would, skipping the normalizer."""
    typed = NormalizedRecord.from_dict(normalized)
    return postings.upsert_posting(session, typed, raw_fields, source_id, source_key, now=now)
