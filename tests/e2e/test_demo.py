"""`rcjobs demo`: a fresh instance crawls the bundled demo sites and serves a searchable board."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(url: str) -> dict:
    """GET a JSON document over loopback."""
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def wait_for(url: str, process: subprocess.Popen, deadline: float) -> dict:
    """Poll until the URL answers, the process dies, or the deadline passes."""
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"demo exited early with {process.returncode}")
        try:
            return get_json(url)
        except OSError as exc:
            last_error = exc
            time.sleep(0.2)  # polling interval, bounded by the deadline
    raise AssertionError(f"demo did not answer {url} in time: {last_error}")


def test_demo_serves_at_least_30_postings_from_3_institutions(instance: Path, tmp_path: Path):
    port = free_port()
    env = dict(os.environ, RCJOBS_DEMO_DIR=str(tmp_path / "demo"))
    log = (tmp_path / "demo.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "board.cli", "demo", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        everything = wait_for(f"{base}/api/v1/jobs?per_page=100", process, time.monotonic() + 180)
        assert everything["total"] >= 30
        institutions = {r["institution"] for r in everything["results"]}
        assert len(institutions) >= 3
        assert all(r["url"].startswith(f"{base}/jobs/") for r in everything["results"])
        searched = get_json(f"{base}/api/v1/jobs?q=research+software")
        assert 0 < searched["total"] < everything["total"]
        with urllib.request.urlopen(f"{base}/jobs?q=hpc", timeout=10) as response:
            page = response.read().decode()
        assert 'name="q"' in page and "hpc" in page
    finally:
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C, as a person stops it
        process.wait(timeout=30)
        log.close()
    output = (tmp_path / "demo.log").read_text()
    assert f"http://127.0.0.1:{port}/jobs" in output
    assert output.count("✓ demo-") >= 3
