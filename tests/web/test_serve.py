"""`rcjobs serve` with several gunicorn workers on PostgreSQL answers right after start, no 5xx.

The app is built once in gunicorn's master (which catches the index up from the database) and
forked into the workers: nothing the master opened may be used by a worker.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest

from board.ingest import Ingest, RawRecord, SourceInfo

pytestmark = pytest.mark.slow
REQUESTS = 2000
CLIENTS = 16


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> int:
    """The status of a GET (an HTTP error's status too); 0 when nothing answered."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def seed(board) -> list[str]:
    records = [
        RawRecord(
            {
                "title": f"{role} of Research Computing {n}",
                "institution": ["McMaster University", "University of Toronto"][n % 2],
                "location": ["Hamilton ON CA", "Toronto ON CA"][n % 2],
                "description": f"<p>Lead research computing team {n}: HPC and data.</p>",
                "url": f"https://careers.example.edu/jobs/{n}",
            },
            n,
        )
        for n, role in enumerate(["Director", "Manager", "Team Lead"] * 10)
    ]
    return [o.public_id for o in Ingest(board, index_every=None).batch(records, SourceInfo("s"))]


@pytest.mark.parametrize("any_board", ["postgresql"], indirect=True)
def test_four_workers_answer_2000_requests_right_after_start_without_a_5xx(any_board, tmp_path):
    ids = seed(any_board)  # the index is not built yet: the master's start-up builds it
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "HOME": str(tmp_path)}  # where gunicorn's control socket would go
    env.pop("XDG_RUNTIME_DIR", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "board.cli", "serve", "--port", str(port), "--workers", "4"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while fetch(f"{base}/jobs") != 200:
            assert server.poll() is None, server.stderr.read()[-3000:]
            assert time.monotonic() < deadline, "serve did not answer in time"
            time.sleep(0.05)  # polling for the first answer, bounded by the deadline
        paths = [
            "/jobs",
            "/jobs?q=hpc&country=CA",
            f"/jobs/{ids[0]}",
            "/api/v1/jobs?q=research",
            f"/api/v1/jobs/{ids[1]}",
            "/institutions",
            "/institutions/mcmaster-university",
            "/api/v1/institutions",
            "/jobs/feed.atom",
            "/submit",
        ]
        urls = [base + paths[n % len(paths)] for n in range(REQUESTS)]
        with ThreadPoolExecutor(CLIENTS) as pool:
            statuses = Counter(pool.map(fetch, urls))
        control = list(tmp_path.rglob("gunicorn.ctl"))  # none: rcjobs turns it off
    finally:
        server.send_signal(signal.SIGINT)
        try:
            _, log = server.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            _, log = server.communicate()
    assert statuses == Counter({200: REQUESTS}), (statuses, log[-3000:])
    assert control == []
    assert "Traceback" not in log, log[-3000:]
