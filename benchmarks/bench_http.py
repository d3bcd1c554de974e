"""HTTP benchmark: `rcjobs serve` under 8 concurrent clients on a realistic /api/v1/jobs mix.

    .venv/bin/python benchmarks/bench_http.py
    RCJOBS_BENCH_HTTP_SIZE=10000 RCJOBS_BENCH_HTTP_SECONDS=20 \
        .venv/bin/python benchmarks/bench_http.py

Imports synthetic postings with `rcjobs import`, rebuilds the index, starts `rcjobs serve` (the
production WSGI server) on a free loopback port, then measures: sequential faceted requests each
seen for the first time (uncached), the same request repeated (cached), and throughput and
latency of 8 concurrent clients. Skips with a message when the app or CLI is not there yet.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import benchlib
from benchlib import ROOT, median, pct, table
from generate import raw_records

RCJOBS = Path(sys.executable).with_name("rcjobs")
CLIENTS = 8
COUNTRIES = ["CA", "US", "GB", "DE", "AU", "CH"]
ROLES = ["director", "manager", "lead", "senior", "executive"]
TECHNICAL = ["hpc", "data", "cloud", "software", "ml"]
WORDS = [
    "hpc",
    "director",
    "research software",
    "data science",
    "cloud",
    "machine learning",
    "bioinformatics",
    "research computing",
    "manager",
    "gpu",
    "storage",
    "lead",
]


def missing_prerequisite() -> str | None:
    """Why the benchmark cannot run yet, or None."""
    try:
        from board.web import create_app  # noqa: F401
    except Exception as exc:  # noqa: BLE001 - any import failure means "not ready"
        return f"board.web.create_app is not importable ({exc.__class__.__name__}: {exc})"
    if not RCJOBS.exists():
        return f"{RCJOBS} is missing (pip install -e . first)"
    help_text = subprocess.run(
        [str(RCJOBS), "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    for command in ("import", "index", "serve", "init"):
        if command not in help_text:
            return f"`rcjobs {command}` is not there yet"
    return None


def prepare(size: int, instance: Path, env: dict[str, str]) -> None:
    """Database and index for `size` postings, reused between runs."""
    done = instance / f"bench-ready-{size}"
    if done.exists():
        return
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    subprocess.run([str(RCJOBS), "init"], env=env, check=True, capture_output=True)
    data = instance / "postings.jsonl"
    with open(data, "w", encoding="utf-8") as handle:
        for record in raw_records(size):
            handle.write(json.dumps(record) + "\n")
    start = time.perf_counter()
    result = subprocess.run(
        [str(RCJOBS), "import", str(data)], env=env, capture_output=True, text=True
    )
    print(
        f"import: {time.perf_counter() - start:.1f}s, exit {result.returncode}: "
        f"{result.stdout.strip()[-200:]}",
        flush=True,
    )
    start = time.perf_counter()
    subprocess.run([str(RCJOBS), "index", "--rebuild"], env=env, check=True, capture_output=True)
    print(f"index --rebuild: {time.perf_counter() - start:.1f}s", flush=True)
    done.write_text("ok")


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_ready(port: int, timeout: float = 180.0) -> bool:
    """Poll the API until it answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status, _ = get(
                http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/api/v1/jobs"
            )
            if status == 200:
                return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    """One GET on a keep-alive connection."""
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def request_mix(rng: random.Random) -> str:
    """One /api/v1/jobs URL of the realistic mix (default views dominate)."""
    params: list[tuple[str, str]] = []
    roll = rng.random()
    if roll < 0.6:  # the listing's default views: no query, zero to two filters
        for _ in range(rng.choice([0, 1, 1, 2])):
            name, values = rng.choice(
                [("country", COUNTRIES), ("role", ROLES), ("technical", TECHNICAL)]
            )
            params.append((name, rng.choice(values)))
    elif roll < 0.9:
        params.append(("q", rng.choice(WORDS)))
        if rng.random() < 0.5:
            params.append(("country", rng.choice(COUNTRIES)))
    else:
        params += [
            ("q", rng.choice(WORDS)),
            ("sort", rng.choice(["newest", "closing"])),
            ("page", str(rng.randint(1, 3))),
        ]
    return "/api/v1/jobs?" + urlencode(params)


def unique_faceted(count: int) -> list[str]:
    """Distinct faceted requests, each seen once (never in a result cache)."""
    out = []
    for i in range(count):
        params = [
            ("q", WORDS[i % len(WORDS)]),
            ("country", COUNTRIES[i % len(COUNTRIES)]),
            ("role", ROLES[(i // 6) % len(ROLES)]),
            ("page", str(1 + i // 60)),
        ]
        out.append("/api/v1/jobs?" + urlencode(params))
    return out


def sequential(port: int, paths: list[str]) -> list[float]:
    """Milliseconds for each path, one client."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    out = []
    for path in paths:
        start = time.perf_counter()
        status, _ = get(conn, path)
        out.append((time.perf_counter() - start) * 1000)
        if status != 200:
            raise RuntimeError(f"{path} answered {status}")
    return out


def concurrent(port: int, seconds: float) -> tuple[int, int, list[float]]:
    """(requests, errors, latencies ms) of CLIENTS threads for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(seed: int) -> None:
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.monotonic() < stop:
            path = request_mix(rng)
            start = time.perf_counter()
            try:
                status, _ = get(conn, path)
            except (OSError, http.client.HTTPException):
                status = 0
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append((time.perf_counter() - start) * 1000)
            if status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), errors[0], latencies


def main() -> None:
    """Prepare, serve, measure, print; skip when the app is not there yet."""
    reason = missing_prerequisite()
    if reason:
        print(f"bench_http skipped: {reason}")
        return
    size = int(os.environ.get("RCJOBS_BENCH_HTTP_SIZE", str(benchlib.sizes()[0])))
    seconds = float(os.environ.get("RCJOBS_BENCH_HTTP_SECONDS", "20"))
    instance = Path(tempfile.gettempdir()) / f"rcjobs-bench-http-{size}"
    env = {**os.environ, "RCJOBS_INSTANCE_DIR": str(instance), "PYTHONPATH": str(ROOT)}
    env.pop("RCJOBS_DATABASE_URL", None)
    env.pop("RCJOBS_INDEX_DIR", None)
    prepare(size, instance, env)
    port = free_port()
    server = subprocess.Popen(
        [str(RCJOBS), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        if not wait_ready(port):
            print("bench_http: the server did not answer within 180 s")
            return
        sequential(port, [request_mix(random.Random(i)) for i in range(50)])  # warm workers
        uncached = sequential(port, unique_faceted(120))
        repeated_path = "/api/v1/jobs?" + urlencode([("q", "hpc"), ("country", "CA")])
        sequential(port, [repeated_path] * 10)
        repeated = sequential(port, [repeated_path] * 200)
        count, errors, latencies = concurrent(port, seconds)
        rows = [
            ["postings", size, ""],
            ["faceted uncached p50 ms (1 client)", median(uncached), ""],
            ["faceted uncached p95 ms (1 client)", pct(uncached, 0.95), "<= 50"],
            ["repeated query p95 ms (1 client)", pct(repeated, 0.95), "<= 5"],
            [f"searches/s ({CLIENTS} clients, {seconds:.0f}s mix)", count / seconds, ">= 200"],
            ["mix p50 ms", median(latencies), ""],
            ["mix p95 ms", pct(latencies, 0.95), ""],
            ["mix p99 ms", pct(latencies, 0.99), ""],
            ["errors", errors, "0"],
        ]
        print(table(["measure (through rcjobs serve /api/v1/jobs)", "value", "target"], rows))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
