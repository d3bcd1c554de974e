"""Operations benchmark: how soon a second web node's index follows a write, and how long
`rcjobs export`, `rcjobs import --all` and `rcjobs migrate --to` take for a whole database.

    .venv/bin/python benchmarks/bench_ops.py
    RCJOBS_BENCH_OPS_SIZE=5000 .venv/bin/python benchmarks/bench_ops.py

- follow: a posting is stored without indexing (as a crawl worker on another machine would);
  a second index directory's follower (board.follow, RCJOBS_FOLLOW_INTERVAL=1 s) must make it
  searchable there: seconds from the commit to the first search that finds it, 10 writes;
- export / import --all / migrate: the real console script on SQLite, with SIZE synthetic
  postings imported first (migrate to a fresh PostgreSQL schema when RCJOBS_TEST_POSTGRES_URL or
  RCJOBS_BENCH_POSTGRES_URL is set), rows per second of the whole command.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from benchlib import median, pct, table
from generate import raw_records

RCJOBS = Path(sys.executable).with_name("rcjobs")
WRITES = 10


def main() -> None:
    size = int(os.environ.get("RCJOBS_BENCH_OPS_SIZE", "2000"))
    folder = Path(tempfile.mkdtemp(prefix="rcjobs-bench-ops-"))
    env = dict(os.environ)
    env.update(
        RCJOBS_INSTANCE_DIR=str(folder / "instance"),
        RCJOBS_DATABASE_URL=f"sqlite:///{folder / 'instance' / 'rcjobs.db'}",
        RCJOBS_INDEX_DIR=str(folder / "instance" / "index"),
        RCJOBS_SECRET_KEY="bench",  # noqa: S106 - a throwaway instance
    )
    try:
        run(env, "init")
        records = folder / "records.jsonl"
        records.write_text("".join(json.dumps(r) + "\n" for r in raw_records(size)))
        run(env, "import", str(records), ok=(0, 1))
        follow_figures(env, folder)
        ops_figures(env, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run(env: dict[str, str], *args: str, ok: tuple[int, ...] = (0,)) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(RCJOBS), *args], env=env, capture_output=True, text=True)
    if done.returncode not in ok:
        sys.exit(f"rcjobs {' '.join(args)} failed: {done.stderr[-2000:]}")
    return time.perf_counter() - started


def follow_figures(env: dict[str, str], folder: Path) -> None:
    os.environ.update(env)
    from board import follow
    from board.config import load_settings
    from board.ingest import Ingest, RawRecord, SourceInfo
    from board.services import Board
    from search_index import SearchRequest

    writer = Board(load_settings())
    node = Board(dataclasses.replace(writer.settings, index_dir=folder / "node-b"))
    started = time.perf_counter()
    follower = follow.Follower(node, interval=follow.follow_interval()).start()
    while not node.index.exists():  # the node's first build from the database
        time.sleep(0.05)
    build = time.perf_counter() - started
    lags = []
    for n in range(WRITES):
        word = f"benchword{uuid.uuid4().hex[:8]}"
        raw = {
            "title": f"Director of Research Computing {word}",
            "institution": "McMaster University",
            "location": "Hamilton ON CA",
            "description": f"<p>Lead the {word} team.</p>",
            "url": f"https://careers.example.edu/bench/{n}",
        }
        Ingest(writer, index_every=None).batch([RawRecord(raw, n)], SourceInfo("bench"))
        committed = time.perf_counter()
        request = SearchRequest(q=word, status="all", relevant="all")
        while not node.index.search(request).hits:
            time.sleep(0.01)
        lags.append(time.perf_counter() - committed)
    follower.stop()
    print(f"follow: a node started empty built its index in {build:.2f}s")
    print(
        table(
            ["writes", "interval s", "median s", "p95 s", "max s"],
            [[WRITES, follower.interval, median(lags), pct(lags, 95), max(lags)]],
        )
    )


def ops_figures(env: dict[str, str], folder: Path) -> None:
    from board import export
    from board.config import load_settings
    from board.services import Board

    source = Board(load_settings())
    rows = sum(count for count, _ in export.digests(source.engine).values())
    backup = folder / "backup.jsonl"
    timings = [["export", rows, run(env, "export", str(backup))]]
    restored = dict(env, RCJOBS_DATABASE_URL=f"sqlite:///{folder / 'restored.db'}")
    restored["RCJOBS_INDEX_DIR"] = str(folder / "restored-index")
    timings.append(
        ["import --all (index rebuilt)", rows, run(restored, "import", "--all", str(backup))]
    )
    url = os.environ.get("RCJOBS_BENCH_POSTGRES_URL") or os.environ.get("RCJOBS_TEST_POSTGRES_URL")
    if url:
        timings.append(["migrate --to postgresql", rows, migrate(env, url)])
    else:
        print("migrate: set RCJOBS_TEST_POSTGRES_URL to time a move to PostgreSQL")
    print(
        table(
            ["command", "rows", "seconds", "rows/s"],
            [[name, n, seconds, n / seconds] for name, n, seconds in timings],
        )
    )


def migrate(env: dict[str, str], url: str) -> float:
    from sqlalchemy import text

    from board.db import make_engine

    schema = f"rcjobs_bench_{uuid.uuid4().hex[:10]}"
    admin = make_engine(url)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        sep = "&" if "?" in url else "?"
        return run(env, "migrate", "--to", f"{url}{sep}options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
