"""Several web nodes on one PostgreSQL, each with its own index, converge within seconds.

Real `rcjobs serve` processes (gunicorn, on loopback ports) and the real `rcjobs import` CLI:
a posting imported through one node's CLI is found by search on both nodes within 5 s, with
no rebuild; a node started with an empty index directory builds it and serves what exists.
Node A also serves metrics (summed over its two workers); node B logs JSON lines.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
CONVERGE = 5.0
START = 90.0
WORD = "quasarflux"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    """Status and body of a GET; (0, "") when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def node_env(base: dict[str, str], folder: Path, **extra: str) -> dict[str, str]:
    env = dict(base)
    env.update(
        RCJOBS_INSTANCE_DIR=str(folder),
        RCJOBS_INDEX_DIR=str(folder / "index"),
        RCJOBS_MAIL_DIR=str(folder / "mail"),
        **extra,
    )
    return env


class Node:
    """One `rcjobs serve` process and what it logged."""

    def __init__(self, env: dict[str, str], log: Path, workers: int) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.searches = 0
        with log.open("w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "board.cli", "serve", "--port", str(self.port)]
                + ["--workers", str(workers)],
                env=env,
                stdout=out,  # the access log
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_healthy(self, deadline: float) -> dict:
        while True:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            status, body = get(f"{self.base}/healthz")
            if status == 200:
                return json.loads(body)
            assert time.monotonic() < deadline, f"{self.base} not healthy: {status} {body}"
            time.sleep(0.1)  # polling for the node to come up, bounded by the deadline

    def total(self, word: str) -> int:
        self.searches += 1
        status, body = get(f"{self.base}/api/v1/jobs?q={word}&status=all&relevant=all")
        assert status == 200, body
        return json.loads(body)["total"]

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@contextmanager
def nodes(*specs: tuple[dict[str, str], Path, int]) -> Iterator[list[Node]]:
    started = [Node(*spec) for spec in specs]
    try:
        yield started
    finally:
        for node in started:
            node.stop()


def follower_pid(index_dir: Path) -> int | None:
    """The process holding the index folder's follow lock (from the kernel's lock table)."""
    inode = (index_dir / "follow.lock").stat().st_ino
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "FLOCK" in fields and fields[-3].rsplit(":", 1)[-1] == str(inode):
            return int(fields[-4])
    return None


def record(n: int) -> dict[str, str]:
    return {
        "title": f"Director of Research Computing {WORD.title()} {n}",
        "institution": "McMaster University",
        "location": "Hamilton ON CA",
        "description": f"<p>Lead the {WORD} research computing team.</p>",
        "url": f"https://careers.example.edu/jobs/{WORD}-{n}",
    }


def test_two_nodes_find_an_import_within_seconds_and_a_new_node_builds_its_index(
    pg_schema, tmp_path
):
    url = pg_schema()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("RCJOBS_", "PROMETHEUS_"))}
    base.update(RCJOBS_DATABASE_URL=url, RCJOBS_SECRET_KEY="test", RCJOBS_GAZETTEER_CACHE="0")
    env_a = node_env(base, tmp_path / "a", RCJOBS_METRICS="1")
    env_b = node_env(base, tmp_path / "b", RCJOBS_LOG_FORMAT="json")
    subprocess.run([sys.executable, "-m", "board.cli", "init"], env=env_a, check=True)

    with nodes((env_a, tmp_path / "a.log", 2), (env_b, tmp_path / "b.log", 1)) as (a, b):
        deadline = time.monotonic() + START
        a.wait_healthy(deadline)
        health = b.wait_healthy(deadline)
        assert health["database"] == {"status": "ok"}
        assert health["broker"] == {"status": "not configured"}
        assert a.total(WORD) == b.total(WORD) == 0

        file = tmp_path / "records.jsonl"
        file.write_text("\n".join(json.dumps(record(n)) for n in (1, 2)) + "\n")
        imported = subprocess.run(
            [sys.executable, "-m", "board.cli", "import", str(file)],
            env=env_a,
            capture_output=True,
            text=True,
        )
        assert imported.returncode == 0, imported.stderr
        written = time.monotonic()
        pending = {a.base: a, b.base: b}
        while pending:
            for node in list(pending.values()):
                if node.total(WORD) == 2:
                    del pending[node.base]
            assert time.monotonic() - written < CONVERGE, f"not converged: {list(pending)}"
            time.sleep(0.05)  # polling both nodes, bounded by the 5 s deadline

        # the worker that follows for node A is killed: another of its workers takes over, and
        # a write from elsewhere (another index folder, as a crawl machine's) still reaches A
        elected = follower_pid(tmp_path / "a" / "index")
        assert elected is not None and elected != a.process.pid
        os.kill(elected, signal.SIGKILL)
        env_x = node_env(base, tmp_path / "x")
        file.write_text(json.dumps(record(3)) + "\n")
        subprocess.run(
            [sys.executable, "-m", "board.cli", "import", str(file)], env=env_x, check=True
        )
        written = time.monotonic()
        while a.total(WORD) != 3 or b.total(WORD) != 3:
            assert time.monotonic() - written < CONVERGE, "not converged after the kill"
            time.sleep(0.05)  # polling both nodes, bounded by the 5 s deadline
        assert follower_pid(tmp_path / "a" / "index") not in (None, elected)

        # a third node, started on an empty index directory, builds it and serves what exists
        env_c = node_env(base, tmp_path / "c")
        assert not (tmp_path / "c" / "index").exists()
        with nodes((env_c, tmp_path / "c.log", 1)) as (c,):
            health = c.wait_healthy(time.monotonic() + START)
            assert health["index"]["lag_changes"] == 0
            assert c.total(WORD) == 3

        # node A's metrics add up its two workers; routes are URL rules, not raw paths
        status, text = get(f"{a.base}/metrics")
        assert status == 200
        line = re.search(
            r'^rcjobs_http_requests_total\{method="GET",route="/api/v1/jobs",status="200"\} (\S+)$',
            text,
            re.M,
        )
        assert line and float(line.group(1)) == a.searches, text[:3000]
        assert re.search(r"^rcjobs_search_duration_seconds_count (\S+)$", text, re.M)
        assert re.search(r'^rcjobs_postings\{status="open"\} 3\.0$', text, re.M), text[-2000:]
        assert re.search(r"^rcjobs_index_lag_changes 0\.0$", text, re.M)
        assert get(f"{b.base}/metrics")[0] == 404  # off unless RCJOBS_METRICS=1

    # node B logs JSON lines (the access log, one per request, with the request's fields)
    entries = [json.loads(line) for line in (tmp_path / "b.log").read_text().splitlines()]
    access = [e for e in entries if e.get("logger") == "gunicorn.access"]
    assert any(e["path"] == "/api/v1/jobs" and e["status"] == 200 for e in access), access[:5]
    assert all("duration_ms" in e and "time" in e for e in access)
