"""The one way postings get into the board: crawls, imports, submissions and editor actions.

    ingest = Ingest(board)                        # one per process is enough
    outcomes = ingest.batch(records, source)      # one short transaction (retried), then index
    for outcome in ingest.stream(records, source): ...   # any number, a batch at a time
    ingest.finish()                               # bring the index up to date

Each raw record is cleaned of characters no database can hold, checked, hashed, normalized
(only when its content changed since it was last stored, and outside any transaction), then
stored with its change-log entry. A batch is one transaction (BEGIN IMMEDIATE on SQLite),
retried with backoff on lock contention, serialization failures, deadlocks or a lost
connection; each record in it has a savepoint of its own, so one bad record fails alone. A
batch that still fails is stored a record per transaction, so every record ends with an
`Outcome`: new, updated, unchanged, merged, reopened, or failed with a reason. A database
that cannot take writes at all (disk full, read-only) raises StorageUnavailable, with what was
already committed intact. After a committed batch the index catches up from the change log
(at most every `index_every` seconds), so a long import is searchable while it runs.

Crawls use `SourceRun` (run start, batches with a heartbeat, finish with the closing rules);
the editor's posting actions (`hide`, `correct`, `split`) and `store_record` (a submission's
approval) write inside the caller's session, which writes the change log at commit.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from board import changelog, crawlruns, institutions, lookups, postings, safetext
from board.clock import utcnow
from board.crawlruns import RunSummary
from board.db import StorageUnavailable, is_retryable, storage_problem, with_retry
from board.models import (
    CHANGE_CORRECT,
    CHANGE_HIDE,
    CHANGE_SPLIT,
    CHANGE_UNHIDE,
    CrawlRun,
    Posting,
    PostingSource,
    Source,
)
from board.new_postings import Fallback, NewLink, NewRows
from board.normalizing import (
    NormalizerPool,
    Pending,
    crawl_workers,
    default_workers,
    error_text,
)
from board.postings import MERGED, NEW, REOPENED, UNCHANGED, UPDATED, content_hash
from board.record import NormalizedRecord
from board.services import Board
from board.storer import FAILED, RemoteRun, Storer, StorerGone, warm_up

if TYPE_CHECKING:  # imported where used: a crawl process that stores in a child never loads
    # the search index (numpy, whoosh) at all (board/storer.py)
    from board import indexing
    from board.index_follower import IndexFollower

__all__ = [
    "FAILED",
    "Board",
    "MERGED",
    "NEW",
    "REOPENED",
    "UNCHANGED",
    "UPDATED",
    "Ingest",
    "Outcome",
    "RawRecord",
    "RemoteRun",
    "RunSummary",
    "SourceInfo",
    "SourceRun",
    "StorageUnavailable",
    "Storer",
    "StorerGone",
    "correct",
    "crawl_workers",
    "default_workers",
    "hide",
    "recover_interrupted_runs",
    "source_key",
    "split",
    "store_record",
    "warm_up",
]

log = logging.getLogger(__name__)
#: Records per transaction: short enough not to hold SQLite's write lock for long.
BATCH_SIZE = 100
#: The first batch of a stream is smaller, so its first postings are searchable sooner.
FIRST_BATCH = 10
#: A stream longer than this is stored in parallel from its start (Ingest.workers).
PARALLEL_AFTER = 200
#: Batches normalized ahead of the one being stored.
LOOKAHEAD = 2
Ref = int | str | None


@dataclass(frozen=True)
class SourceInfo:
    """Where records come from: a registry entry, an import file, the submission form."""

    id: str
    institution: str = ""
    platform: str = "import"
    url: str = ""
    config: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RawRecord:
    """One raw record (DESIGN.md's raw fields) and the caller's reference for it (a line)."""

    raw: Mapping[str, Any]
    ref: Ref = None


@dataclass(frozen=True)
class Outcome:
    """What ingesting one record did."""

    status: str  # NEW, UPDATED, UNCHANGED, MERGED, REOPENED or FAILED
    ref: Ref = None
    public_id: str | None = None
    reason: str | None = None
    #: Characters removed because no database can hold them: reason -> count (safetext).
    removed: Mapping[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """Whether the record was not stored."""
        return self.status == FAILED

    @property
    def changed(self) -> bool:
        """Whether the record changed what is stored (and so the index)."""
        return self.status not in (FAILED, UNCHANGED)


@dataclass
class _Prepared:
    ref: Ref
    raw: dict[str, Any]
    source_id: str
    key: str
    digest: str
    removed: Counter[str]
    record: NormalizedRecord | None = None
    #: record.to_dict(), made once for the lookups and the store (see `_values`).
    values: dict[str, Any] | None = None


@dataclass
class _Plan:
    """A batch prepared, its changed records normalized or queued for the workers."""

    prepared: list[_Prepared | Outcome]
    todo: list[_Prepared]
    failed: dict[int, Outcome] = field(default_factory=dict)
    changed: list[_Prepared] = field(default_factory=list)
    pending: Pending | None = None


def source_key(raw: Mapping[str, Any]) -> str:
    """The record's id at its source: its source_id, else its URL, else a hash of its heading."""
    key = raw.get("source_id") or raw.get("url")
    if key:
        return str(key)[:500]
    return content_hash({k: raw.get(k) for k in ("title", "institution", "location")})


def _prepare(item: RawRecord, source: SourceInfo) -> _Prepared | Outcome:
    """Clean, check and hash one raw record (no database, no normalizer yet)."""
    removed: Counter[str] = Counter()
    if not isinstance(item.raw, Mapping):
        return Outcome(FAILED, item.ref, reason="expected a JSON object")
    raw = safetext.clean_value(dict(item.raw), removed)
    if not str(raw.get("title") or "").strip():
        return Outcome(FAILED, item.ref, reason="missing title", removed=dict(removed))
    source_id = str(raw.get("source") or source.id)[:100]
    raw["source"] = source_id
    key = source_key(raw)
    return _Prepared(item.ref, raw, source_id, key, content_hash(raw), removed)


def _normalize(raw: Mapping[str, Any]) -> NormalizedRecord:
    from board.normalize import normalize

    return normalize(raw)


class Ingest:
    """Store raw records, a short transaction per batch, and keep the index following."""

    def __init__(
        self,
        board: Board,
        *,
        batch_size: int = BATCH_SIZE,
        index_every: float | None = 1.0,
        clock: Callable[[], float] = time.monotonic,
        workers: int = 1,
    ) -> None:
        self.board = board
        self.batch_size = max(1, batch_size)
        self.index_every = index_every
        self.clock = clock
        self.workers = workers
        self._indexed_at: float | None = None
        self._lock = threading.Lock()
        self._follower: IndexFollower | None = None
        self._pool: NormalizerPool | None = None
        #: The watermark the stopped follower's last catch-up reached (see `finish`).
        self._followed: int | None = None

    # -- records --------------------------------------------------------------------------

    def stream(
        self, records: Iterable[RawRecord], source: SourceInfo, run_id: int | None = None
    ) -> Iterator[Outcome]:
        """Ingest any number of records, a batch per transaction, yielding each outcome.

        With `workers` > 1, a stream longer than PARALLEL_AFTER records is stored from its
        first batch with the normalizer in that many worker processes (the next batches
        normalized while one is stored) and the index caught up by a child process
        (board.index_follower): the first PARALLEL_AFTER + 1 records are read before anything
        is stored, to tell. A shorter stream is stored in this process."""
        started = False
        ahead: deque[_Plan] = deque()
        if self._pool is None and self.workers > 1:
            items = iter(records)
            head = list(islice(items, PARALLEL_AFTER + 1))
            if len(head) > PARALLEL_AFTER:
                self.start_workers()
                started = True
            records = chain(head, items)
        try:
            for chunk in self._chunks(records):
                if self._pool is None:
                    yield from self.batch(chunk, source, run_id)
                    continue
                ahead.append(self._plan(chunk, source, self._pool))
                if len(ahead) > LOOKAHEAD:
                    yield from self._complete(ahead.popleft(), source, run_id)
            while ahead:
                yield from self._complete(ahead.popleft(), source, run_id)
        finally:
            if started:
                self.close()

    def start_workers(self) -> None:
        """Fork the normalizer's worker processes and the index follower now (`workers` > 1);
        batches use them until `close`. Only from a process with no other thread (a fork copies
        whatever locks other threads hold): otherwise everything stays in this process."""
        if self.workers <= 1 or self._pool is not None:
            return
        if threading.active_count() > 1:
            log.debug("other threads are running: normalizing in this process")
            return
        from board.index_follower import IndexFollower

        self._pool = NormalizerPool(self.board, self.workers)
        if self.index_every is not None:
            self._follower = IndexFollower(self.board, self.index_every)
            self._follower.start()
        self._pool.start()

    @property
    def parallel(self) -> int:
        """How many normalizer worker processes are running (0: normalizing in this one)."""
        return self._pool.workers if self._pool is not None else 0

    def close(self) -> None:
        """Stop the worker processes and the index follower (`finish` catches up last)."""
        follower, pool = self._follower, self._pool
        self._follower = self._pool = None
        if follower is not None:
            follower.stop()
            self._followed = follower.reached
        if pool is not None:
            pool.close()

    def _chunks(self, records: Iterable[RawRecord]) -> Iterator[list[RawRecord]]:
        pending: list[RawRecord] = []
        size = min(FIRST_BATCH, self.batch_size)
        for item in records:
            pending.append(item)
            if len(pending) >= size:
                yield pending
                pending, size = [], self.batch_size
        if pending:
            yield pending

    def batch(
        self, records: Sequence[RawRecord], source: SourceInfo, run_id: int | None = None
    ) -> list[Outcome]:
        """Ingest up to a batch of records in one transaction; an outcome per record, in order."""
        return self._complete(self._plan(records, source, self._pool), source, run_id)

    def _plan(
        self, records: Sequence[RawRecord], source: SourceInfo, pool: NormalizerPool | None
    ) -> _Plan:
        """Prepare a batch and normalize the records whose content differs from what is stored
        (outside a write): here, or queued for the pool's workers."""
        prepared = [_prepare(item, source) for item in records]
        todo = [p for p in prepared if isinstance(p, _Prepared)]
        plan = _Plan(prepared, todo)
        if not todo:
            return plan
        by_source: dict[str, list[str]] = {}
        for p in todo:
            by_source.setdefault(p.source_id, []).append(p.key)
        with self.board.read_session() as session:
            known = {
                source_id: postings.known_hashes(session, source_id, keys)
                for source_id, keys in by_source.items()
            }
        changed = [p for p in todo if known[p.source_id].get(p.key) != p.digest]
        if pool is not None and changed:
            plan.changed, plan.pending = changed, pool.submit([p.raw for p in changed])
            return plan
        for p in changed:
            try:
                p.record = _normalize(p.raw)
            except Exception as exc:  # noqa: BLE001 - never lose the batch to one record
                plan.failed[id(p)] = _failure(p, exc, "could not normalize")
        return plan

    def _complete(self, plan: _Plan, source: SourceInfo, run_id: int | None) -> list[Outcome]:
        """Store a planned batch (once its records are normalized); an outcome per record."""
        stored = dict(plan.failed)
        if plan.pending is not None:
            for p, (record, error) in zip(plan.changed, plan.pending.result(), strict=True):
                if record is None:
                    stored[id(p)] = _failed(p, f"could not normalize: {error}")
                p.record = record
        todo = [p for p in plan.todo if id(p) not in stored]
        if todo:
            stored.update(self._store(todo, source, run_id))
            self._after_commit(stored)
        return [p if isinstance(p, Outcome) else stored[id(p)] for p in plan.prepared]

    def _store(
        self, todo: list[_Prepared], source: SourceInfo, run_id: int | None
    ) -> dict[int, Outcome]:
        """Store a batch in one transaction; record by record when the batch cannot commit."""
        try:
            return self._commit(todo, source, run_id)
        except StorageUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - isolate the record that fails the batch
            if is_retryable(exc):  # still locked after every retry: the batch waits no longer
                return {id(p): _failure(p, exc, "not stored after retries") for p in todo}
            log.warning("a batch of %d failed (%s): storing record by record", len(todo), exc)
        outcomes: dict[int, Outcome] = {}
        for p in todo:
            try:
                outcomes.update(self._commit([p], source, run_id))
            except StorageUnavailable:
                raise
            except Exception as exc:  # noqa: BLE001 - reported by the record's reference
                outcomes[id(p)] = _failure(p, exc)
        return outcomes

    def _commit(
        self, todo: list[_Prepared], source: SourceInfo, run_id: int | None
    ) -> dict[int, Outcome]:
        """Store the batch with its lookups made once and one flush; when the database refuses
        a record, the same batch again with a savepoint per record, so that record fails alone."""

        def rows(session: Session) -> dict[int, Outcome]:
            return _store_batched(session, todo, source, run_id, rows=True)

        def batched(session: Session) -> dict[int, Outcome]:
            return _store_batched(session, todo, source, run_id)

        def one_by_one(session: Session) -> dict[int, Outcome]:
            return _store_all(session, todo, source, run_id)

        try:
            try:
                return with_retry(self.board.sessions, rows, retry_also=_conflict)
            except Fallback:  # it merges, or touches a posting it made: ORM objects instead
                return with_retry(self.board.sessions, batched, retry_also=_conflict)
        except _Refused:
            return with_retry(self.board.sessions, one_by_one, retry_also=_conflict)

    # -- the index ------------------------------------------------------------------------

    def _after_commit(self, outcomes: Mapping[int, Outcome]) -> None:
        if self.index_every is None or not any(o.changed for o in outcomes.values()):
            return
        if self._follower is not None and self._follower.running:
            return  # the child process catches up
        now = self.clock()
        with self._lock:
            due = self._indexed_at is None or now - self._indexed_at >= self.index_every
            if due:
                self._indexed_at = now
        if due:
            from board import indexing

            indexing.catch_up_quietly(self.board)

    def run(self, source: SourceInfo) -> SourceRun:
        """A run of `source` stored by this ingest (the storing child's, board.storer)."""
        return SourceRun(self, source)

    def finish(self) -> indexing.CatchUp | None:
        """Bring the index up to date with everything committed (a failure is logged). When
        the stopped follower's last catch-up reached the change log's latest id, the index is
        up to date already: one query, and this process never loads the index."""
        from board import indexing

        followed, self._followed = self._followed, None
        if followed is not None:
            try:
                with self.board.read_session() as session:
                    if changelog.latest_change(session) == followed:
                        return indexing.CatchUp(watermark=followed)
            except SQLAlchemyError:
                pass  # the catch-up below reports it
        return indexing.catch_up_quietly(self.board, indexing.FOLLOW_BATCH)


class _Refused(Exception):
    """The database refused a record of a batch stored without savepoints (rolled back)."""


def _ensure_sources(session: Session, todo: list[_Prepared], source: SourceInfo) -> None:
    for source_id in dict.fromkeys(p.source_id for p in todo):
        first = next(p for p in todo if p.source_id == source_id)
        institution = source.institution or str(first.raw.get("institution") or "")
        url = source.url or str(first.raw.get("url") or "")
        if source_id == source.id or session.get(Source, source_id) is None:
            postings.ensure_source(
                session, source_id, institution, source.platform, url, source.config
            )


def _store_batched(
    session: Session,
    todo: list[_Prepared],
    source: SourceInfo,
    run_id: int | None,
    *,
    rows: bool = False,
) -> dict[int, Outcome]:
    """One transaction, no savepoints: what the records look up is read once (board.lookups)
    and everything is flushed together. A record the database refuses raises _Refused. With
    `rows`, new postings and their links are written as multi-row INSERTs instead of ORM
    objects (board.new_postings; Fallback when the batch needs the ORM)."""
    now = utcnow()
    _ensure_sources(session, todo, source)
    wanted = [_wanted(p) for p in todo]
    batch = lookups.BatchLookups.load(session, wanted)
    batch.rows = NewRows() if rows and _rows_fit(batch, todo, wanted) else None
    batch.attach(session)
    outcomes: dict[int, Outcome] = {}
    try:
        for p in todo:
            outcomes[id(p)] = _store_one(session, p, now)
        session.flush()
        if batch.rows is not None:
            batch.rows.insert(session)
    except SQLAlchemyError as exc:
        if is_retryable(exc) or storage_problem(exc) or _conflict(exc):
            raise  # the whole batch again (a concurrent writer got there first)
        raise _Refused from exc
    finally:
        batch.detach(session)
    if run_id is not None:
        _count(session, run_id, outcomes.values(), now)
    return outcomes


def _rows_fit(
    batch: lookups.BatchLookups, todo: list[_Prepared], wanted: list[lookups.Wanted]
) -> bool:
    """Whether the batch's new postings can be written as rows (board.new_postings), decided
    before anything is written: no source key twice, and no new record shares a dedupe key
    or requisition id with a stored candidate or with anything else in the batch, so none can
    merge. (Should a record still need the ORM, `Fallback` stores the batch again.)"""
    if len({(p.source_id, p.key) for p in todo}) != len(todo):
        return False
    keys: Counter[str] = Counter()
    reqs: Counter[str] = Counter()
    for w in wanted:
        keys.update([w.dedupe_key] if w.dedupe_key else [])
        reqs.update([w.requisition_id] if w.requisition_id else [])
    for link in batch.links.values():
        if link is not None:
            keys.update([link.posting.dedupe_key] if link.posting.dedupe_key else [])
            reqs.update([link.posting.requisition_id] if link.posting.requisition_id else [])
    for p, w in zip(todo, wanted, strict=True):
        if p.record is None or batch.links.get((p.source_id, p.key)) is not None:
            continue
        if batch.candidates(w.dedupe_key, w.requisition_id) != []:
            return False
        if (w.dedupe_key and keys[w.dedupe_key] > 1) or (
            w.requisition_id and reqs[w.requisition_id] > 1
        ):
            return False
    return True


def _wanted(p: _Prepared) -> lookups.Wanted:
    record = p.record
    if record is None:  # unchanged: only its link is looked up
        return lookups.Wanted(p.source_id, p.key, None, None)
    key, requisition_id = postings.duplicate_keys(record, _values(p))
    slugs = tuple(
        (slug or "")[: institutions.SLUG_MAX]
        for slug in (record.institution_slug, record.institution_parent)
    )
    return lookups.Wanted(p.source_id, p.key, key, requisition_id, slugs)


def _store_all(
    session: Session, todo: list[_Prepared], source: SourceInfo, run_id: int | None
) -> dict[int, Outcome]:
    """One transaction: the sources, each record in a savepoint, the run's counters."""
    now = utcnow()
    _ensure_sources(session, todo, source)
    outcomes: dict[int, Outcome] = {}
    for p in todo:
        try:
            with session.begin_nested():
                outcomes[id(p)] = _store_one(session, p, now)
        except SQLAlchemyError as exc:
            if is_retryable(exc) or storage_problem(exc) or _conflict(exc):
                raise  # the whole batch again (a concurrent writer got there first)
            outcomes[id(p)] = _failure(p, exc)
    if run_id is not None:
        _count(session, run_id, outcomes.values(), now)
    return outcomes


def _store_one(session: Session, p: _Prepared, now: datetime) -> Outcome:
    batch = lookups.current(session)
    known, link = batch.link(p.source_id, p.key) if batch is not None else (False, None)
    if not known:
        link = postings.find_link(session, p.source_id, p.key)
    if isinstance(link, NewLink):
        raise Fallback  # the batch made this link: store it with ORM objects (board.new_postings)
    if link is not None and link.content_hash == p.digest:
        status = postings.seen_unchanged(session, link, now)
        return Outcome(status, p.ref, link.posting.public_id, removed=dict(p.removed))
    record, values = (p.record, _values(p)) if p.record else (_normalize(p.raw), None)
    result = postings.upsert_at(
        session, link, record, p.raw, p.source_id, p.key, now=now, values=values
    )
    return Outcome(
        result.change, p.ref, result.posting.public_id, result.reason, removed=dict(p.removed)
    )


def _values(p: _Prepared) -> dict[str, Any] | None:
    """The prepared record's to_dict(), made on first use (the record is not changed after)."""
    if p.values is None and p.record is not None:
        p.values = p.record.to_dict()
    return p.values


def _conflict(exc: BaseException) -> bool:
    """A unique key (a source, an institution, a link) another transaction inserted after this
    one looked for it (PostgreSQL, read committed): run again, the row is found."""
    if not isinstance(exc, IntegrityError):
        return False
    return getattr(exc.orig, "sqlstate", None) == "23505" or "unique" in str(exc.orig).lower()


def _failure(p: _Prepared, exc: BaseException, what: str = "could not store") -> Outcome:
    return _failed(p, f"{what}: {error_text(exc)}")


def _failed(p: _Prepared, reason: str) -> Outcome:
    return Outcome(FAILED, p.ref, reason=reason[:300], removed=dict(p.removed))


def _count(session: Session, run_id: int, outcomes: Iterable[Outcome], now: datetime) -> None:
    """Add a batch to its crawl run's counts, in the batch's own transaction."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        return
    for outcome in outcomes:
        if outcome.failed:
            run.errors += 1
            continue
        run.items += 1
        if outcome.status == NEW:
            run.new += 1
        elif outcome.status in (UPDATED, MERGED, REOPENED):
            run.updated += 1
    run.heartbeat_at = now


# -- crawl runs -----------------------------------------------------------------------------


class SourceRun:
    """One source's crawl run as a pipeline feeds it: start, batches, heartbeat, finish."""

    def __init__(self, ingest: Ingest, source: SourceInfo) -> None:
        self.ingest = ingest
        self.source = source
        self.run_id: int | None = None
        self.counts: Counter[str] = Counter()
        self.removed: Counter[str] = Counter()

    @property
    def board(self) -> Board:
        """The board the run stores into."""
        return self.ingest.board

    def start(self) -> int:
        """Record the source and the run's start (marking runs of dead processes interrupted)."""
        source = self.source

        def work(session: Session) -> int:
            postings.ensure_source(
                session, source.id, source.institution, source.platform, source.url, source.config
            )
            return crawlruns.start_run(session, source.id).id

        self.run_id = with_retry(self.board.sessions, work)
        return self.run_id

    def add(self, records: Sequence[RawRecord]) -> list[Outcome]:
        """Store a batch of the run's records (counted once each on the run)."""
        return self.store(self.plan(records))

    def plan(self, records: Sequence[RawRecord]) -> _Plan:
        """A batch checked and its changed records normalized, or queued for the worker
        processes when they run (`store` waits for them): a crawl plans the next batch while
        one is stored. Batches of one run never share a record."""
        ingest = self.ingest
        return ingest._plan(records, self.source, ingest._pool)  # noqa: SLF001 - its own Ingest

    def store(self, plan: _Plan) -> list[Outcome]:
        """Store a planned batch (counted once each on the run)."""
        outcomes = self.ingest._complete(plan, self.source, self.run_id)  # noqa: SLF001
        for outcome in outcomes:
            self.counts[outcome.status] += 1
            self.removed.update(outcome.removed)
        return outcomes

    def heartbeat(self) -> None:
        """Say the run's process is alive (between batches of a slow crawl)."""
        run_id = self.run_id
        if run_id is not None:
            with_retry(self.board.sessions, lambda s: crawlruns.heartbeat(s, run_id))

    def finish(
        self,
        *,
        complete: bool,
        failed: bool,
        pages: int = 0,
        dropped: int = 0,
        errors: int = 0,
        stats: Mapping[str, Any] | None = None,
        message: str | None = None,
        close_after: int | None = None,
    ) -> RunSummary:
        """Decide the outcome, apply the closing rules and expiry, then bring the index up."""
        run_id = self.run_id
        if run_id is None:
            raise RuntimeError("finish() before start()")
        limit = close_after or self.board.settings.close_after_missing
        if self.counts[FAILED] and complete and not failed:
            # an unstored record looks missing: closing anything now could close it wrongly
            complete = False
            message = message or f"{self.counts[FAILED]} record(s) not stored: nothing closed"

        def work(session: Session) -> RunSummary:
            run = session.get(CrawlRun, run_id)
            if run is None:
                raise RuntimeError(f"crawl run {run_id} vanished")
            run.pages = pages
            run.dropped = dropped
            run.errors += errors
            run.stats = {k: v for k, v in (stats or {}).items() if isinstance(v, int | float | str)}
            summary = crawlruns.finish_run(
                session, run, complete=complete, failed=failed, close_after=limit, message=message
            )
            crawlruns.expire_postings(session)
            return summary

        summary = with_retry(self.board.sessions, work)
        self.ingest.finish()
        return summary


def recover_interrupted_runs(board: Board) -> int:
    """Mark every run left "running" by a dead process as interrupted; how many."""
    return len(with_retry(board.sessions, crawlruns.recover_interrupted))


# -- one record, or one editor action, inside the caller's transaction ----------------------


def store_record(
    session: Session,
    raw: Mapping[str, Any],
    source: SourceInfo,
    record: NormalizedRecord | None = None,
) -> tuple[Outcome, Posting]:
    """Store one raw record (normalized here unless given) in the caller's transaction."""
    prepared = _prepare(RawRecord(raw), source)
    if isinstance(prepared, Outcome):
        raise ValueError(prepared.reason)
    prepared.record = record
    postings.ensure_source(
        session, source.id, source.institution, source.platform, source.url, source.config
    )
    outcome = _store_one(session, prepared, utcnow())
    link = postings.find_link(session, prepared.source_id, prepared.key)
    if link is None:  # pragma: no cover - _store_one just stored it
        raise RuntimeError("the stored record has no source link")
    return outcome, link.posting


def hide(session: Session, posting: Posting, hidden: bool) -> bool:
    """Hide a posting from the public (or show it again); whether anything changed."""
    if posting.hidden == hidden:
        return False
    posting.hidden = hidden
    posting.updated_at = utcnow()
    changelog.mark(session, posting, CHANGE_HIDE if hidden else CHANGE_UNHIDE)
    return True


def correct(session: Session, posting: Posting, overrides: Mapping[str, Any]) -> None:
    """Replace a posting's editor overrides and apply them (they survive re-crawls)."""
    posting.overrides = dict(overrides)
    postings.reapply(posting)
    posting.updated_at = utcnow()
    changelog.mark(session, posting, CHANGE_CORRECT)


def split(session: Session, posting: Posting, link: PostingSource) -> Posting:
    """Move one source link of a wrongly merged posting to a new posting of its own."""
    from board.normalize import normalize

    was_primary = posting.links[0].id == link.id
    now = utcnow()
    moved = Posting(
        first_seen=link.first_seen, last_seen=link.last_seen, updated_at=now, status=link.status
    )
    record = normalize(dict(link.raw or {}))
    postings.apply_record(moved, record)
    moved.institution = institutions.ensure_institution(session, record)
    session.add(moved)
    link.posting = moved
    if was_primary:
        primary = normalize(dict(posting.links[0].raw or {}))
        postings.apply_record(posting, primary)
        institutions.reassign(session, posting, primary)
    posting.updated_at = now
    changelog.mark(session, posting, CHANGE_SPLIT)
    changelog.mark(session, moved, CHANGE_SPLIT)
    session.flush()
    return moved
