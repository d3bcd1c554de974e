"""Growth benchmark: 1,000 loopback career sites (10 postings each, on 50 hosts) crawled by two
`rcjobs worker` processes through the real broker, one crawl per host at a time.

    .venv/bin/python benchmarks/bench_growth.py
    RCJOBS_BENCH_GROWTH_SOURCES=100 .venv/bin/python benchmarks/bench_growth.py   # a quick run

The broker is RCJOBS_BENCH_BROKER_URL, else RCJOBS_TEST_BROKER_URL, else RCJOBS_BROKER_URL
(skipped with a message when none is set). The sites are demo.farm's (one loopback address per
host, 20 sources a host as in the full run; RCJOBS_BENCH_GROWTH_LATENCY seconds per response,
0.05 by default). Reports wall time, requests/s, each host's peak of requests in flight, and a
projection for 10,000 sources on N machines of two workers each.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from benchlib import ROOT, table

SOURCES = int(os.environ.get("RCJOBS_BENCH_GROWTH_SOURCES", "1000"))
PER_HOST = 20
POSTINGS = 10
WORKERS = 2
#: Crawls each worker runs at once (`rcjobs worker --concurrency`): RCJOBS_BENCH_GROWTH_CONCURRENCY.
CONCURRENCY = int(os.environ.get("RCJOBS_BENCH_GROWTH_CONCURRENCY", "1"))
LATENCY = float(os.environ.get("RCJOBS_BENCH_GROWTH_LATENCY", "0.05"))
DEADLINE = float(os.environ.get("RCJOBS_BENCH_GROWTH_DEADLINE", str(max(600, SOURCES * 6))))
TARGET = 10_000


def broker() -> str | None:
    for name in ("RCJOBS_BENCH_BROKER_URL", "RCJOBS_TEST_BROKER_URL", "RCJOBS_BROKER_URL"):
        if os.environ.get(name):
            return os.environ[name]
    return None


def main() -> int:
    url = broker()
    if not url:
        print("skipped: set RCJOBS_BENCH_BROKER_URL (or RCJOBS_TEST_BROKER_URL) to a broker")
        return 0
    from demo.farm import Farm

    hosts = max(2, round(SOURCES / PER_HOST))
    per_host = max(1, SOURCES // hosts)
    folder = Path(tempfile.mkdtemp(prefix="rcjobs-bench-growth-"))
    queue = f"rcjobs-bench-{uuid.uuid4().hex[:10]}"
    env = dict(
        os.environ,
        RCJOBS_INSTANCE_DIR=str(folder / "instance"),
        RCJOBS_DATABASE_URL=f"sqlite:///{folder / 'instance' / 'rcjobs.db'}",
        RCJOBS_INDEX_DIR=str(folder / "instance" / "index"),
        RCJOBS_SECRET_KEY="bench",  # noqa: S106 - a throwaway instance
        RCJOBS_BROKER_URL=url,
        RCJOBS_QUEUE=queue,
        RCJOBS_BUSY_RETRY_SECONDS="2",
        RCJOBS_WORKER_CRAWL_SETTINGS=(
            "AUTOTHROTTLE_ENABLED=False,DOWNLOAD_DELAY=0,RETRY_TIMES=0,CONCURRENT_REQUESTS_PER_DOMAIN=2"
        ),
    )
    os.environ.update(env)  # this process reads the same database
    workers: list[subprocess.Popen[bytes]] = []
    farm = Farm(hosts=hosts, per_host=per_host, postings=POSTINGS, latency=LATENCY).start()
    try:
        rcjobs = [sys.executable, "-m", "board.cli"]
        subprocess.run([*rcjobs, "init"], env=env, cwd=ROOT, check=True, capture_output=True)
        registry = farm.registry(folder / "sources.toml")
        print(
            f"{len(farm.sources)} sources ({POSTINGS} postings each) on {hosts} loopback hosts,"
            f" {WORKERS} workers × {CONCURRENCY} crawls at once, {LATENCY:.2f} s per response"
        )
        for n in range(WORKERS):
            log = (folder / f"worker{n}.log").open("wb")
            workers.append(
                subprocess.Popen(  # noqa: S603
                    [
                        *rcjobs,
                        "worker",
                        "--name",
                        f"bench{n}@growth",
                        "--concurrency",
                        str(CONCURRENCY),
                        "--loglevel",
                        "WARNING",
                    ],
                    env=env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        started = time.monotonic()
        subprocess.run(
            [*rcjobs, "schedule", "--sources", str(registry), "--now"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        done = wait_for_all(farm, started)
        wall = time.monotonic() - started
        report(farm, done, wall)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        farm.stop()
        delete_queue(url, queue)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


def finished_sources() -> int:
    from sqlalchemy import func, select

    from board.models import RUN_SUCCESS, CrawlRun
    from board.services import Board

    board = Board()
    try:
        with board.read_session() as session:
            return int(
                session.scalar(
                    select(func.count(func.distinct(CrawlRun.source_id))).where(
                        CrawlRun.outcome == RUN_SUCCESS
                    )
                )
                or 0
            )
    finally:
        board.engine.dispose()


def wait_for_all(farm, started: float) -> int:  # noqa: ANN001 - a demo.farm.Farm
    total = len(farm.sources)
    done = last = 0
    while done < total and time.monotonic() - started < DEADLINE:
        time.sleep(2)
        done = finished_sources()
        if done - last >= max(total // 10, 1):
            print(f"  {done}/{total} sources after {time.monotonic() - started:.0f} s", flush=True)
            last = done
    if done < total:
        print(f"  deadline reached: {done}/{total} sources crawled")
    return done


def report(farm, done: int, wall: float) -> None:  # noqa: ANN001 - a demo.farm.Farm
    requests = farm.total_requests()
    peaks = farm.peaks()
    per_source = wall / max(done, 1)  # wall seconds per source, the whole pool at work
    rate = done / wall  # sources per second with WORKERS workers on this machine
    print(
        table(
            ["sources", "wall s", "requests", "requests/s", "sources/min", "peak/host max"],
            [[done, wall, requests, requests / wall, rate * 60, max(peaks.values())]],
        )
    )
    print(
        f"per-host peak in flight: max {max(peaks.values())}, min {min(peaks.values())}"
        " (limit 2: CONCURRENT_REQUESTS_PER_DOMAIN, one crawl per host)"
    )
    rows = []
    for machines in (1, 2, 4, 8, 16):
        seconds = TARGET / (rate * machines)
        rows.append([machines, machines * WORKERS * CONCURRENCY, seconds / 60, seconds / 3600])
    print(f"projected for {TARGET:,} sources ({per_source:.2f} s of wall time a source here):")
    print(table(["machines", "crawls at once", "minutes", "hours"], rows))
    print(
        "  (linear in machines while hosts outnumber workers; a host's sources are crawled one"
        " at a time, so the busiest host bounds the total)"
    )


def delete_queue(url: str, queue: str) -> None:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=5) as connection:
            connection.default_channel.queue_delete(queue)
    except Exception as exc:  # noqa: BLE001 - cleanup only
        print(f"(could not delete queue {queue}: {exc})")


if __name__ == "__main__":
    sys.exit(main())
