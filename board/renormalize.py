"""Normalize stored postings again (`rcjobs normalize --stored`), after the normalizer improved.

Each posting's primary source record is normalized outside any transaction (relative dates read
as of the day the record was first seen), then stored a batch per transaction: a posting whose
normalized fields or institution changed gets a change-log entry, so the index follows. Moving a
posting off a sub-unit institution ("MIT ORCD") onto its parent folds the emptied institution
into the parent, keeping its slug as a permanent redirect (board.institutions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from board import changelog, institutions, postings
from board.clock import utcnow
from board.db import with_retry
from board.models import CHANGE_UPDATE, Institution, InstitutionAlias, Posting, PostingSource
from board.record import NormalizedRecord
from board.services import Board

BATCH = 100


@dataclass
class Renormalized:
    """What a pass over the stored postings did."""

    seen: int = 0
    changed: int = 0
    failed: int = 0
    folded: int = 0


def renormalize_stored(
    board: Board, *, batch: int = BATCH, report: Callable[[str], None] | None = None
) -> Renormalized:
    """Normalize every stored posting again from its primary source record; what changed."""
    from board.normalize import normalize

    counts = Renormalized()
    with board.read_session() as session:
        aliases_before = _aliases(session)
    last = 0
    while True:
        with board.read_session() as session:
            rows = _primary_raws(session, last, batch)
        if not rows:
            break
        last = rows[-1][0]
        records: dict[int, NormalizedRecord] = {}
        for posting_id, raw, first_seen in rows:
            counts.seen += 1
            try:
                records[posting_id] = normalize(raw, today=first_seen.date())
            except Exception as exc:  # noqa: BLE001 - one record never stops the pass
                counts.failed += 1
                if report:
                    report(f"posting {posting_id}: could not normalize: {exc}")

        def work(session: Session, records: dict[int, NormalizedRecord] = records) -> int:
            return _store(session, records)

        counts.changed += with_retry(board.sessions, work)
    with board.read_session() as session:
        counts.folded = _aliases(session) - aliases_before
    return counts


def _aliases(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(InstitutionAlias)) or 0


def _primary_raws(
    session: Session, after: int, limit: int
) -> list[tuple[int, dict[str, Any], Any]]:
    """(posting id, raw record, first seen) of each posting's first link, after an id."""
    first_link = (
        select(PostingSource.posting_id, func.min(PostingSource.id).label("link_id"))
        .where(PostingSource.posting_id > after)
        .group_by(PostingSource.posting_id)
        .order_by(PostingSource.posting_id)
        .limit(limit)
        .subquery()
    )
    found = session.execute(
        select(PostingSource.posting_id, PostingSource.raw, PostingSource.first_seen)
        .join(first_link, first_link.c.link_id == PostingSource.id)
        .order_by(PostingSource.posting_id)
    ).all()
    return [(pid, dict(raw or {}), seen) for pid, raw, seen in found]


def _store(session: Session, records: dict[int, NormalizedRecord]) -> int:
    """Apply the new records; how many postings changed."""
    rows = session.scalars(
        select(Posting)
        .where(Posting.id.in_(list(records)))
        .options(selectinload(Posting.institution).selectinload(Institution.parent))
    ).all()
    changed = 0
    now = utcnow()
    for posting in rows:
        record = records[posting.id]
        before = (dict(posting.normalized or {}), _slugs(posting))
        postings.apply_record(posting, record)
        institutions.reassign(session, posting, record)
        session.flush()
        if (dict(posting.normalized or {}), _slugs(posting)) != before:
            posting.updated_at = now
            changelog.mark(session, posting, CHANGE_UPDATE)
            changed += 1
    return changed


def _slugs(posting: Posting) -> list[str]:
    """What the index files a posting under: its institution and the ones above it."""
    return posting.institution.facet_slugs if posting.institution is not None else []


def run_cli(board: Board, say: Callable[[str], None], warn: Callable[[str], None]) -> int:
    """`rcjobs normalize --stored`: the pass, then the index; its exit status."""
    from board import indexing
    from board.db import StorageUnavailable

    try:
        counts = renormalize_stored(board, report=warn)
        done = indexing.catch_up_quietly(board)
    except StorageUnavailable as exc:
        warn(f"rcjobs: {exc}")
        return 2
    finally:
        board.engine.dispose()
    indexed = "index not updated (run `rcjobs index`)" if done is None else "index up to date"
    say(
        f"normalized {counts.seen} stored posting(s) again: {counts.changed} changed, "
        f"{counts.failed} failed, {counts.folded} institution(s) folded into another; {indexed}"
    )
    return 1 if counts.failed else 0
