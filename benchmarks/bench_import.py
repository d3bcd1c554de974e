"""Import benchmark: `rcjobs import` throughput on SQLite and PostgreSQL, and how soon the first
imported posting is searchable while the import still runs.

    .venv/bin/python benchmarks/bench_import.py
    RCJOBS_BENCH_IMPORT_SIZE=5000 RCJOBS_BENCH_REPEATS=3 .venv/bin/python benchmarks/bench_import.py

Each run starts from an empty database (a fresh SQLite file, or a fresh PostgreSQL schema when
RCJOBS_BENCH_POSTGRES_URL or RCJOBS_TEST_POSTGRES_URL is set) and runs the real console script
on synthetic postings from generate.py. Reported, as medians over the runs:

- postings/s: records imported per second of the whole command (interpreter start included);
- first hit: seconds from starting `rcjobs import` until a search (from this process, on the
  index directory) finds the file's first posting;
- "2 at once": two imports of half the records each, started together (combined postings/s);
- CPU s: user + system seconds of the whole process tree (the import's normalizer workers and
  index follower included), which the machine's load does not change;
- per CPU s: postings per CPU second.

With RCJOBS_BENCH_BASELINE set to a checkout of other code (e.g. `git archive main` unpacked),
each run is made again with that code first on PYTHONPATH, in the same rounds ("baseline"
rows), so before and after are measured side by side. RCJOBS_INGEST_WORKERS (1: everything in
one process) is passed through. The load average is printed before and after.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import benchlib
from benchlib import children_cpu, loadavg, median, table
from generate import raw_records

from search_index import SearchIndex, SearchRequest

RCJOBS = Path(sys.executable).with_name("rcjobs")
POLL = 0.02


def size() -> int:
    """Records per import (RCJOBS_BENCH_IMPORT_SIZE, default 2000)."""
    return int(os.environ.get("RCJOBS_BENCH_IMPORT_SIZE", "2000"))


def postgres_url() -> str | None:
    """The PostgreSQL server to measure on, if any."""
    return os.environ.get("RCJOBS_BENCH_POSTGRES_URL") or os.environ.get("RCJOBS_TEST_POSTGRES_URL")


class Database:
    """An empty database for one run: a SQLite file, or a PostgreSQL schema dropped after."""

    def __init__(self, backend: str, folder: Path) -> None:
        self.backend, self.folder, self.schema = backend, folder, None
        if backend == "sqlite":
            self.url = f"sqlite:///{folder / 'rcjobs.db'}"
            return
        from sqlalchemy import text

        from board.db import make_engine

        self.schema = f"bench_{uuid.uuid4().hex[:12]}"
        base = postgres_url() or ""
        self.admin = make_engine(base)
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.schema}"'))
        sep = "&" if "?" in base else "?"
        self.url = f"{base}{sep}options=-csearch_path%3D{self.schema}"

    def drop(self) -> None:
        """Remove what the run made."""
        if self.schema is not None:
            from sqlalchemy import text

            with self.admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE'))
            self.admin.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)


def environment(folder: Path, url: str, baseline: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RCJOBS_")}
    env.update(
        RCJOBS_INSTANCE_DIR=str(folder),
        RCJOBS_DATABASE_URL=url,
        RCJOBS_INDEX_DIR=str(folder / "index"),
        RCJOBS_SECRET_KEY="bench",  # noqa: S106 - a throwaway instance
    )
    if os.environ.get("RCJOBS_INGEST_WORKERS"):
        env["RCJOBS_INGEST_WORKERS"] = os.environ["RCJOBS_INGEST_WORKERS"]
    if baseline:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (baseline, env.get("PYTHONPATH")) if p)
    return env


def write(path: Path, records: list[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    return path


def first_hit(index_dir: Path, title: str, process: subprocess.Popen[bytes], start: float) -> float:
    """Seconds from `start` until the index finds the title's marker word (nan: never)."""
    index = SearchIndex(index_dir)
    request = SearchRequest(q=title.split()[-1], status="all", relevant="all", per_page=5)
    while True:
        try:
            if index.exists() and index.search(request).total:
                return time.perf_counter() - start
        except OSError:
            pass  # a generation swapped out under the reader: look again
        if process.poll() is not None:
            return float("nan")
        time.sleep(POLL)


def one_run(
    backend: str, records: list[dict[str, object]], together: int, baseline: str | None = None
) -> dict[str, float]:
    """Import the records (split over `together` processes); elapsed seconds and first hit."""
    folder = Path(tempfile.mkdtemp(prefix=f"rcjobs-bench-import-{backend}-"))
    database = Database(backend, folder)
    try:
        env = environment(folder, database.url, baseline)
        subprocess.run([str(RCJOBS), "init"], env=env, check=True, capture_output=True)
        share = len(records) // together
        files = [
            write(folder / f"part{n}.jsonl", records[n * share : (n + 1) * share])
            for n in range(together)
        ]
        cpu = children_cpu()
        start = time.perf_counter()
        processes = [
            subprocess.Popen(
                [str(RCJOBS), "import", str(f)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for f in files
        ]
        hit = first_hit(folder / "index", str(records[0]["title"]), processes[0], start)
        for process in processes:
            _, err = process.communicate()
            if process.returncode != 0:
                raise RuntimeError(f"import failed: {err.decode()[-500:]}")
        elapsed = time.perf_counter() - start
        used = children_cpu() - cpu
        return {
            "elapsed": elapsed,
            "rate": share * together / elapsed,
            "hit": hit,
            "cpu": used,
            "per_cpu": share * together / used,
        }
    finally:
        database.drop()


def main() -> None:
    """Measure and print the table."""
    count, runs = size(), benchlib.repeats()
    records = raw_records(count)
    for n, record in enumerate(records):  # a marker word per title, to find the first exactly
        record["title"] = f"{record['title']} bench{n:06d}"
    backends = ["sqlite"] + (["postgresql"] if postgres_url() else [])
    if not postgres_url():
        print("PostgreSQL skipped: set RCJOBS_BENCH_POSTGRES_URL (or RCJOBS_TEST_POSTGRES_URL)")
    baseline = os.environ.get("RCJOBS_BENCH_BASELINE") or None
    codes = [("this", None)] + ([("baseline", baseline)] if baseline else [])
    print(f"{count:,} synthetic postings per import, {runs} run(s) each", flush=True)
    print(f"load average before: {loadavg()}", flush=True)
    rows = []
    for backend in backends:
        for together in (1, 2):
            results: dict[str, list[dict[str, float]]] = {name: [] for name, _ in codes}
            for _ in range(runs):  # in rounds: this code, then the baseline
                for name, path in codes:
                    results[name].append(one_run(backend, records, together, path))
            for name, _ in codes:
                done = results[name]
                rows.append(
                    [
                        backend,
                        ("1 import" if together == 1 else "2 at once")
                        + ("" if name == "this" else ", baseline"),
                        count,
                        median([r["elapsed"] for r in done]),
                        median([r["rate"] for r in done]),
                        median([r["hit"] for r in done]),
                        median([r["cpu"] for r in done]),
                        median([r["per_cpu"] for r in done]),
                    ]
                )
                print(table(HEADERS, rows[-1:]).splitlines()[-1], flush=True)
    print(f"load average after: {loadavg()}")
    print()
    print(table(HEADERS, rows))


HEADERS = [
    "database",
    "mode",
    "postings",
    "median s",
    "postings/s",
    "first hit s",
    "CPU s",
    "per CPU s",
]

if __name__ == "__main__":
    main()
