"""Start-up to the first answer of `rcjobs serve`, this checkout against another, paired.

    RCJOBS_BENCH_START_BASELINE=/tmp/base RCJOBS_BENCH_START_ROUNDS=8 \\
        RCJOBS_BENCH_HTTP_DIR=/tmp/bhttp .venv/bin/python benchmarks/bench_start.py

Serves the instance bench_http.py prepared (RCJOBS_BENCH_HTTP_DIR, RCJOBS_BENCH_START_SIZE,
default 10000) with this checkout's code and, when RCJOBS_BENCH_START_BASELINE names another
checkout, with that one's, alternating, ROUNDS times each. A round: exec `rcjobs serve`, poll
/api/v1/jobs every 5 ms; reported: wall seconds until the port accepts (the master has loaded
the app and bound) and until the first 200, and the master's CPU seconds by then (from
/proc, which the machine's load changes less than the wall). Medians, minimums, ratios.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_http import RCJOBS, compile_bytecode
from benchlib import ROOT, median, table


def one_start(root: Path, instance: Path) -> tuple[float, float, float]:
    """(seconds to the bound port, seconds to the first 200, master CPU seconds by then)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "RCJOBS_INSTANCE_DIR": str(instance), "PYTHONPATH": str(root)}
    env["RCJOBS_ACCESS_LOG"] = "0"
    env.pop("RCJOBS_DATABASE_URL", None)
    env.pop("RCJOBS_INDEX_DIR", None)
    start = time.perf_counter()
    process = subprocess.Popen(
        [str(RCJOBS), "serve", "--port", str(port), "--workers", "3"], env=env, cwd="/",
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    bound = None
    try:
        while process.poll() is None and time.perf_counter() - start < 120:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.connect()
                bound = bound or time.perf_counter() - start
                conn.request("GET", "/api/v1/jobs?page=1")
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    answered = time.perf_counter() - start
                    fields = Path(f"/proc/{process.pid}/stat").read_text().rpartition(")")[2]
                    ticks = int(fields.split()[11]) + int(fields.split()[12])
                    return bound, answered, ticks / os.sysconf("SC_CLK_TCK")
            except OSError:
                pass
            time.sleep(0.005)
        raise SystemExit(f"{root}: no answer")
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait()


def main() -> None:
    size = os.environ.get("RCJOBS_BENCH_START_SIZE", "10000")
    base = Path(os.environ.get("RCJOBS_BENCH_HTTP_DIR") or tempfile.gettempdir())
    instance = base / f"rcjobs-bench-http-{size}"
    if not (instance / f"bench-ready-{size}").exists():
        raise SystemExit(f"{instance} is not prepared: run bench_http.py with this size first")
    rounds = int(os.environ.get("RCJOBS_BENCH_START_ROUNDS", "8"))
    roots = {"rcjobs": ROOT}
    if os.environ.get("RCJOBS_BENCH_START_BASELINE"):
        roots["baseline"] = Path(os.environ["RCJOBS_BENCH_START_BASELINE"]).resolve()
    for root in roots.values():
        compile_bytecode(root)
    found: dict[str, list[tuple[float, float, float]]] = {name: [] for name in roots}
    loads = []
    for _ in range(rounds):
        for name, root in roots.items():
            found[name].append(one_start(root, instance))
            loads.append(os.getloadavg()[0])
    rows: list[list[object]] = []
    for name, runs in found.items():
        bound, answered, cpu = (sorted(column) for column in zip(*runs, strict=True))
        row = [size, name, median(answered), answered[0], median(bound), median(cpu), cpu[0]]
        ratio = ""
        if name != "rcjobs":
            mine = [sorted(column) for column in zip(*found["rcjobs"], strict=True)]
            ratio = (
                f"{median(mine[1]) / median(answered):.2f} / {median(mine[2]) / median(cpu):.2f}"
            )
        rows.append([*row, ratio])
    header = ["postings", "code", "first answer s (median)", "min", "bound s", "master CPU s",
              "min CPU", "rcjobs/this wall/CPU"]  # fmt: skip
    print(table(header, rows))
    print(f"{rounds} rounds each, alternating; load average {min(loads):.1f}-{max(loads):.1f}")


if __name__ == "__main__":
    sys.exit(main())
