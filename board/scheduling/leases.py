"""Leases with expiry in the database: one crawl per source, and one per host, across every
worker of the pool (and manual `rcjobs crawl` runs).

A lease is a row (key, holder, expires_at). Taking it is a single statement, atomic on SQLite
and PostgreSQL alike: INSERT ... ON CONFLICT DO UPDATE ... WHERE the row is free, expired or
already ours, RETURNING the holder. The taker renews it while it crawls (`LeaseKeeper`) and
frees it when done; a holder that died (SIGKILL, a lost machine) stops renewing, and the lease
is free to the next taker once it expires. Runs such a holder left "running" are then marked
interrupted (they close nothing), by the next taker or by the scheduler's sweep.

Clocks: `expires_at` is written and compared with the taker's clock (naive UTC), so the
machines of a pool need synchronised clocks (NTP) to well within the lease time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from board.clock import utcnow
from board.config import whole_number
from board.crawlruns import process_alive
from board.models import RUN_INTERRUPTED, RUN_RUNNING, CrawlRun
from board.scheduling.models import HostLease, SourceLease

log = logging.getLogger(__name__)

#: Seconds a lease lasts without renewal (RCJOBS_LEASE_SECONDS); renewed every third of it.
DEFAULT_LEASE_SECONDS = 600
#: The environment variable a worker passes its holder name to its crawl process in.
HOLDER_VARIABLE = "RCJOBS_LEASE_HOLDER"


def lease_time() -> timedelta:
    """How long a lease lasts without renewal."""
    seconds = whole_number(
        "RCJOBS_LEASE_SECONDS",
        os.environ.get("RCJOBS_LEASE_SECONDS"),
        default=DEFAULT_LEASE_SECONDS,
        minimum=2,
    )
    return timedelta(seconds=seconds)


def new_holder() -> str:
    """A holder name unique to this process and moment: host, pid and a random part."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_from_env() -> str:
    """The holder a worker handed down (so its crawl process holds the worker's lease)."""
    return os.environ.get(HOLDER_VARIABLE) or new_holder()


def _table(model: type[SourceLease] | type[HostLease]) -> Table:
    return model.__table__  # type: ignore[return-value]


def _key_column(model: type[SourceLease] | type[HostLease]) -> str:
    return "source_id" if model is SourceLease else "host"


def acquire(
    session: Session,
    model: type[SourceLease] | type[HostLease],
    key: str,
    holder: str,
    ttl: timedelta,
    now: datetime | None = None,
    **extra: Any,
) -> bool:
    """Take (or renew) the lease on `key` for `holder`: True when it is now `holder`'s.

    One statement: a free, expired or already-held-by-us row is overwritten; any other row is
    left alone, and the statement returns nothing.
    """
    now = now or utcnow()
    table = _table(model)
    keycol = _key_column(model)
    values = {keycol: key, "holder": holder, "expires_at": now + ttl, "acquired_at": now, **extra}
    dialect = session.get_bind().dialect.name
    insert: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table).values(**values)
    current = table.c
    statement = statement.on_conflict_do_update(
        index_elements=[current[keycol]],
        set_={
            "holder": holder,
            "expires_at": now + ttl,
            # keep when we first took it, if the lease was already ours
            "acquired_at": func.coalesce(
                _when_ours(current, holder, current.acquired_at), statement.excluded.acquired_at
            ),
            **{name: statement.excluded[name] for name in extra},
        },
        where=(current.holder.is_(None))
        | (current.holder == holder)
        | (current.expires_at.is_(None))
        | (current.expires_at < now),
    ).returning(current.holder)
    row = session.execute(statement).first()
    return row is not None and row[0] == holder


def free_if_holder_died_here(
    session: Session, model: type[SourceLease] | type[HostLease], key: str
) -> str | None:
    """Free the lease on `key` when its holder is a process of this host that is gone (a
    crawl killed before its lease expired): the holder; None when the lease was left alone.

    A holder on another host is judged only by its lease's expiry, as its pid means nothing
    here."""
    table = _table(model)
    keycol = table.c[_key_column(model)]
    holder = session.scalar(select(table.c.holder).where(keycol == key))
    if not holder:
        return None
    parts = holder.rsplit(":", 2)  # new_holder(): host, pid, a random part
    if len(parts) != 3 or parts[0] != socket.gethostname()[:120] or not parts[1].isdigit():
        return None
    pid_text = parts[1]
    pid = int(pid_text)
    if pid == os.getpid() or process_alive(pid):
        return None
    session.execute(
        update(table)
        .where(keycol == key, table.c.holder == holder)
        .values(holder=None, expires_at=None)
    )
    return holder


def _when_ours(current: Any, holder: str, column: Any) -> Any:
    from sqlalchemy import case

    return case((current.holder == holder, column), else_=None)


def release(
    session: Session, model: type[SourceLease] | type[HostLease], keys: Iterable[str], holder: str
) -> None:
    """Free the leases `holder` has on these keys (others' are left alone)."""
    keys = list(keys)
    if not keys:
        return
    table = _table(model)
    session.execute(
        update(table)
        .where(table.c[_key_column(model)].in_(keys), table.c.holder == holder)
        .values(holder=None, expires_at=None)
    )


def renew(
    session: Session,
    model: type[SourceLease] | type[HostLease],
    keys: Iterable[str],
    holder: str,
    ttl: timedelta,
    now: datetime | None = None,
) -> int:
    """Push back the expiry of `holder`'s leases on these keys; how many are still ours."""
    keys = list(keys)
    if not keys:
        return 0
    now = now or utcnow()
    table = _table(model)
    result = session.execute(
        update(table)
        .where(table.c[_key_column(model)].in_(keys), table.c.holder == holder)
        .values(expires_at=now + ttl)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def holders(session: Session, source_ids: Iterable[str], now: datetime | None = None) -> dict:
    """Who holds a live lease on each of these sources (sources without one are left out)."""
    now = now or utcnow()
    rows = session.execute(
        select(SourceLease.source_id, SourceLease.holder).where(
            SourceLease.source_id.in_(list(source_ids)),
            SourceLease.holder.is_not(None),
            SourceLease.expires_at >= now,
        )
    )
    return {source_id: holder for source_id, holder in rows}


def interrupt_runs_of(
    session: Session, source_ids: Iterable[str], reason: str, now: datetime | None = None
) -> list[int]:
    """Mark the sources' runs still "running" as interrupted (they close nothing); their ids.

    Called by a taker that holds the sources' leases: no live process runs them any more.
    """
    now = now or utcnow()
    runs = session.scalars(
        select(CrawlRun).where(
            CrawlRun.source_id.in_(list(source_ids)), CrawlRun.outcome == RUN_RUNNING
        )
    ).all()
    for run in runs:
        run.outcome = RUN_INTERRUPTED
        run.finished_at = now
        run.message = f"interrupted: {reason}; nothing closed"
    return [run.id for run in runs]


def sweep(session: Session, ttl: timedelta, now: datetime | None = None) -> list[str]:
    """Mark interrupted the runs left "running" whose source has no live lease and whose
    heartbeat is older than a lease time; the sources they were of (to be crawled again)."""
    now = now or utcnow()
    live = select(SourceLease.source_id).where(
        SourceLease.holder.is_not(None), SourceLease.expires_at >= now
    )
    runs = session.scalars(
        select(CrawlRun).where(
            CrawlRun.outcome == RUN_RUNNING,
            CrawlRun.source_id.not_in(live),
            func.coalesce(CrawlRun.heartbeat_at, CrawlRun.started_at) < now - ttl,
        )
    ).all()
    for run in runs:
        run.outcome = RUN_INTERRUPTED
        run.finished_at = now
        run.message = (
            f"interrupted: its crawl's lease expired (process {run.pid} on {run.host} stopped);"
            " nothing closed"
        )
    return sorted({run.source_id for run in runs})


class LeaseKeeper:
    """Renews a holder's leases in a background thread until stopped, then frees them."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        holder: str,
        sources: Iterable[str] = (),
        hosts: Iterable[str] = (),
        ttl: timedelta | None = None,
    ) -> None:
        self.factory = factory
        self.holder = holder
        self.sources = sorted(set(sources))
        self.hosts = sorted(set(hosts))
        self.ttl = ttl or lease_time()
        self.lost: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lease-keeper", daemon=True)

    def start(self) -> LeaseKeeper:
        """Start renewing."""
        self._thread.start()
        return self

    def _run(self) -> None:
        every = max(self.ttl.total_seconds() / 3, 0.5)
        while not self._stop.wait(every):
            try:
                self.renew_now()
            except Exception as exc:  # noqa: BLE001 - the next beat tries again
                log.warning("could not renew the crawl leases: %s", exc)

    def renew_now(self) -> None:
        """Renew every lease once."""
        from board.db import session_scope

        with session_scope(self.factory) as session:
            kept = renew(session, SourceLease, self.sources, self.holder, self.ttl)
            renew(session, HostLease, self.hosts, self.holder, self.ttl)
        if kept < len(self.sources):
            log.warning("%d crawl lease(s) were taken over", len(self.sources) - kept)

    def stop(self, free: bool = True) -> None:
        """Stop renewing and (by default) free the leases."""
        from board.db import session_scope

        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)
        if free:
            with session_scope(self.factory) as session:
                release(session, SourceLease, self.sources, self.holder)
                release(session, HostLease, self.hosts, self.holder)
