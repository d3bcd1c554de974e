"""Crawl runs: their lifecycle, the closing rules, expiry, and runs left behind by dead processes.

A crawl never deletes a posting. A posting missing from a source's *complete* listing for
`close_after` consecutive successful runs closes; failed, partial, suspicious or interrupted
runs close nothing.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from board.clock import utcnow
from board.models import (
    CHANGE_EXPIRE,
    CLOSED,
    OPEN,
    RUN_FAILED,
    RUN_INTERRUPTED,
    RUN_PARTIAL,
    RUN_RUNNING,
    RUN_SUCCESS,
    RUN_SUSPICIOUS,
    CrawlRun,
    Posting,
    PostingSource,
)
from board.postings import close_posting

#: A run with fewer items than this share of the recent median closes nothing.
SUSPICIOUS_SHARE = 0.5
#: A running run whose heartbeat is older than this belongs to a dead process (any host).
STALE_AFTER = timedelta(minutes=15)


@dataclass
class RunSummary:
    """One source's crawl in a line of the final table."""

    source: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    closed: int = 0
    errors: int = 0
    items: int = 0
    outcome: str = RUN_SUCCESS
    message: str | None = None


def this_host() -> str:
    """The name runs record as their host."""
    return socket.gethostname()[:255]


def start_run(session: Session, source_id: str, now: datetime | None = None) -> CrawlRun:
    """Record the start of one source's crawl (and which process runs it)."""
    now = now or utcnow()
    recover_interrupted(session, source_id, now=now)
    run = CrawlRun(
        source_id=source_id,
        started_at=now,
        stats={},
        host=this_host(),
        pid=os.getpid(),
        heartbeat_at=now,
        outcome=RUN_RUNNING,
    )
    session.add(run)
    session.flush()
    return run


def heartbeat(session: Session, run_id: int, now: datetime | None = None) -> None:
    """Say the run's process is still alive."""
    run = session.get(CrawlRun, run_id)
    if run is not None and run.outcome == RUN_RUNNING:
        run.heartbeat_at = now or utcnow()


def recover_interrupted(
    session: Session,
    source_id: str | None = None,
    now: datetime | None = None,
    stale_after: timedelta = STALE_AFTER,
) -> list[CrawlRun]:
    """Mark runs left "running" by dead processes as interrupted; those marked.

    A run of this host is dead when its pid is gone; a run of another host (or of an older
    version that kept no host) only when its heartbeat is older than `stale_after`, so the
    runs of live workers on other machines are left alone.
    """
    now = now or utcnow()
    statement = select(CrawlRun).where(CrawlRun.outcome == RUN_RUNNING)
    if source_id is not None:
        statement = statement.where(CrawlRun.source_id == source_id)
    host, me = this_host(), os.getpid()
    marked = []
    for run in session.scalars(statement):
        if run.host == host and run.pid == me:
            continue
        last_sign = run.heartbeat_at or run.started_at
        gone = run.host == host and run.pid is not None and not process_alive(run.pid)
        if gone or now - last_sign > stale_after:
            run.outcome = RUN_INTERRUPTED
            run.finished_at = now
            run.message = (
                f"interrupted: process {run.pid} on {run.host} stopped before the run finished"
                if run.host
                else "interrupted: the run never finished"
            ) + "; nothing closed"
            marked.append(run)
    return marked


def process_alive(pid: int) -> bool:
    """Whether a process with this pid runs on this host (a zombie does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rpartition(")")[2].split()[:1] != ["Z"]


def recent_item_counts(
    session: Session, source_id: str, before_run: int, limit: int = 5
) -> list[int]:
    """Item counts of the source's recent successful runs."""
    return list(
        session.scalars(
            select(CrawlRun.items)
            .where(
                CrawlRun.source_id == source_id,
                CrawlRun.outcome == RUN_SUCCESS,
                CrawlRun.id != before_run,
            )
            .order_by(CrawlRun.started_at.desc())
            .limit(limit)
        )
    )


def finish_run(
    session: Session,
    run: CrawlRun,
    *,
    complete: bool,
    failed: bool,
    close_after: int = 3,
    now: datetime | None = None,
    message: str | None = None,
) -> RunSummary:
    """Decide the run's outcome and apply the closing rules for its source."""
    now = now or utcnow()
    run.finished_at = now
    run.heartbeat_at = now
    run.complete = complete
    if failed:
        run.outcome = RUN_FAILED
    elif not complete:
        run.outcome = RUN_PARTIAL
        message = message or "listing not walked completely: nothing closed"
    else:
        recent = sorted(recent_item_counts(session, run.source_id, run.id))
        median = recent[len(recent) // 2] if recent else 0
        if recent and run.items < SUSPICIOUS_SHARE * median:
            run.outcome = RUN_SUSPICIOUS
            message = message or (
                f"{run.items} items against a recent median of {median}: nothing closed"
            )
        else:
            run.outcome = RUN_SUCCESS
    run.message = message
    if run.outcome == RUN_SUCCESS:
        run.closed = _close_missing(session, run, close_after, now)
    return RunSummary(
        source=run.source_id,
        new=run.new,
        updated=run.updated,
        unchanged=max(run.items - run.new - run.updated, 0),
        closed=run.closed,
        errors=run.errors,
        items=run.items,
        outcome=run.outcome,
        message=message,
    )


def _close_missing(session: Session, run: CrawlRun, close_after: int, now: datetime) -> int:
    """Count a miss for every open link not seen in this run; close those missed too often."""
    missing = session.scalars(
        select(PostingSource)
        .where(
            PostingSource.source_id == run.source_id,
            PostingSource.status == OPEN,
            PostingSource.last_seen < run.started_at,
        )
        .options(selectinload(PostingSource.posting).selectinload(Posting.links))
    ).all()
    closed = 0
    for link in missing:
        link.missing_runs += 1
        if link.missing_runs < close_after:
            continue
        link.status = CLOSED
        posting = link.posting
        if all(other.status == CLOSED for other in posting.links):
            closed += close_posting(session, posting, now)
    return closed


def expire_postings(session: Session, today: date | None = None) -> list[Posting]:
    """Close open postings whose closing date has passed."""
    today = today or utcnow().date()
    expired = session.scalars(
        select(Posting).where(Posting.status == OPEN, Posting.closes_on < today)
    ).all()
    for posting in expired:
        close_posting(session, posting, kind=CHANGE_EXPIRE)
    return list(expired)
