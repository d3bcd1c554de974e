"""Rebuild benchmark: a full index build, postings/s, beside SQLite FTS5 on the same documents,
the update of 100 postings on the built index, and the generations left on disk. The load
average is printed before and after: on a shared machine compare CPU seconds and ratios.

    .venv/bin/python benchmarks/bench_rebuild.py
    RCJOBS_BENCH_SIZES=10000 RCJOBS_BENCH_REPEATS=3 .venv/bin/python benchmarks/bench_rebuild.py

Corpora come from generate.py and are cached under /tmp (RCJOBS_BENCH_CACHE): 100k postings
take a minute to generate. For each size, reported as medians over RCJOBS_BENCH_REPEATS runs
(RCJOBS_BENCH_REBUILD_REPEATS overrides; default 3): the rebuild's wall and CPU seconds (all
processes), postings/s, the FTS5 and tantivy builds of the same documents (tantivy from the
bench extra; skipped with a note without it) and the ratios; then, on the
built index, `update` of 100 changed postings (median and worst of RCJOBS_BENCH_UPDATES
rounds, default 30, so a merge of big segments on a small commit would show; wall and CPU
seconds, as a loaded machine inflates the wall), and how many
generations are on disk once no searcher holds an old one.

With RCJOBS_BENCH_BASELINE set to a checkout of other code (e.g. `git archive main` unpacked),
each size's rebuilds and updates are measured again, right after, by the same script run with
that code first on PYTHONPATH ("baseline" rows), so before and after come from the same run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import benchlib
from benchlib import cpu_seconds, median, size_mb, table
from fts5 import Fts5Baseline
from generate import generate

from search_index import SearchIndex, SearchRequest

TARGETS = {10_000: (5.0, 0.1), 100_000: (60.0, 0.1)}

#: Set in the baseline's run of this script: measure only our index and print the figures as JSON.
CHILD = "RCJOBS_BENCH_REBUILD_CHILD"


def runs() -> int:
    """Rebuilds per size."""
    raw = os.environ.get("RCJOBS_BENCH_REBUILD_REPEATS") or os.environ.get("RCJOBS_BENCH_REPEATS")
    return max(int(raw or 3), 1)


def corpus(size: int) -> list[dict[str, Any]]:
    """The generated postings of one size (cached)."""
    found = benchlib.cached(f"postings-{size}", lambda: list(generate(size)))
    assert isinstance(found, list)
    return found


def measure(size: int, workdir: Path) -> dict[str, Any]:
    """Every measurement for one corpus size."""
    start = time.perf_counter()
    docs = corpus(size)
    print(f"\n=== {size:,} postings (corpus ready in {time.perf_counter() - start:.1f}s) ===")
    ours = measure_index(docs, workdir)
    return {**ours, **references(docs, workdir)}


def measure_index(docs: list[dict[str, Any]], workdir: Path) -> dict[str, Any]:
    """Rebuilds, updates and generations left of our index on the documents."""
    size = len(docs)
    ix = SearchIndex(workdir / f"index-{size}")
    walls, cpus = [], []
    for n in range(runs()):
        ix.search(SearchRequest(q="research computing"))  # a reader holding this generation
        start, cpu = time.perf_counter(), cpu_seconds()
        ix.rebuild(docs, total=size)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - cpu)
        print(f"rebuild {n + 1}: {walls[-1]:.2f}s, {cpus[-1]:.1f} cpu-s", flush=True)
    ix.search(SearchRequest(q="research computing"))  # the searcher moves to the new one
    left = len([p for p in ix.index_dir.glob("gen-*") if p.is_dir()])
    index_mb = size_mb(ix.index_dir)

    updates, update_cpus = [], []
    rounds = int(os.environ.get("RCJOBS_BENCH_UPDATES", "30"))
    for n in range(rounds):
        batch = [
            {**doc, "title": f"{doc['title']} (revised {n})"}
            for doc in docs[(n * 100) % size :][:100]
        ]
        start, cpu = time.perf_counter(), cpu_seconds()
        ix.update(batch)
        updates.append(time.perf_counter() - start)
        update_cpus.append(cpu_seconds() - cpu)
    found = ix.search(SearchRequest(q=f"revised {rounds - 1}", status="all", relevant="all"))
    assert found.total >= 100, found.total
    segments = sum(len(ix.searcher.state().part(part)) for part in ("live", "archive"))
    print(
        f"update of 100: median {median(updates):.3f}s ({median(update_cpus):.3f} cpu-s), "
        f"worst {max(updates):.3f}s ({max(update_cpus):.3f} cpu-s) over {rounds}; "
        f"{segments} segments after",
        flush=True,
    )
    return {
        "size": size,
        "wall": median(walls),
        "cpu": median(cpus),
        "update": median(updates),
        "update_worst": max(updates),
        "update_cpu": median(update_cpus),
        "generations": left,
        "index_mb": index_mb,
    }


def references(docs: list[dict[str, Any]], workdir: Path) -> dict[str, float]:
    """Median build seconds of SQLite FTS5 and tantivy (nan without the bench extra)."""
    size = len(docs)
    fts_dir = workdir / f"fts5-{size}"
    fts_dir.mkdir()
    fts_walls, tantivy_walls = [], []
    for n in range(min(runs(), 3)):
        fts = Fts5Baseline(fts_dir / f"{n}.db")
        start = time.perf_counter()
        fts.build(docs)
        fts_walls.append(time.perf_counter() - start)
        fts.close()
    shutil.rmtree(fts_dir, ignore_errors=True)
    print(f"fts5 build: {median(fts_walls):.2f}s", flush=True)
    try:
        import refapps
        import tantivy  # noqa: F401
    except ImportError:
        print("tantivy is not installed (pip install -e '.[bench]'): its reference is skipped")
        return {"fts": median(fts_walls), "tantivy": float("nan")}
    for n in range(min(runs(), 3)):
        folder = workdir / f"tantivy-{size}-{n}"
        start = time.perf_counter()
        refapps.build_tantivy(docs, folder)
        tantivy_walls.append(time.perf_counter() - start)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"tantivy build: {median(tantivy_walls):.2f}s", flush=True)
    return {"fts": median(fts_walls), "tantivy": median(tantivy_walls)}


def baseline(size: int, code: str) -> dict[str, Any]:
    """measure_index with the code at `code` first on PYTHONPATH, in a child process."""
    env = {**os.environ, CHILD: str(size)}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (code, env.get("PYTHONPATH")) if p)
    print(f"baseline ({code}):", flush=True)
    done = subprocess.run(
        [sys.executable, __file__], env=env, check=True, stdout=subprocess.PIPE, text=True
    )
    lines = done.stdout.splitlines()
    print("\n".join(lines[:-1]), flush=True)
    found: dict[str, Any] = json.loads(lines[-1])
    return found


def child(size: int) -> None:
    """The baseline's side (CHILD set): our index on one size, the figures as a JSON line."""
    workdir = Path(tempfile.mkdtemp(prefix="rcjobs-bench-rebuild-base-"))
    try:
        print(json.dumps(measure_index(corpus(size), workdir)), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


HEADERS = [
    "postings",
    "code",
    "rebuild s",
    "postings/s",
    "cpu-s",
    "fts5 s",
    "ours/fts5",
    "tantivy s",
    "ours/tantivy",
    "/baseline",
    "target s",
    "update 100 s",
    "update cpu-s",
    "worst s",
    "target s ",
    "generations",
    "index MB",
]


def row(
    r: dict[str, Any], code: str, refs: dict[str, Any], base: dict[str, Any] | None
) -> list[Any]:
    """One table row: our figures of one size, beside the references measured with them."""
    rebuild_target, update_target = TARGETS.get(r["size"], (float("nan"), float("nan")))
    return [
        r["size"],
        code,
        r["wall"],
        f"{r['size'] / r['wall']:,.0f}",
        r["cpu"],
        refs["fts"],
        f"{r['wall'] / refs['fts']:.2f}",
        refs["tantivy"],
        f"{r['wall'] / refs['tantivy']:.2f}",
        f"{r['wall'] / base['wall']:.2f}" if base else "",
        f"<= {rebuild_target:g}",
        f"{r['update']:.3f}",
        f"{r['update_cpu']:.3f}",
        f"{r['update_worst']:.3f}",
        f"<= {update_target:g}",
        r["generations"],
        r["index_mb"],
    ]


def main() -> None:
    """Run every size (and the baseline's, with RCJOBS_BENCH_BASELINE) and print the table."""
    if os.environ.get(CHILD):
        child(int(os.environ[CHILD]))
        return
    code = os.environ.get("RCJOBS_BENCH_BASELINE") or None
    workdir = Path(tempfile.mkdtemp(prefix="rcjobs-bench-rebuild-"))
    print(f"{runs()} rebuild(s) per size, {os.cpu_count()} cores, load {os.getloadavg()}")
    rows = []
    try:
        for size in benchlib.sizes():
            ours = measure(size, workdir)
            base = baseline(size, code) if code else None
            rows.append(row(ours, "this", ours, base))
            if base is not None:
                rows.append(row(base, "baseline", ours, None))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(table(HEADERS, rows))
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
