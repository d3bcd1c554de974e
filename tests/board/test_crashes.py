"""An import killed at any stage, then other writes: the index check sees the lag, `rcjobs index`
closes it, and no stored posting stays unsearchable (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from board import indexing, queries
from board.ingest import hide
from search_index import SearchRequest

pytestmark = pytest.mark.slow
TIMEOUT = 300

#: Runs `rcjobs ARGS...` and SIGKILLs itself on the Nth call of one function (before or after
#: it runs), as a crash, an OOM kill or a power cut would stop it there.
KILLER = r"""
import importlib, os, signal, sys

target, nth, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
module_name, _, attribute = target.partition(":")
owner = importlib.import_module(module_name)
*path, name = attribute.split(".")
for part in path:
    owner = getattr(owner, part)
real = getattr(owner, name)
calls = 0

def dying(*args, **kwargs):
    global calls
    calls += 1
    if calls == nth and when == "before":
        os.kill(os.getpid(), signal.SIGKILL)
    result = real(*args, **kwargs)
    if calls == nth and when == "after":
        os.kill(os.getpid(), signal.SIGKILL)
    return result

setattr(owner, name, dying)
from board.cli import main
main(sys.argv[4:], prog_name="rcjobs")
"""

STAGES = {
    # in the middle of the second batch, before it commits: that batch is simply not stored
    "mid-batch": ("board.postings:upsert_at", 150, "before"),
    # the first batch committed, killed before the index heard of it
    "after-commit": ("board.indexing:catch_up_quietly", 1, "before"),
    # documents written into the index, killed before its watermark moved
    "index-written": ("search_index.writer:IndexWriter._finish_write", 1, "before"),
    # every batch committed, killed before the final catch-up
    "before-final-index": ("board.ingest:Ingest.finish", 1, "before"),
}


def write_jsonl(path: Path, first: int, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(first, first + count):
            record = {
                "title": f"HPC Operations Manager {n}",
                "institution": "McMaster University",
                "location": "Hamilton ON CA",
                "description": f"<p>Run cluster number {n} with a team of engineers.</p>",
                "url": f"https://careers.example.edu/hpc/{n}",
            }
            handle.write(json.dumps(record) + "\n")
    return path


def killed(stage: str, *args: str) -> None:
    target, nth, when = STAGES[stage]
    result = subprocess.run(
        [sys.executable, "-c", KILLER, target, str(nth), when, *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == -signal.SIGKILL, (result.returncode, result.stderr[-2000:])


def rcjobs(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "board.cli", *args],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def searchable(board) -> set[str]:
    board.index.searcher.reset()
    result = board.index.search(SearchRequest(status="all", relevant="all", per_page=1000))
    return {hit.id for hit in result.hits}


def stored(board) -> set[str]:
    with board.read_session() as session:
        return {public_id for public_id, _, hidden in queries.iter_versions(session) if not hidden}


@pytest.mark.parametrize("stage", list(STAGES))
def test_a_killed_import_then_other_writes_leave_a_lag_that_index_check_reports_and_index_closes(
    any_board, tmp_path, stage
):
    assert rcjobs("import", str(write_jsonl(tmp_path / "seed.jsonl", 0, 5))).returncode == 0
    killed(stage, "import", str(write_jsonl(tmp_path / "big.jsonl", 100, 160)))
    # Other writes after the crash, whose index step dies too: an import, an editor action.
    killed("after-commit", "import", str(write_jsonl(tmp_path / "more.jsonl", 500, 20)))
    with any_board.session() as session:
        hide(session, queries.get_posting(session, sorted(stored(any_board))[0]), True)

    report = rcjobs("index", "--check")
    assert report.returncode == 1, report.stdout + report.stderr
    assert "index lags" in report.stdout
    assert stored(any_board) - searchable(any_board)  # some stored postings are not searchable

    caught_up = rcjobs("index")
    assert caught_up.returncode == 0, caught_up.stderr
    assert rcjobs("index", "--check").returncode == 0
    assert searchable(any_board) == stored(any_board)
    assert len(stored(any_board)) >= 5 + 20 - 1


def test_the_site_starting_after_a_crash_catches_up(any_board, tmp_path):
    killed("after-commit", "import", str(write_jsonl(tmp_path / "big.jsonl", 0, 120)))
    assert not indexing.check(any_board).ok
    from board.app import create_app

    create_app({"TESTING": True, "CHECK_INDEX": True}, board=any_board)  # serve's start-up
    assert indexing.check(any_board).ok
    assert searchable(any_board) == stored(any_board)


def test_an_import_run_again_after_a_crash_stores_the_rest_once(any_board, tmp_path):
    data = write_jsonl(tmp_path / "big.jsonl", 0, 160)
    killed("mid-batch", "import", str(data))
    again = rcjobs("import", str(data))
    assert again.returncode == 0, again.stderr
    assert "imported 160 record(s), 0 failed" in again.stdout
    assert len(stored(any_board)) == 160
    assert indexing.check(any_board).ok
