"""What storing a batch looks up, fetched once per batch instead of once per record.

`BatchLookups.load(session, wanted)` reads, in a few queries at the start of a batch's
transaction, the source links of the batch's (source, key) pairs (with their postings), the
postings that share a dedupe key or requisition id with any record of the batch (the duplicate
candidates), and the institutions the records name. While the batch is stored it is attached
to the session (`attach`), and board.postings / board.institutions answer from it instead of
querying: a link, posting or institution made earlier in the same batch is found exactly as a
query after a flush would have found it, because candidates are matched on the objects'
current attribute values. Nothing here writes.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from board.models import Institution, Posting, PostingSource
from board.new_postings import NewRows

#: Duplicate candidates a record is compared with (the per-record query's LIMIT).
CANDIDATES = 50
_KEY = "rcjobs.batch_lookups"
_CHUNK = 500


@dataclass(frozen=True)
class Wanted:
    """What one record of a batch will look up."""

    source_id: str
    source_key: str
    dedupe_key: str | None
    requisition_id: str | None
    slugs: tuple[str, ...] = ()


@dataclass
class BatchLookups:
    """Links, duplicate candidates and institutions of one batch (see the module doc)."""

    links: dict[tuple[str, str], Any] = field(default_factory=dict)  # PostingSource, NewLink
    institutions: dict[str, Institution | None] = field(default_factory=dict)
    #: Every posting a candidate may be: the prefetched ones and those the batch made or changed.
    postings: dict[int, Any] = field(default_factory=dict)
    _order: dict[int, tuple[int, int]] = field(default_factory=dict)
    _keys: set[str] = field(default_factory=set)
    _reqs: set[str] = field(default_factory=set)
    _seq: itertools.count[int] = field(default_factory=itertools.count)
    #: When set, the batch's new postings are made as rows for Core INSERTs (board.new_postings).
    rows: NewRows | None = None

    @classmethod
    def load(cls, session: Session, wanted: Iterable[Wanted]) -> BatchLookups:
        """Fetch what the batch's records will look up."""
        wanted = list(wanted)
        found = cls()
        by_source: dict[str, list[str]] = {}
        for w in wanted:
            by_source.setdefault(w.source_id, []).append(w.source_key)
            found.links[(w.source_id, w.source_key)] = None
        for source_id, keys in by_source.items():
            for chunk in _chunks(list(dict.fromkeys(keys))):
                rows = session.scalars(
                    select(PostingSource)
                    .where(
                        PostingSource.source_id == source_id, PostingSource.source_key.in_(chunk)
                    )
                    .options(selectinload(PostingSource.posting).selectinload(Posting.links))
                )
                for link in rows:
                    found.links[(link.source_id, link.source_key)] = link
        found._load_candidates(session, wanted)
        slugs = list(dict.fromkeys(s for w in wanted for s in w.slugs if s))
        for slug in slugs:
            found.institutions[slug] = None
        for chunk in _chunks(slugs):
            for row in session.scalars(select(Institution).where(Institution.slug.in_(chunk))):
                found.institutions[row.slug] = row
        return found

    def _load_candidates(self, session: Session, wanted: list[Wanted]) -> None:
        """The postings sharing a dedupe key or requisition id with a record (ids first, then
        at most CANDIDATES rows per record, lowest ids first)."""
        keys = list(dict.fromkeys(w.dedupe_key for w in wanted if w.dedupe_key))
        reqs = list(dict.fromkeys(w.requisition_id for w in wanted if w.requisition_id))
        self._keys.update(keys)
        self._reqs.update(reqs)
        by_key: dict[str, list[int]] = {}
        by_req: dict[str, list[int]] = {}
        for column, values, into in (
            (Posting.dedupe_key, keys, by_key),
            (Posting.requisition_id, reqs, by_req),
        ):
            for chunk in _chunks(values):
                pairs = session.execute(select(Posting.id, column).where(column.in_(chunk)))
                for ident, value in pairs:
                    into.setdefault(value or "", []).append(int(ident))
        chosen: set[int] = set()
        for w in wanted:
            ids = set(by_key.get(w.dedupe_key or "", ())) | set(
                by_req.get(w.requisition_id or "", ())
            )
            chosen.update(sorted(ids)[:CANDIDATES])
        for chunk in _chunks(sorted(chosen)):
            rows = session.scalars(
                select(Posting).where(Posting.id.in_(chunk)).options(selectinload(Posting.links))
            )
            for posting in rows:
                self.remember(posting)

    def remember(self, posting: Any) -> None:
        """A posting the batch made or changed: a candidate for the records after it."""
        ident = id(posting)
        if ident not in self.postings:
            self.postings[ident] = posting
            # stored ones in id order, then new ones in the order made (their ids to come)
            self._order[ident] = (0, posting.id) if posting.id is not None else (1, next(self._seq))

    def candidates(self, dedupe_key: str | None, requisition_id: str | None) -> list[Any] | None:
        """What `SELECT ... WHERE dedupe_key = ? OR requisition_id = ? LIMIT 50` would find;
        None for a key or id the batch did not fetch (the caller queries)."""
        if not dedupe_key and not requisition_id:
            return []
        if (dedupe_key and dedupe_key not in self._keys) or (
            requisition_id and requisition_id not in self._reqs
        ):
            return None
        found = [
            p
            for p in self.postings.values()
            if (dedupe_key and p.dedupe_key == dedupe_key)
            or (requisition_id and p.requisition_id == requisition_id)
        ]
        found.sort(key=lambda p: self._order[id(p)])
        return found[:CANDIDATES]

    def link(self, source_id: str, source_key: str) -> tuple[bool, Any]:
        """(known, link): known is False for a pair the batch did not fetch."""
        pair = (source_id, source_key)
        return (pair in self.links, self.links.get(pair))

    def add_link(self, link: Any) -> None:
        """A link the batch made."""
        self.links[(link.source_id, link.source_key)] = link

    def institution(self, slug: str) -> tuple[bool, Institution | None]:
        """(known, row): known is False for a slug the batch did not fetch."""
        return (slug in self.institutions, self.institutions.get(slug))

    def add_institution(self, row: Institution) -> None:
        """An institution the batch made."""
        self.institutions[row.slug] = row

    def attach(self, session: Session) -> None:
        """Answer the session's lookups from here until `detach`."""
        session.info[_KEY] = self

    @staticmethod
    def detach(session: Session) -> None:
        """Query again."""
        session.info.pop(_KEY, None)


def current(session: Session) -> BatchLookups | None:
    """The lookups attached to the session, if a batch is being stored."""
    found = session.info.get(_KEY)
    return found if isinstance(found, BatchLookups) else None


def _chunks(values: list[str] | list[int]) -> Iterable[list[str] | list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
