"""The crawl's storing child (board/storer.py): batches stored in order, nothing acknowledged
lost when it dies, a run it could not finish closes nothing, and it dies with its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from board import crawlruns
from board.ingest import FAILED, NEW, UPDATED, Ingest, RawRecord, SourceInfo, Storer, StorerGone
from board.models import CrawlRun, Posting, PostingSource
from board.services import Board

SOURCE = SourceInfo("src", "McMaster University", "jsonld", "https://x.test/")


def raw(n: int, description: str | None = None) -> dict[str, Any]:
    """A raw record of the source."""
    return {
        "title": f"Research Computing Manager {n}",
        "institution": "McMaster University",
        "location": "Hamilton ON CA",
        "description": description or f"<p>Lead research computing team number {n}.</p>",
        "url": f"https://careers.example.edu/jobs/{n}",
        "source_id": f"job-{n}",
    }


def records(*raws: dict[str, Any]) -> list[RawRecord]:
    return [RawRecord(r, r["source_id"]) for r in raws]


def make_ingest(board: Board) -> Ingest:
    return Ingest(board, index_every=None)


@pytest.fixture
def storer(board: Board) -> Iterator[Storer]:
    forked = Storer.fork(board, make_ingest)
    yield forked
    forked.close()


def wait_until(check: Any, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_batches_are_stored_by_the_child_in_the_order_sent(board, storer) -> None:
    """The same posting in three batches: the last one sent is what is stored; the run's row
    carries the child's pid and the counts of every batch."""
    run = storer.run(SOURCE)
    run.start()
    first = run.add(records(raw(1), raw(2)))
    second = run.add(records(raw(1, "<p>second</p>")))
    third = run.add(records(raw(1, "<p>third</p>")))
    assert [o.status for o in first] == [NEW, NEW]
    assert [o.status for o in second + third] == [UPDATED, UPDATED]
    summary = run.finish(complete=True, failed=False)
    assert summary.outcome == "success" and summary.items == 4
    with board.read_session() as session:
        wanted = select(PostingSource).where(PostingSource.source_key == "job-1")
        link = session.scalars(wanted).one()
        assert "third" in str(link.raw["description"])
        crawl = session.scalars(select(CrawlRun)).one()
        assert crawl.pid == storer.pid != os.getpid()
    assert run.counts[NEW] == 2 and run.counts[UPDATED] == 2


def test_an_error_in_the_child_is_the_calls_error(storer) -> None:
    """A call the child cannot serve raises here; the child goes on serving."""
    run = storer.run(SOURCE)
    with pytest.raises(KeyError):
        run.add(records(raw(1)))  # no start: the child has no such run
    run.start()
    assert [o.status for o in run.add(records(raw(1)))] == [NEW]
    run.finish(complete=True, failed=False)


def test_a_killed_child_loses_nothing_acknowledged_and_its_run_is_not_successful(
    board, storer
) -> None:
    run = storer.run(SOURCE)
    run.start()
    run.add(records(raw(1), raw(2)))
    os.kill(storer.pid, signal.SIGKILL)
    with pytest.raises(StorerGone):
        run.add(records(raw(3)))
    with pytest.raises(StorerGone):
        run.finish(complete=True, failed=False)
    storer.close()  # reaps it
    with board.session() as session:
        assert crawlruns.recover_interrupted(session)  # the child's pid is gone
    with board.read_session() as session:
        keys = set(session.scalars(select(PostingSource.source_key)))
        outcome = session.scalars(select(CrawlRun.outcome)).one()
        statuses = set(session.scalars(select(Posting.status)))
    assert keys == {"job-1", "job-2"}
    assert outcome == "interrupted"
    assert statuses == {"open"}


def test_a_batch_the_crawl_counted_failed_makes_the_childs_run_close_nothing(board, storer):
    """The pipeline counts a batch failed when its answer never came (or the database
    refused it as a whole): the child's finish knows, so the run closes nothing."""
    for _ in range(2):
        run = storer.run(SOURCE)
        run.start()
        run.add(records(raw(1), raw(2)))
        assert run.finish(complete=True, failed=False, close_after=1).outcome == "success"
    run = storer.run(SOURCE)
    run.start()
    run.add(records(raw(1)))
    run.counts[FAILED] += 1  # what IngestPipeline._store_failed does
    summary = run.finish(complete=True, failed=False, close_after=1)
    assert summary.outcome == "partial" and summary.closed == 0
    with board.read_session() as session:
        assert set(session.scalars(select(Posting.status))) == {"open"}


CHILD = """
import os, signal, sys
from board.config import load_settings
from board.ingest import Ingest
from board.services import Board
from board.ingest import Storer

board = Board(load_settings())
storer = Storer.fork(board, lambda b: Ingest(b, index_every=None))
print(storer.pid, flush=True)
sys.stdin.readline()
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_child_dies_with_the_crawl_process(board) -> None:
    with subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as parent:
        assert parent.stdout is not None and parent.stdin is not None
        pid = int(parent.stdout.readline())
        assert crawlruns.process_alive(pid)
        parent.stdin.write("\n")
        parent.stdin.flush()
        parent.wait(timeout=20)
    assert parent.returncode == -signal.SIGKILL
    wait_until(lambda: not crawlruns.process_alive(pid))
