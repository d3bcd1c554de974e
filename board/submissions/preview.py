"""A draft submission shaped like a Posting, so the preview renders the posting page's own
template (templates/jobs/_posting.html) and looks exactly like the page it will become."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from board.clock import today, utcnow
from board.places import location_label


@dataclass(frozen=True)
class PreviewLink:
    """Where the posting is read from: the submitted application URL."""

    url: str


@dataclass
class PreviewPosting:
    """The attributes templates/jobs/_posting.html reads from a Posting."""

    title: str
    institution_name: str
    description_html: str
    locations: list[dict[str, Any]] = field(default_factory=list)
    location_display: str | None = None
    remote: str | None = None
    role: str = "other"
    technical: list[str] = field(default_factory=list)
    salary: dict[str, Any] | None = None
    employment_type: str | None = None
    summary: str = ""
    posted_on: date | None = None
    closes_on: date | None = None
    review_begins_on: date | None = None
    links: list[PreviewLink] = field(default_factory=list)
    first_seen: datetime = field(default_factory=utcnow)
    #: A draft is shown as it will be once approved: open, listed, no institution page yet.
    is_open: bool = True
    relevant: bool = True
    institution: None = None
    closed_at: None = None
    public_id: str = ""

    @property
    def location_label(self) -> str:
        """Every place spelled out, as on the posting page."""
        return location_label(self.locations, self.remote, self.location_display)


def preview_posting(
    fields: dict[str, Any], normalized: dict[str, Any], html: str
) -> PreviewPosting:
    """The posting a draft becomes: the normalized record, with the typed text as fallback."""
    closes = fields.get("closes_on")
    return PreviewPosting(
        title=normalized.get("title") or fields.get("title") or "",
        institution_name=normalized.get("institution") or fields.get("institution") or "",
        description_html=normalized.get("description_html") or html,
        locations=[loc for loc in normalized.get("locations") or [] if isinstance(loc, dict)],
        location_display=normalized.get("location_display") or fields.get("location"),
        remote=normalized.get("remote"),
        role=normalized.get("role") or "other",
        technical=list(normalized.get("technical") or []),
        salary=normalized.get("salary"),
        employment_type=normalized.get("employment_type"),
        summary=normalized.get("summary") or "",
        posted_on=today(),
        closes_on=closes if isinstance(closes, date) else None,
        links=[PreviewLink(str(fields["url"]))] if fields.get("url") else [],
    )
