"""A pool of real `rcjobs worker` processes on the test broker, and what the tests poll."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select

from board.models import CrawlRun, Posting
from board.services import Board
from demo.farm import wait_for
from tests.conftest import broker_url, redis_url
from tests.shared import REPO_ROOT

#: Settings for the crawls of the tests: no throttling or retries; the per-host limit stays.
FAST = "AUTOTHROTTLE_ENABLED=False,DOWNLOAD_DELAY=0,RETRY_TIMES=0,CONCURRENT_REQUESTS_PER_DOMAIN=2"
PER_HOST_LIMIT = 2


def broker_or_skip() -> str:
    """The test broker, or a skip naming the variable (a failure under CI)."""
    url = broker_url()
    if not url:
        pytest.skip("RCJOBS_TEST_BROKER_URL not set: the Celery worker tests need a real broker")
    return url


def redis_broker_or_skip() -> str:
    """The test Redis as a broker (its database 14: 15 is the rate-limit tests'), or a skip."""
    url = redis_url()
    if not url:
        pytest.skip("RCJOBS_TEST_REDIS_URL not set: the worker tests on a Redis broker skipped")
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path="/14"))


@dataclass
class Pool:
    """Worker processes (each in its own process group) sharing one queue and one database."""

    env: dict[str, str]
    folder: Path
    workers: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str, concurrency: int = 1) -> None:
        """Start `rcjobs worker` NAME; its crawls' output goes to FOLDER/NAME/."""
        logs = self.folder / name
        logs.mkdir(parents=True, exist_ok=True)
        env = dict(self.env, RCJOBS_WORKER_LOG_DIR=str(logs))
        with (self.folder / f"{name}.log").open("wb") as out:
            self.workers[name] = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "board.cli",
                    "worker",
                    "--name",
                    f"{name}@test",
                    "--concurrency",
                    str(concurrency),
                ],  # fmt: skip
                cwd=REPO_ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self, name: str) -> str:
        """What the worker printed."""
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def wait_ready(self, deadline: float = 120) -> None:
        """Poll until every worker says it is ready (or one died)."""
        for name, process in self.workers.items():

            def ready(name: str = name, process: subprocess.Popen[bytes] = process) -> bool:
                if process.poll() is not None:
                    raise AssertionError(f"worker {name} exited: {self.log(name)[-3000:]}")
                return " ready." in self.log(name)

            wait_for(ready, deadline, f"worker {name} to be ready")

    def crawled_by(self, name: str) -> set[str]:
        """The sources this worker crawled to the end (its crawl logs of exit code 0)."""
        return self.attempts(name, 0)

    def attempts(self, name: str, exit_code: int) -> set[str]:
        """The sources this worker's crawl attempts ended with this exit code for (75: busy)."""
        return {path.name.split(".")[0] for path in (self.folder / name).glob(f"*.{exit_code}.log")}

    def owner_of(self, pid: int) -> str:
        """The worker whose process group a (crawl) process belongs to."""
        group = os.getpgid(pid)
        return next(name for name, process in self.workers.items() if process.pid == group)

    def kill(self, name: str) -> None:
        """SIGKILL the worker and every process of its group (its pool, its crawl)."""
        process = self.workers[name]
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)

    def stop(self) -> None:
        """Stop every worker still running (warm shutdown, then kill)."""
        for process in self.workers.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.workers.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def rcjobs(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run an rcjobs command with the pool's environment."""
        return subprocess.run(
            [sys.executable, "-m", "board.cli", *args],
            cwd=REPO_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


@contextmanager
def pool(
    board: Board, folder: Path, lease_seconds: int = 60, broker: str = "rabbitmq"
) -> Iterator[Pool]:
    """A pool on the test broker (RabbitMQ, or Redis), with a queue of its own (other runs
    share the broker)."""
    url = redis_broker_or_skip() if broker == "redis" else broker_or_skip()
    env = dict(
        os.environ,
        RCJOBS_BROKER_URL=url,
        RCJOBS_QUEUE=f"rcjobs-test-{uuid.uuid4().hex[:10]}",
        RCJOBS_LEASE_SECONDS=str(lease_seconds),
        RCJOBS_BUSY_RETRY_SECONDS="2",
        RCJOBS_CRAWL_TIME_LIMIT="180",
        RCJOBS_WORKER_CRAWL_SETTINGS=FAST,
    )
    workers = Pool(env, folder)
    try:
        yield workers
    finally:
        workers.stop()
        _delete_queue(url, env["RCJOBS_QUEUE"])


def _delete_queue(url: str, queue: str) -> None:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=5) as connection:
            connection.default_channel.queue_delete(queue)
    except Exception:  # noqa: BLE001, S110 - cleaning up; the queue may never have existed
        pass


def runs(board: Board) -> list[CrawlRun]:
    """Every crawl run, oldest first."""
    with board.read_session() as session:
        return list(session.scalars(select(CrawlRun).order_by(CrawlRun.id)))


def postings_by_source(board: Board) -> dict[str, int]:
    """Stored postings per source (by their first source link's id prefix)."""
    with board.read_session() as session:
        titles = session.scalars(select(Posting.title)).all()
    counts: dict[str, int] = {}
    for title in titles:
        source_id = title.rsplit("(", 1)[-1].rstrip(")")
        counts[source_id] = counts.get(source_id, 0) + 1
    return counts


def open_postings(board: Board) -> int:
    """Open postings."""
    with board.read_session() as session:
        return int(session.scalar(select(func.count()).where(Posting.status == "open")) or 0)
