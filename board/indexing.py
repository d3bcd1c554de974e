"""Feed the search index from the change log: catch up, rebuild beside the live one, check lag.

The index records the last change id it applied (its watermark). `catch_up` reads the changes
after it, projects the changed postings to documents (search_index.documents), writes them (a
hidden posting is deleted) and moves the watermark, a batch at a time. Each step is idempotent
and the watermark only moves after the documents are written, so a crash anywhere leaves at
worst a batch to apply again. With nothing new it costs one indexed query.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from board import changelog, queries
from board.errors import DatabaseError
from board.services import Board

# search_index (numpy, whoosh) is imported where used: an import's storing process that leaves
# the index to its follower (board.index_follower) checks the follower's watermark without it.

log = logging.getLogger(__name__)
Progress = Callable[[int, int | None], None]


@dataclass
class CatchUp:
    """What one catch-up did."""

    written: int = 0
    deleted: int = 0
    watermark: int = 0
    rebuilt: bool = False
    busy: bool = False  # another thread or process was building the index: left to it


@dataclass
class IndexCheck:
    """Postings whose indexed version lags the stored one (hidden ones must be absent)."""

    postings: int
    lagging: int
    sample: list[str] = field(default_factory=list)
    watermark: int = 0
    latest: int = 0
    outdated: bool = False  # the index is of an older schema version: everything lags

    @property
    def ok(self) -> bool:
        """Whether every stored posting is indexed at its current version."""
        return self.lagging == 0


#: Changes a catch-up applies at a time (one segment commit each).
BATCH = 500
#: The batch of a writer that catches up behind a long import (the index follower, the
#: import's last catch-up): a commit of 5,000 documents costs about 0.7× the CPU of ten of
#: 500 (fewer small segments merged again, per-term work shared); the changes it holds in
#: memory are a few tens of MB.
FOLLOW_BATCH = 5000


def catch_up(board: Board, batch: int = BATCH) -> CatchUp:
    """Apply every change after the index's watermark (building the index when missing)."""
    from search_index import IndexLocked
    from search_index.documents import posting_document

    index = board.index
    if not index.exists():
        try:
            count = rebuild(board)
        except IndexLocked:  # another thread or process is building it, and catches up after
            return CatchUp(busy=True)
        return CatchUp(written=count, watermark=index.watermark(), rebuilt=True)
    done = CatchUp(watermark=index.watermark())
    while True:
        start = index.watermark()
        with board.read_session() as session:
            latest = changelog.latest_change(session)  # the one query when nothing is new
            if latest == start:
                done.watermark = start
                return done
            if latest < start:  # an index made from another database (recreated, restored)
                log.warning("index is ahead of the database (%d > %d): rebuilding", start, latest)
                count = rebuild(board)
                return CatchUp(written=count, watermark=index.watermark(), rebuilt=True)
            changes = changelog.changes_after(session, start, batch)
            if not changes:
                return done
            docs = [
                posting_document(p)
                for p in queries.postings_by_id(session, {posting for _, posting in changes})
            ]
        shown = [doc for doc in docs if not doc["hidden"]]
        gone = [doc["id"] for doc in docs if doc["hidden"]]
        if not index.apply(shown, gone, expect=start, through=changes[-1][0]):
            continue  # another process moved the watermark meanwhile: read from there
        done.written += len(shown)
        done.deleted += len(gone)
        done.watermark = changes[-1][0]
        if len(changes) < batch:
            return done


def catch_up_quietly(board: Board, batch: int = BATCH) -> CatchUp | None:
    """catch_up, logging a failure instead of raising (the database change already stands)."""
    try:
        return catch_up(board, batch)
    except (OSError, DatabaseError, SQLAlchemyError) as exc:  # a full disk, a lost database
        # A warning, not an error: the write it follows stands (a crawl counts errors in logs).
        log.warning("search index not brought up to date: %s (run `rcjobs index`)", _reason(exc))
    except Exception:  # noqa: BLE001 - the index is derived; `rcjobs index` repairs it
        log.exception("could not bring the search index up to date (run `rcjobs index`)")
    return None


def _reason(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def rebuild(board: Board, progress: Progress | None = None) -> int:
    """Build a fresh index from the database beside the live one, swap it in, catch up."""
    from search_index.documents import posting_document

    with board.read_session() as session:
        # Read in one transaction: on SQLite its snapshot is exactly the watermark's state;
        # elsewhere what changes meanwhile has a later id, applied by the catch-up below.
        watermark = changelog.latest_change(session)
        total = queries.count_postings(session)
        docs = (posting_document(p) for p in queries.iter_postings(session))
        board.index.rebuild(docs, total=total, progress=progress, watermark=watermark)
    catch_up(board)
    return total


def check(board: Board, sample: int = 10) -> IndexCheck:
    """Compare every stored posting's version with the indexed one."""
    indexed = board.index.versions() if board.index.exists() else {}
    postings = lagging = 0
    ids: list[str] = []
    with board.read_session() as session:
        latest = changelog.latest_change(session)
        for public_id, version, hidden in queries.iter_versions(session):
            postings += 1
            seen = indexed.get(public_id)
            behind = seen is not None if hidden else seen is None or seen < version
            if behind:
                lagging += 1
                if len(ids) < sample:
                    ids.append(public_id)
    return IndexCheck(
        postings, lagging, ids, board.index.watermark(), latest, board.index.outdated()
    )
