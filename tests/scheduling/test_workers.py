"""Two real `rcjobs worker` processes on the test broker crawl a loopback farm of career sites:
each source exactly once, a worker SIGKILLed mid-crawl loses nothing, and no host ever sees
more requests at once than the per-host limit. The first two run on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest

from board.models import RUN_INTERRUPTED, RUN_RUNNING, RUN_SUCCESS
from demo.farm import Farm, wait_for
from tests.scheduling.pool import PER_HOST_LIMIT, open_postings, pool, postings_by_source, runs

pytestmark = pytest.mark.slow
DEADLINE = 360


def finished(board, workers, ids: set[str]) -> bool:
    """Every source has a successful run, and its crawl process has exited."""
    done = {r.source_id for r in runs(board) if r.outcome == RUN_SUCCESS}
    return ids <= done and ids <= workers.crawled_by("w1") | workers.crawled_by("w2")


def test_two_workers_crawl_twelve_sources_each_once_and_politely(any_board, tmp_path: Path):
    board = any_board  # SQLite, then PostgreSQL (what a pool of machines shares)
    # 12 sources on 2 hosts: without the host lease both workers would often be on one host.
    with (
        Farm(hosts=2, per_host=6, postings=10, latency=0.15) as farm,
        pool(board, tmp_path / "pool") as workers,
    ):
        registry = farm.registry(tmp_path / "sources.toml")
        workers.start("w1")
        workers.start("w2")
        workers.wait_ready()
        queued = workers.rcjobs("schedule", "--sources", str(registry), "--now")
        assert queued.returncode == 0, queued.stderr
        assert "queued 12 of 12 source(s)" in queued.stdout
        ids = {s.id for s in farm.sources}
        wait_for(lambda: finished(board, workers, ids), DEADLINE, "every source's crawl")

        all_runs = runs(board)
        assert sorted(r.source_id for r in all_runs) == sorted(ids)  # one run each
        assert {r.outcome for r in all_runs} == {RUN_SUCCESS}
        assert dict(farm.listings) == {source_id: 1 for source_id in ids}
        assert postings_by_source(board) == {source_id: 10 for source_id in ids}
        assert workers.crawled_by("w1") and workers.crawled_by("w2")  # both did work
        assert not workers.crawled_by("w1") & workers.crawled_by("w2")
        peaks = farm.peaks()
        assert all(1 <= peak <= PER_HOST_LIMIT for peak in peaks.values()), peaks


def test_the_pool_on_a_redis_broker_crawls_each_source_once(board, tmp_path: Path):
    with (
        Farm(hosts=2, per_host=3, postings=10) as farm,
        pool(board, tmp_path / "pool", broker="redis") as workers,
    ):
        assert workers.env["RCJOBS_BROKER_URL"].startswith("redis://")
        registry = farm.registry(tmp_path / "sources.toml")
        workers.start("w1")
        workers.start("w2")
        workers.wait_ready()
        queued = workers.rcjobs("schedule", "--sources", str(registry), "--now")
        assert "queued 6 of 6 source(s)" in queued.stdout, queued.stderr
        ids = {s.id for s in farm.sources}
        wait_for(lambda: finished(board, workers, ids), DEADLINE, "every source's crawl")
        assert sorted(r.source_id for r in runs(board)) == sorted(ids)
        assert {r.outcome for r in runs(board)} == {RUN_SUCCESS}
        assert postings_by_source(board) == {source_id: 10 for source_id in ids}
        assert not workers.crawled_by("w1") & workers.crawled_by("w2")


def test_a_worker_killed_mid_crawl_loses_nothing(any_board, tmp_path: Path):
    board = any_board
    with (
        Farm(hosts=3, per_host=1, postings=10) as farm,
        pool(board, tmp_path / "pool", lease_seconds=6) as workers,
    ):
        victim = farm.sources[0].id
        gate = farm.gate(victim)  # its detail pages wait: its crawl is provably mid-way
        registry = farm.registry(tmp_path / "sources.toml")
        workers.start("w1")
        workers.start("w2")
        workers.wait_ready()
        assert workers.rcjobs("schedule", "--sources", str(registry), "--now").returncode == 0

        def victim_running() -> bool:
            return farm.listings[victim] >= 1 and any(
                r.source_id == victim and r.outcome == RUN_RUNNING for r in runs(board)
            )

        wait_for(victim_running, DEADLINE, f"the crawl of {victim} to be under way")
        crawl = next(r for r in runs(board) if r.source_id == victim)
        doomed = workers.owner_of(crawl.pid)
        workers.kill(doomed)
        gate.set()
        survivor = "w2" if doomed == "w1" else "w1"

        ids = {s.id for s in farm.sources}
        wait_for(
            lambda: finished(board, workers, ids), DEADLINE, "every source, the victim again too"
        )

        victim_runs = [r for r in runs(board) if r.source_id == victim]
        assert [r.outcome for r in victim_runs] == [RUN_INTERRUPTED, RUN_SUCCESS]
        assert "nothing closed" in victim_runs[0].message
        assert victim in workers.crawled_by(survivor)
        assert postings_by_source(board) == {source_id: 10 for source_id in ids}
        assert open_postings(board) == 30  # nothing closed
        others = [r for r in runs(board) if r.source_id != victim]
        assert sorted(r.source_id for r in others) == sorted(ids - {victim})
        assert {r.outcome for r in others} == {RUN_SUCCESS}


def test_two_sources_on_one_host_are_never_crawled_at_once(board, tmp_path: Path):
    with Farm(hosts=1, per_host=3, postings=10) as farm, pool(board, tmp_path / "pool") as workers:
        gates = [farm.gate(s.id) for s in farm.sources]  # every crawl holds two requests open
        registry = farm.registry(tmp_path / "sources.toml")
        workers.start("w1")
        workers.start("w2")
        workers.wait_ready()
        assert workers.rcjobs("schedule", "--sources", str(registry), "--now").returncode == 0

        host = farm.sources[0].host

        def contended() -> bool:
            """One crawl holds its two requests to the host; the other worker was turned away."""
            on_host = [r for r in runs(board) if r.outcome == RUN_RUNNING]
            turned_away = workers.attempts("w1", 75) | workers.attempts("w2", 75)
            return len(on_host) == 1 and farm.in_flight(host) == 2 and bool(turned_away)

        wait_for(contended, DEADLINE, "a worker to find the host busy while the other crawls it")
        assert farm.peaks() == {host: PER_HOST_LIMIT}  # the held crawl's two
        for gate in gates:
            gate.set()
        ids = {s.id for s in farm.sources}
        wait_for(lambda: finished(board, workers, ids), DEADLINE, "every source of the host")

        assert farm.peaks() == {host: PER_HOST_LIMIT}
        spans = sorted((r.started_at, r.finished_at) for r in runs(board))
        assert len(spans) == 3
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))  # one at a time
        assert postings_by_source(board) == {source_id: 10 for source_id in ids}
