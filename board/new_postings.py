"""The postings a stored batch makes, written as two multi-row Core INSERTs (two COPYs on
PostgreSQL, board.copy_rows), not ORM objects.

Storing a batch (board.ingest) with `NewRows` attached to its lookups (board.lookups), a
record that is new (no link for its source key, no duplicate) becomes a `NewPosting` and a
`NewLink`: plain objects with the same attribute values the ORM's `Posting` and
`PostingSource` would get (board.postings fills them the same way), inserted after the batch's
flush in record order, so ids, columns and column defaults come out as the ORM would write
them. The change log (board.changelog) writes their rows and versions like any posting's.

Anything else the batch might do with a posting it made itself (a later record of the batch
with the same source key, or a duplicate of it), and every merge, is left to the ORM: `upsert_at`
raises `Fallback` and the batch is stored again the ORM way, in a new transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from board import copy_rows
from board.models import OPEN, Posting, PostingSource

_POSTINGS = cast(Table, Posting.__table__)
_LINKS = cast(Table, PostingSource.__table__)


class Fallback(Exception):  # noqa: N818 - a signal, not an error
    """The batch touches a posting it made, or merges: store it with ORM objects instead."""


class NewPosting:
    """A posting made by this batch, before its INSERT: the columns as attributes."""

    def __init__(self, public_id: str, now: datetime) -> None:
        self.id: int | None = None
        self.public_id = public_id
        self.first_seen = self.last_seen = self.updated_at = now
        self.status = OPEN
        self.overrides: dict[str, Any] = {}
        self.institution: Any = None
        self.version = 0

    def row(self, columns: tuple[str, ...]) -> dict[str, Any]:
        """The INSERT's values: the columns board.postings set, and the institution's id."""
        values = {name: getattr(self, name) for name in columns}
        values["institution_id"] = self.institution.id if self.institution is not None else None
        return values


@dataclass
class NewLink:
    """The source link of a NewPosting (PostingSource's columns)."""

    posting: NewPosting
    source_id: str
    source_key: str
    url: str | None
    raw: dict[str, Any]
    content_hash: str
    first_seen: datetime
    last_seen: datetime
    merge_reason: str | None = None
    status: str = OPEN
    missing_runs: int = 0

    def row(self) -> dict[str, Any]:
        """The INSERT's values (the posting's id known by then)."""
        return {
            "posting_id": self.posting.id,
            "source_id": self.source_id,
            "source_key": self.source_key,
            "url": self.url,
            "raw": self.raw,
            "content_hash": self.content_hash,
            "merge_reason": self.merge_reason,
            "status": self.status,
            "missing_runs": self.missing_runs,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
        }


#: Normalized fields copied onto the posting row (editor overrides win over these).
POSTING_FIELDS = (
    "title",
    "locations",
    "location_display",
    "remote",
    "role",
    "technical",
    "relevant",
    "score",
    "reasons",
    "salary",
    "posted_on",
    "closes_on",
    "review_begins_on",
    "employment_type",
    "summary",
    "description_html",
    "description_text",
    "url",
    "requisition_id",
    "unit",
    "unit_slug",
)

#: Posting columns a new posting's INSERT names (board.postings sets each of them); the others
#: (overrides, hidden, closed_at, version) take their column defaults, as in an ORM flush.
POSTING_COLUMNS = (
    "public_id",
    "first_seen",
    "last_seen",
    "updated_at",
    "status",
    "normalized",
    *POSTING_FIELDS,
    "institution_name",
    "dedupe_key",
)


@dataclass
class NewRows:
    """The NewPostings and NewLinks of one batch, in the order made."""

    postings: list[NewPosting] = field(default_factory=list)
    links: list[NewLink] = field(default_factory=list)

    def add(self, posting: NewPosting, link: NewLink) -> None:
        """A new posting and its link."""
        self.postings.append(posting)
        self.links.append(link)

    def insert(self, session: Session) -> None:
        """INSERT the postings (their ids back, in order), then their links (after the batch's
        flush: the institutions they name have ids)."""
        if not self.postings:
            return
        rows = [posting.row(POSTING_COLUMNS) for posting in self.postings]
        copying = copy_rows.available(session)  # PostgreSQL: ids drawn first, then two COPYs
        ids: Sequence[int]
        if copying:
            ids = copy_rows.next_ids(session, _POSTINGS, len(rows))
            for row, ident in zip(rows, ids, strict=True):
                row["id"] = ident
            copy_rows.copy(session, _POSTINGS, rows)
        else:
            statement = insert(_POSTINGS).returning(_POSTINGS.c.id, sort_by_parameter_order=True)
            ids = session.execute(statement, rows).scalars().all()
        for posting, ident in zip(self.postings, ids, strict=True):
            posting.id = int(ident)
        links = [link.row() for link in self.links]
        if copying:
            copy_rows.copy(session, _LINKS, links)
        else:
            session.execute(insert(_LINKS), links)
