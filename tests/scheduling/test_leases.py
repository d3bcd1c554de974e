"""Leases in the database (SQLite and PostgreSQL): one holder at a time, expiry, renewal,
takeover of a dead holder's runs, and the per-host lease a crawl takes with its source's."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from board.extract import Source
from board.models import RUN_INTERRUPTED, RUN_RUNNING, CrawlRun
from board.models import Source as SourceRow
from board.scheduling import leases
from board.scheduling.claim import BUSY, claim
from board.scheduling.models import HostLease, SourceLease

NOW = datetime(2026, 12, 2, 12, 0, 0)
TTL = timedelta(seconds=30)


def take(board, key: str, holder: str, now: datetime = NOW, model=SourceLease) -> bool:
    with board.session() as session:
        return leases.acquire(session, model, key, holder, TTL, now)


def test_one_holder_at_a_time_until_the_lease_expires(any_board):
    assert take(any_board, "src", "worker-a")
    assert not take(any_board, "src", "worker-b")
    assert take(any_board, "src", "worker-a", NOW + timedelta(seconds=5))  # its own: renewed
    assert not take(any_board, "src", "worker-b", NOW + timedelta(seconds=34))  # renewed at +5
    assert take(any_board, "src", "worker-b", NOW + timedelta(seconds=36))  # expired: taken
    assert not take(any_board, "src", "worker-a", NOW + timedelta(seconds=37))


def test_release_and_renew(any_board):
    assert take(any_board, "src", "worker-a")
    with any_board.session() as session:
        leases.release(session, SourceLease, ["src"], "worker-b")  # not b's: nothing happens
    assert not take(any_board, "src", "worker-b")
    with any_board.session() as session:
        assert leases.renew(session, SourceLease, ["src"], "worker-a", TTL, NOW + TTL) == 1
    assert not take(any_board, "src", "worker-b", NOW + TTL + timedelta(seconds=1))
    with any_board.session() as session:
        leases.release(session, SourceLease, ["src"], "worker-a")
    assert take(any_board, "src", "worker-b")


def test_many_takers_at_once_exactly_one_wins(any_board):
    takers = 8
    barrier = threading.Barrier(takers)
    won: list[str] = []

    def attempt(n: int) -> None:
        barrier.wait()
        with any_board.session() as session:
            if leases.acquire(session, SourceLease, "contested", f"worker-{n}", TTL, NOW):
                won.append(f"worker-{n}")

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(takers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    with any_board.read_session() as session:
        assert session.get(SourceLease, "contested").holder == won[0]


def running_run(board, source_id: str, heartbeat: datetime) -> int:
    with board.session() as session:
        if session.get(SourceRow, source_id) is None:
            session.add(
                SourceRow(
                    id=source_id,
                    institution_name="U",
                    platform="feed",
                    url="https://u.example.edu/feed",
                    config={},
                    created_at=heartbeat,
                )
            )
        run = CrawlRun(
            source_id=source_id,
            started_at=heartbeat,
            heartbeat_at=heartbeat,
            outcome=RUN_RUNNING,
            host="another-machine",
            pid=4242,
            stats={},
        )
        session.add(run)
        session.flush()
        return run.id


def outcome(board, run_id: int) -> tuple[str, str | None]:
    with board.read_session() as session:
        run = session.get(CrawlRun, run_id)
        return run.outcome, run.message


def test_sweep_interrupts_runs_whose_lease_expired_and_leaves_live_ones(any_board):
    dead = running_run(any_board, "dead-src", NOW - timedelta(minutes=5))
    live = running_run(any_board, "live-src", NOW - timedelta(minutes=5))
    assert take(any_board, "dead-src", "gone-worker", NOW - timedelta(minutes=5))  # expired
    assert take(any_board, "live-src", "live-worker", NOW - timedelta(seconds=10))  # still held
    with any_board.session() as session:
        assert leases.sweep(session, TTL, NOW) == ["dead-src"]
    state, message = outcome(any_board, dead)
    assert state == RUN_INTERRUPTED
    assert "lease expired" in message and "nothing closed" in message
    assert outcome(any_board, live)[0] == RUN_RUNNING


def source(n: int, host: str = "careers.example.edu") -> Source:
    return Source(id=f"src-{n}", institution="U", platform="feed", url=f"https://{host}/f{n}.rss")


def test_a_crawl_claims_its_source_and_its_host(any_board, monkeypatch):
    monkeypatch.setenv("RCJOBS_LEASE_SECONDS", "60")
    first = claim(any_board, [source(1)], holder="worker-a")
    try:
        assert [s.id for s in first.granted] == ["src-1"]
        again = claim(any_board, [source(1)], holder="worker-b")
        assert again.refused == {"src-1": (BUSY, "being crawled by worker-a")}
        same_host = claim(any_board, [source(2)], holder="worker-b")
        assert same_host.refused["src-2"][0] == BUSY
        assert "another crawl is on host careers.example.edu" in same_host.refused["src-2"][1]
        other_host = claim(any_board, [source(3, "jobs.example.org")], holder="worker-b")
        assert [s.id for s in other_host.granted] == ["src-3"]
        other_host.release()
    finally:
        first.release()
    after = claim(any_board, [source(2)], holder="worker-b")
    assert [s.id for s in after.granted] == ["src-2"]
    after.release()
    with any_board.read_session() as session:
        assert {lease.holder for lease in session.query(HostLease)} == {None}


def test_the_next_taker_marks_the_dead_holders_run_interrupted(any_board, monkeypatch):
    monkeypatch.setenv("RCJOBS_LEASE_SECONDS", "60")
    from board.clock import utcnow

    stale = running_run(any_board, "src-1", utcnow() - timedelta(minutes=1))
    taken = claim(any_board, [source(1)], holder="worker-b")
    taken.release()
    assert taken.interrupted == [stale]
    assert outcome(any_board, stale)[0] == RUN_INTERRUPTED


@pytest.mark.parametrize("value", ["0", "soon"])
def test_a_bad_lease_time_is_a_clear_error(monkeypatch, value):
    from board.config import ConfigError

    monkeypatch.setenv("RCJOBS_LEASE_SECONDS", value)
    with pytest.raises(ConfigError, match="RCJOBS_LEASE_SECONDS must be a whole number 2"):
        leases.lease_time()


def test_a_killed_holder_of_this_host_loses_its_lease_at_once(any_board):
    """A crawl SIGKILLed before its lease expired: the next crawl on this host need not wait."""
    import os
    import socket
    import subprocess
    import sys

    host = socket.gethostname()[:120]
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    dead = f"{host}:{int(gone.stdout)}:deadbeef"
    alive = f"{host}:{os.getppid()}:cafe0001"  # the test runner's parent: alive
    elsewhere = f"another-machine:{int(gone.stdout)}:cafe0002"  # its pid means nothing here
    for key, holder in (("killed", dead), ("running", alive), ("remote", elsewhere)):
        assert take(any_board, key, holder)
    with any_board.session() as session:
        assert leases.free_if_holder_died_here(session, SourceLease, "killed") == dead
        assert leases.free_if_holder_died_here(session, SourceLease, "running") is None
        assert leases.free_if_holder_died_here(session, SourceLease, "remote") is None
    assert take(any_board, "killed", "worker-b")
    assert not take(any_board, "running", "worker-b")
    assert not take(any_board, "remote", "worker-b")
