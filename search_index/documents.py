"""The search document of a posting: the projection the index is built from (its contract).

Typed against a Protocol rather than board's model, so search_index never imports board: any
object with these attributes (board.models.Posting is one) projects to a document. Values
derived for display and filtering (the card summary, the yearly salary in US dollars, the
spelled-out location) are the posting's own properties: board computes them, the index stores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol


class InstitutionLike(Protocol):
    """What a document needs of an institution."""

    @property
    def slug(self) -> str: ...
    @property
    def type(self) -> str | None: ...
    @property
    def sector(self) -> str | None: ...
    @property
    def facet_slugs(self) -> Sequence[str]:
        """Its slug and those of the institutions above it (a centre counts under its parent)."""


class PostingLike(Protocol):
    """What a document needs of a posting."""

    @property
    def public_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def institution_name(self) -> str: ...
    @property
    def institution(self) -> InstitutionLike | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def description_text(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def card_summary(self) -> str:
        """The summary a result card shows (the description's list kept as lines)."""

    @property
    def salary(self) -> Mapping[str, Any] | None: ...
    @property
    def salary_stated(self) -> bool: ...
    @property
    def salary_usd_year(self) -> int | None:
        """The top of the salary range, a year, in whole US dollars (None when unknown)."""

    @property
    def location_label(self) -> str:
        """Every place spelled out ("Hamilton, ON, Canada")."""

    @property
    def location_display(self) -> str | None: ...
    @property
    def locations(self) -> Sequence[Any]: ...
    @property
    def role(self) -> str: ...
    @property
    def technical(self) -> Sequence[Any]: ...
    @property
    def remote(self) -> str | None: ...
    @property
    def status(self) -> str: ...
    @property
    def relevant(self) -> bool: ...
    @property
    def hidden(self) -> bool: ...
    @property
    def score(self) -> float: ...
    @property
    def posted_on(self) -> date | None: ...
    @property
    def closes_on(self) -> date | None: ...
    @property
    def first_seen(self) -> datetime: ...
    @property
    def updated_at(self) -> datetime: ...


def posting_document(posting: PostingLike) -> dict[str, Any]:
    """The search document for a posting (hidden ones are documents too: the writer drops them)."""
    locations = [loc for loc in posting.locations or [] if isinstance(loc, dict)]
    countries = sorted({loc["country"] for loc in locations if loc.get("country")})
    regions = sorted(
        {
            f"{loc['country']}-{loc['region']}"
            for loc in locations
            if loc.get("country") and loc.get("region")
        }
    )
    cities = [loc["city"] for loc in locations if loc.get("city")]
    names = [
        part
        for loc in locations
        for part in (loc.get("city"), loc.get("region"), loc.get("country"))
        if part
    ]
    institution = posting.institution
    return {
        "id": posting.public_id,
        "version": int(posting.version or 0),
        "title": posting.title,
        "institution": posting.institution_name,
        "institution_slug": institution.slug if institution else "",
        "institution_slugs": list(institution.facet_slugs) if institution else [],
        "unit": posting.unit or "",
        "description": posting.description_text or "",
        "summary": posting.card_summary or "",
        "salary": dict(posting.salary) if posting.salary else None,
        "salary_stated": bool(posting.salary_stated),
        "salary_usd_year": posting.salary_usd_year,
        "location_label": posting.location_label or "",
        "location_display": posting.location_display or "",
        "location_text": " ".join([*names, posting.location_display or ""]),
        "countries": countries,
        "regions": regions,
        "cities": cities,
        "role": posting.role or "other",
        "technical": list(posting.technical or []),
        "sector": institution.sector if institution else None,
        "institution_type": institution.type if institution else None,
        "remote": posting.remote,
        "status": "closed" if posting.status == "closed" else "open",
        "relevant": bool(posting.relevant) and not posting.hidden,
        "hidden": bool(posting.hidden),
        "score": float(posting.score or 0.0),
        "posted_on": posting.posted_on or posting.first_seen.date(),
        "closes_on": posting.closes_on,
        "updated_at": posting.updated_at,
    }
