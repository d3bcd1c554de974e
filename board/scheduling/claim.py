"""Taking the leases a crawl needs before it starts: each source's, and its host's.

`rcjobs crawl` (by hand or from a worker) claims its sources here. A source whose lease is
held by another live crawl, or whose host another crawl is on, is refused (and crawled later);
the runs a dead holder left "running" are marked interrupted once their lease is ours. A
holder that was a process of this host and is gone (killed) loses its leases at once; one on
another host keeps them until they expire.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from board.clock import utcnow
from board.db import with_retry
from board.extract.source import Source
from board.scheduling import leases, planner
from board.scheduling.models import HostLease, SourceLease
from board.services import Board

BUSY = "busy"
DONE = "done"


@dataclass
class Claim:
    """The sources this crawl may run, those it may not (id → why), and the lease keeper."""

    granted: list[Source]
    refused: dict[str, tuple[str, str]] = field(default_factory=dict)
    interrupted: list[int] = field(default_factory=list)
    keeper: leases.LeaseKeeper | None = None

    @property
    def busy(self) -> bool:
        """Whether some source was refused because another crawl holds it or its host."""
        return any(kind == BUSY for kind, _ in self.refused.values())

    def release(self) -> None:
        """Free every lease taken."""
        if self.keeper is not None:
            self.keeper.stop()


def claim(
    board: Board,
    sources: Iterable[Source],
    holder: str | None = None,
    since: datetime | None = None,
) -> Claim:
    """Take the leases of these sources and their hosts for `holder` (renewed until released).

    With `since`, a source crawled since then (by anyone) is refused as done, not crawled again.
    """
    holder = holder or leases.holder_from_env()
    ttl = leases.lease_time()
    sources = list(sources)

    def work(session: Session) -> Claim:
        now = utcnow()
        result = Claim(granted=[])
        for source in sources:
            leases.free_if_holder_died_here(session, SourceLease, source.id)
            leases.free_if_holder_died_here(session, HostLease, source.host)
            if not leases.acquire(session, SourceLease, source.id, holder, ttl, now):
                other = leases.holders(session, [source.id], now).get(source.id, "another crawl")
                result.refused[source.id] = (BUSY, f"being crawled by {other}")
                continue
            host = source.host
            if not leases.acquire(session, HostLease, host, holder, ttl, now, source_id=source.id):
                leases.release(session, SourceLease, [source.id], holder)
                result.refused[source.id] = (BUSY, f"another crawl is on host {host}")
                continue
            if since is not None:
                done = planner.crawled_since(session, source.id, since)
                if done is not None and done.outcome != "running":
                    leases.release(session, SourceLease, [source.id], holder)
                    result.refused[source.id] = (
                        DONE,
                        f"already crawled at {done.started_at:%Y-%m-%d %H:%M:%S} ({done.outcome})",
                    )
                    continue
            result.granted.append(source)
        granted_hosts = {s.host for s in result.granted}
        refused_hosts = {s.host for s in sources if s.id in result.refused} - granted_hosts
        for host in refused_hosts:  # hosts taken only for refused sources
            leases.release(session, HostLease, [host], holder)
        result.interrupted = leases.interrupt_runs_of(
            session,
            [s.id for s in result.granted],
            "its crawl stopped before the run finished (its lease expired)",
            now,
        )
        return result

    result = with_retry(board.sessions, work)
    result.keeper = leases.LeaseKeeper(
        board.sessions,
        holder,
        sources=[s.id for s in result.granted],
        hosts=[s.host for s in result.granted],
        ttl=ttl,
    ).start()
    return result
