"""Faults: a full disk, a read-only database, processes killed mid-crawl. One clear line and an
exit status, nothing half-written, and what was committed stays whole."""

from __future__ import annotations

import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from board import crawlruns, indexing, postings
from board.accounts.security import _shared_file
from board.clock import utcnow
from board.ingest import BATCH_SIZE, FIRST_BATCH
from board.models import CrawlRun, Posting, PostingChange
from tests.board.test_crashes import KILLER
from tests.e2e.workday_site import SITE, TENANT, WorkdaySite, job, serve

TIMEOUT = 300


def write_jsonl(path: Path, count: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for n in range(count):
            record = {
                "title": f"HPC Operations Manager {n}",
                "institution": "McMaster University",
                "location": "Hamilton ON CA",
                "description": "<p>" + "Run the cluster with a team of engineers. " * 40 + "</p>",
                "url": f"https://careers.example.edu/hpc/{n}",
            }
            handle.write(json.dumps(record) + "\n")
    return path


def rcjobs(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "board.cli", *args],
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def one_clear_line(result: subprocess.CompletedProcess[str], code: int, start: str) -> str:
    """The command's last stderr line starts so, no traceback, and the exit status is `code`."""
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(start), last
    return last


# -- a full disk ----------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 3 MB tmpfs (mounting one needs root: elsewhere the test is skipped)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs to fill needs root")
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
        capture_output=True,
        text=True,
        check=False,
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_a_full_disk_stops_an_import_with_one_line_and_the_site_still_starts(
    small_disk: Path, tmp_path: Path, instance: Path
) -> None:
    env = dict(os.environ)
    folder = small_disk / "instance"
    env.update(
        RCJOBS_INSTANCE_DIR=str(folder),
        RCJOBS_DATABASE_URL=f"sqlite:///{folder / 'rcjobs.db'}",
        RCJOBS_INDEX_DIR=str(folder / "index"),
    )
    assert rcjobs("init", env=env).returncode == 0
    data = write_jsonl(tmp_path / "big.jsonl", 1500)

    full = rcjobs("import", str(data), env=env)
    line = one_clear_line(full, 2, "rcjobs: cannot write the database: the disk is full")
    stored = int(re.search(r"(\d+) record\(s\) were stored", line).group(1))
    assert 0 < stored < 1500  # whole batches (the first is smaller), nothing half-written
    assert stored >= FIRST_BATCH and (stored - FIRST_BATCH) % BATCH_SIZE == 0
    check = subprocess.run(
        [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
         "print(c.execute('pragma integrity_check').fetchone()[0],"
         " c.execute('select count(*) from postings').fetchone()[0],"
         " c.execute('select count(*) from postings p where p.version ="
         " (select max(id) from posting_changes c where c.posting_id = p.id)').fetchone()[0])",
         str(folder / "rcjobs.db")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert check.stdout.split() == ["ok", str(stored), str(stored)]

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "board.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/jobs", timeout=5) as page:
                    status = page.status
                    break
            except OSError:
                time.sleep(0.2)  # polling, bounded by the deadline
        assert status == 200, server.poll()
    finally:
        server.send_signal(signal.SIGINT)
        _, log = server.communicate(timeout=60)
    assert "rate limits counted per process" in log
    assert "Traceback" not in log, log[-3000:]

    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    assert rcjobs("index", env=env).returncode == 0
    again = rcjobs("import", str(data), env=env)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "imported 1500 record(s), 0 failed" in again.stdout
    assert rcjobs("index", "--check", env=env).returncode == 0


# -- a read-only database -------------------------------------------------------------------


def read_only_url(board) -> str:
    url = board.settings.database_url
    if url.startswith("sqlite:///"):
        return f"sqlite:///file:{url.removeprefix('sqlite:///')}?mode=ro&uri=true"
    return url + "%20-cdefault_transaction_read_only%3Don"  # inside the options= parameter


def test_a_read_only_database_refuses_an_import_with_one_line(any_board, tmp_path):
    data = write_jsonl(tmp_path / "some.jsonl", 3)
    assert rcjobs("import", str(data)).returncode == 0
    env = dict(os.environ, RCJOBS_DATABASE_URL=read_only_url(any_board))
    refused = rcjobs("import", str(write_jsonl(tmp_path / "more.jsonl", 5)), env=env)
    one_clear_line(refused, 2, "rcjobs: cannot write the database: the database is read-only")
    assert rcjobs("index", "--check", env=env).returncode == 0  # reading still works
    with any_board.read_session() as session:
        assert session.scalar(select(func.count(Posting.id))) == 3


# -- crawl runs of dead processes -----------------------------------------------------------


def dead_pid() -> int:
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True)  # fmt: skip
    return int(process.stdout)


def test_runs_of_dead_processes_are_interrupted_and_live_ones_elsewhere_kept(any_board):
    now = utcnow()
    here = crawlruns.this_host()
    with any_board.session() as session:
        postings.ensure_source(session, "src", "Somewhere", "jsonld", "https://x.test/")
        runs = {
            "dead here": CrawlRun(host=here, pid=dead_pid(), heartbeat_at=now),
            "mine": CrawlRun(host=here, pid=os.getpid(), heartbeat_at=now),
            "alive elsewhere": CrawlRun(host="worker-7", pid=1, heartbeat_at=now),
            "silent elsewhere": CrawlRun(
                host="worker-8", pid=1, heartbeat_at=now - crawlruns.STALE_AFTER * 2
            ),
            "from before hosts were kept": CrawlRun(started_at=now - crawlruns.STALE_AFTER * 2),
        }
        for run in runs.values():
            run.source_id, run.stats = "src", {}
            run.started_at = run.started_at or now
            session.add(run)
        session.flush()
        ids = {name: run.id for name, run in runs.items()}
    with any_board.session() as session:
        marked = crawlruns.recover_interrupted(session)
        assert {run.id for run in marked} == {
            ids["dead here"],
            ids["silent elsewhere"],
            ids["from before hosts were kept"],
        }
    with any_board.read_session() as session:
        outcomes = dict(session.execute(select(CrawlRun.id, CrawlRun.outcome)).all())
        assert outcomes[ids["mine"]] == outcomes[ids["alive elsewhere"]] == "running"
        assert outcomes[ids["dead here"]] == "interrupted"


#: KILLER, but what it kills is the crawl process, even when the function runs in the crawl's
#: storing child (board/storer.py), which then dies with it.
CRAWL_KILLER = KILLER.replace(
    "import importlib, os, signal, sys\n",
    "import importlib, os, signal, sys\nCRAWL = os.getpid()\n",
).replace("os.kill(os.getpid(), signal.SIGKILL)", "os.kill(CRAWL, signal.SIGKILL)")


@pytest.mark.slow
@pytest.mark.parametrize("store_process", ["0", "1"], ids=["in-process", "storing-child"])
def test_a_crawl_killed_mid_run_is_marked_interrupted_by_the_next_and_closes_nothing(
    board, tmp_path, store_process
):
    site = WorkdaySite(jobs=[job(i, f"Research Computing Lead {i}") for i in range(1, 61)])
    server, url = serve(site)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nid = "example-lab"\ninstitution = "Example National Laboratory"\n'
        f'platform = "workday"\nurl = "{url}/en-US/{SITE}"\ntenant = "{TENANT}"\n'
        f'site = "{SITE}"\n'
    )
    fast = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
    try:
        killed = subprocess.run(
            [sys.executable, "-c", CRAWL_KILLER, "board.ingest:SourceRun.add", "1", "after"]
            + ["crawl", "--sources", str(sources), *fast],
            env=dict(os.environ, RCJOBS_CRAWL_STORE_PROCESS=store_process),
            capture_output=True, text=True, timeout=TIMEOUT, check=False,
        )  # fmt: skip
        assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
        with board.read_session() as session:
            assert session.scalar(select(CrawlRun.outcome)) == "running"
            assert 0 < session.scalar(select(func.count(Posting.id))) < 60
        again = rcjobs("crawl", "--sources", str(sources), *fast)
        assert again.returncode == 0, again.stdout + again.stderr
    finally:
        server.shutdown()
        server.server_close()
    with board.read_session() as session:
        first, second = session.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert first.outcome == "interrupted" and "nothing closed" in first.message
        assert first.finished_at is not None and first.closed == 0
        assert first.items > 0  # counted in the batches' own transactions, before the kill
        assert (second.outcome, second.items, second.new) == ("success", 60, 60 - first.items)
        assert session.scalar(select(func.count(Posting.id))) == 60
        assert "close" not in session.scalars(select(PostingChange.kind)).all()
    indexing.catch_up(board)
    assert indexing.check(board).ok


# -- the rate-limit file --------------------------------------------------------------------


def test_rate_limits_fall_back_to_memory_when_their_file_cannot_be_made(tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="board.accounts.security"):
        assert _shared_file(blocker / "ratelimits.sqlite3") == "memory://"
    (warning,) = [r for r in caplog.records if r.name == "board.accounts.security"]
    assert "rate limits counted per process" in warning.getMessage()
