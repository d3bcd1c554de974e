"""When each source is due: its cadence, a deterministic jitter, and what it last did.

Each source has a fixed offset inside its cadence (a hash of its id), so the sources of a
registry fall due spread over the day (or hour, or week) instead of at once, and on the same
minutes every day: source S with cadence C is due once per window [k·C + offset(S), ...). It is
due in a window when no run of it started in that window (interrupted runs do not count),
none started in the last half cadence, and the scheduler has not queued it for that window
yet. A source that never ran is due at once.

What is due is queued host by host in turn, so consecutive tasks go to different hosts.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from board.clock import utcnow
from board.extract.registry import Registry
from board.extract.source import Source
from board.models import RUN_INTERRUPTED, CrawlRun
from board.scheduling.models import SourceLease

EPOCH = datetime(2024, 1, 1)


def offset(source_id: str, cadence: timedelta) -> timedelta:
    """The source's fixed place inside its cadence (the same on every machine)."""
    seconds = max(int(cadence.total_seconds()), 1)
    return timedelta(seconds=zlib.crc32(source_id.encode("utf-8")) % seconds)


def window_start(source_id: str, cadence: timedelta, now: datetime) -> datetime:
    """The start of the source's current window: the latest k·cadence + offset ≤ now."""
    shift = offset(source_id, cadence)
    windows = (now - EPOCH - shift) // cadence
    return EPOCH + shift + windows * cadence


@dataclass(frozen=True)
class Due:
    """A source to queue, and why."""

    source: Source
    reason: str


def last_starts(session: Session, source_ids: Iterable[str]) -> dict[str, datetime]:
    """When each source's latest run (not interrupted) started."""
    rows = session.execute(
        select(CrawlRun.source_id, func.max(CrawlRun.started_at))
        .where(CrawlRun.source_id.in_(list(source_ids)), CrawlRun.outcome != RUN_INTERRUPTED)
        .group_by(CrawlRun.source_id)
    )
    return {source_id: started for source_id, started in rows}


def queued_times(session: Session, source_ids: Iterable[str]) -> dict[str, datetime]:
    """When the scheduler last queued each source."""
    rows = session.execute(
        select(SourceLease.source_id, SourceLease.queued_at).where(
            SourceLease.source_id.in_(list(source_ids)), SourceLease.queued_at.is_not(None)
        )
    )
    return {source_id: queued for source_id, queued in rows if queued is not None}


def due(
    session: Session, registry: Registry, now: datetime | None = None, everything: bool = False
) -> list[Due]:
    """The registry's sources to queue now (all of them with `everything`), host by host."""
    now = now or utcnow()
    ids = [s.id for s in registry.sources]
    started = last_starts(session, ids)
    queued = queued_times(session, ids)
    chosen: list[tuple[datetime, Due]] = []
    for source in registry.sources:
        cadence = registry.cadence(source.id)
        window = window_start(source.id, cadence, now)
        last = started.get(source.id)
        if everything:
            chosen.append((window, Due(source, "queued by --now")))
        elif last is None:
            if queued.get(source.id) is None or now - queued[source.id] >= cadence:
                chosen.append((window, Due(source, "never crawled")))
        elif (
            last < window
            and now - last >= cadence / 2
            and (queued.get(source.id) is None or queued[source.id] < window)
        ):
            chosen.append((window, Due(source, f"due since {window:%Y-%m-%d %H:%M} UTC")))
    chosen.sort(key=lambda pair: (pair[0], pair[1].source.id))
    return interleave_hosts([d for _, d in chosen])


def interleave_hosts(items: list[Due]) -> list[Due]:
    """The same items, taking one of each host in turn (keeping each host's own order)."""
    by_host: OrderedDict[str, list[Due]] = OrderedDict()
    for item in items:
        by_host.setdefault(item.source.host, []).append(item)
    queues = [list(reversed(group)) for group in by_host.values()]
    out: list[Due] = []
    while queues:
        for queue in queues:
            out.append(queue.pop())
        queues = [q for q in queues if q]
    return out


def mark_queued(session: Session, source_ids: Iterable[str], now: datetime | None = None) -> None:
    """Remember that these sources were queued now (so the next schedule does not queue them
    again in this window)."""
    from sqlalchemy.dialects import postgresql, sqlite

    now = now or utcnow()
    ids = list(source_ids)
    if not ids:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(SourceLease.__table__).values(  # type: ignore[arg-type]
        [{"source_id": source_id, "queued_at": now} for source_id in ids]
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["source_id"], set_={"queued_at": statement.excluded.queued_at}
        )
    )


def crawled_since(session: Session, source_id: str, since: datetime) -> CrawlRun | None:
    """A run of the source that started at or after `since` and was not interrupted."""
    return session.scalars(
        select(CrawlRun)
        .where(
            CrawlRun.source_id == source_id,
            CrawlRun.started_at >= since,
            CrawlRun.outcome != RUN_INTERRUPTED,
        )
        .order_by(CrawlRun.started_at.desc())
        .limit(1)
    ).first()
