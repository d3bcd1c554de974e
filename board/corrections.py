"""Editor actions on postings: hide, relevance, corrections kept across re-crawls, splits.

Each action checks and audits what the editor asked, and writes the posting through
board.ingest in the request's session (so the change log entry commits with it); the views
commit, then bring the index up with board.indexing.catch_up_quietly.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from board import audit
from board.models import Posting

log = logging.getLogger(__name__)

#: Normalized fields the editor may correct, with their maximum length.
CORRECTABLE = {
    "title": 500,
    "institution": 300,
    "location_display": 300,
    "role": 40,
    "closes_on": 10,
    "summary": 2000,
}


class EditorError(ValueError):
    """An editor action cannot be done as asked."""


def set_hidden(session: Session, posting: Posting, hidden: bool, editor: object) -> None:
    """Hide a posting from the public (or show it again)."""
    from board import ingest  # late: the ingest path is not needed to start the site

    ingest.hide(session, posting, hidden)
    action = "hide posting" if hidden else "unhide posting"
    audit.record(session, editor, action, f"posting {posting.public_id}", posting.title)


def set_relevant(session: Session, posting: Posting, relevant: bool, editor: object) -> None:
    """Mark a posting (not) relevant; kept across re-crawls as an override."""
    correct(session, posting, {"relevant": relevant}, editor, action="set relevance")


def correct(
    session: Session,
    posting: Posting,
    changes: Mapping[str, Any],
    editor: object,
    action: str = "correct posting",
) -> list[str]:
    """Record corrections as overrides and apply them; the names of changed fields."""
    overrides = dict(posting.overrides or {})
    changes = dict(changes)
    if "location_display" in changes:
        typed = changes["location_display"]
        shown = overrides.get("location_display", posting.location_display)
        if _blank(typed) != _blank(shown):
            changes.update(parsed_location(typed))
    changed = []
    for name, value in changes.items():
        if isinstance(value, date):
            value = value.isoformat()
        current = overrides.get(name, _current(posting, name))
        if _blank(value) != _blank(current):
            overrides[name] = value
            changed.append(name)
    if not changed:
        return []
    from board import ingest  # late: the ingest path is not needed to start the site

    ingest.correct(session, posting, overrides)
    detail = "; ".join(f"{name}={overrides[name]!r}" for name in changed)
    audit.record(session, editor, action, f"posting {posting.public_id}", detail[:2000])
    return changed


def parsed_location(text: str | None) -> dict[str, Any]:
    """A corrected location read by the normalizer: what filters, the index and pages use."""
    from board.normalize.location import location_display, parse_location

    parsed = parse_location(text or None)
    display = location_display(parsed.locations, parsed.remote)
    return {
        "locations": parsed.locations,
        "remote": parsed.remote,
        # The normalizer's own form when it read a place; else the editor's words as typed.
        "location_display": display or text or None,
    }


def _blank(value: Any) -> Any:
    """None for empty values, so "" and None compare equal."""
    return None if value in ("", None) else value


def _current(posting: Posting, name: str) -> Any:
    if name == "institution":
        return posting.institution_name
    value = getattr(posting, name, None)
    return value.isoformat() if isinstance(value, date) else value


def split_link(session: Session, posting: Posting, link_id: int, editor: object) -> Posting:
    """Move one source link of a wrongly merged posting to a new posting of its own."""
    link = next((item for item in posting.links if item.id == link_id), None)
    if link is None:
        raise EditorError("That source link does not belong to this posting.")
    if len(posting.links) < 2:
        raise EditorError("A posting seen on one source only cannot be split.")
    link.merge_reason = f"split from {posting.public_id} by an editor"
    from board import ingest  # late: the ingest path is not needed to start the site

    moved = ingest.split(session, posting, link)
    detail = f"link {link.source_id}/{link.source_key} -> posting {moved.public_id}"
    audit.record(session, editor, "split merge", f"posting {posting.public_id}", detail)
    return moved
