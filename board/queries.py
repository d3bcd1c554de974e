"""Named reads of postings: one posting, what the public may see, counts, batches for the index."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, defer, selectinload

from board.models import Posting


def get_posting(session: Session, public_id: str) -> Posting | None:
    """A posting by its permanent public id."""
    return session.scalar(
        select(Posting)
        .where(Posting.public_id == public_id)
        .options(selectinload(Posting.links), selectinload(Posting.institution))
    )


def visible(statement: Select[Any]) -> Select[Any]:
    """Restrict a posting query to what the public may see (not hidden)."""
    return statement.where(Posting.hidden.is_(False))


def count_postings(session: Session) -> int:
    """How many postings are stored."""
    return session.scalar(select(func.count(Posting.id))) or 0


#: Posting columns a search document does not read (search_index.documents): the stored
#: normalizer output (about 5 kB of JSON a posting), the HTML description and the reasons. Left
#: out of the index's reads (loaded on access, should anything read them).
NOT_IN_DOCUMENTS = (Posting.normalized, Posting.description_html, Posting.reasons)


def postings_by_id(session: Session, ids: Iterable[int]) -> Sequence[Posting]:
    """Postings by their row ids, with their institutions, to project search documents (the
    columns a document does not read are deferred: NOT_IN_DOCUMENTS)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    return session.scalars(
        select(Posting)
        .where(Posting.id.in_(wanted))
        .options(selectinload(Posting.institution), *(defer(c) for c in NOT_IN_DOCUMENTS))
    ).all()


def iter_postings(session: Session, batch: int = 1000) -> Iterator[Posting]:
    """Every posting in id order, a batch at a time (expunged after each batch)."""
    last = 0
    while True:
        rows = session.scalars(
            select(Posting)
            .where(Posting.id > last)
            .order_by(Posting.id)
            .limit(batch)
            .options(selectinload(Posting.institution))
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id
        session.expunge_all()


def iter_versions(session: Session, batch: int = 5000) -> Iterator[tuple[str, int, bool]]:
    """(public id, version, hidden) of every posting, in id order."""
    last = 0
    while True:
        rows = session.execute(
            select(Posting.id, Posting.public_id, Posting.version, Posting.hidden)
            .where(Posting.id > last)
            .order_by(Posting.id)
            .limit(batch)
        ).all()
        if not rows:
            return
        for _, public_id, version, hidden in rows:
            yield public_id, int(version or 0), bool(hidden)
        last = rows[-1][0]
