"""Search benchmark: build, queries, facets, cache and updates, against SQLite FTS5 in one run.

    .venv/bin/python benchmarks/bench_search.py
    RCJOBS_BENCH_SIZES=10000 RCJOBS_BENCH_REPEATS=7 .venv/bin/python benchmarks/bench_search.py

Each query is timed RCJOBS_BENCH_REPEATS times; "warm" runs miss the result cache but reuse
the engine's per-segment data and posting cache; "cold" runs also start with an empty posting
cache (the first time any process sees those words).
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import benchlib
from benchlib import (
    FACETED,
    PHRASES,
    THREE_WORD,
    cpu_seconds,
    describe,
    median,
    pct,
    size_mb,
    table,
    timed,
)
from fts5 import Fts5Baseline
from generate import generate, open_share_for

from search_index import SearchIndex, SearchRequest


def _clear_results(ix: SearchIndex) -> None:
    with ix.searcher._results_lock:
        ix.searcher._results.clear()


def _clear_all(ix: SearchIndex) -> None:
    _clear_results(ix)
    ix.searcher.postings.clear()


def measure(size: int, workdir: Path) -> dict[str, Any]:
    """Every measurement for one corpus size."""
    runs = benchlib.repeats()
    print(f"\n=== {size:,} postings (open share {open_share_for(size):.0%}) ===", flush=True)
    start = time.perf_counter()
    docs = list(generate(size))
    print(f"generated in {time.perf_counter() - start:.1f}s", flush=True)

    ix = SearchIndex(workdir / f"whoosh-{size}")
    start, cpu_start = time.perf_counter(), cpu_seconds()
    ix.rebuild(docs, total=size)
    build_s = time.perf_counter() - start
    build_cpu = cpu_seconds() - cpu_start
    meta = ix.metadata()
    index_mb = size_mb(workdir / f"whoosh-{size}")
    print(
        f"whoosh rebuild: {build_s:.1f}s ({size / build_s:.0f}/s, {build_cpu:.1f} cpu-s); "
        f"live {meta['live']:,}, "
        f"archive {meta['archive']:,}; index {index_mb:.1f} MB",
        flush=True,
    )

    fts = Fts5Baseline(workdir / f"fts5-{size}.db")
    start = time.perf_counter()
    fts.build(docs)
    fts_build_s = time.perf_counter() - start
    print(f"fts5 build: {fts_build_s:.1f}s ({size / fts_build_s:.0f}/s)", flush=True)

    ix.search(SearchRequest())  # open the default view once, as a running server has
    ix.search(SearchRequest(status="all", relevant="all"))
    rows: list[list[object]] = []
    groups: dict[str, dict[str, list[float]]] = {}

    def bench(group: str, q: str, filters: dict[str, list[str]], status: str) -> None:
        request = SearchRequest(
            q=q, filters=filters, status=status, relevant="all" if status == "all" else "true"
        )
        cold = timed(lambda: ix.search(request), 1, lambda: _clear_all(ix))
        warm = timed(lambda: ix.search(request), runs, lambda: _clear_results(ix))
        base = timed(lambda: fts.search(q, filters, status=status), runs)
        fts_total = fts.search(q, filters, status=status)[0]
        stats = groups.setdefault(group, {"warm": [], "cold": [], "fts": []})
        stats["warm"] += warm
        stats["cold"] += cold
        stats["fts"] += base
        ratio = median(warm) / median(base)
        rows.append(
            [
                group,
                describe(q, filters),
                ix.search(request).total,
                fts_total,
                median(warm),
                cold[0],
                median(base),
                f"{ratio:.2f}",
            ]
        )

    for q in THREE_WORD:
        bench("3-word", q, {}, "open")
    for q, filters in FACETED:
        bench("faceted", q, filters, "open")
    for q, filters in FACETED[:6]:
        bench("faceted all", q, filters, "all")
    for q in THREE_WORD[:5]:
        bench("3-word all", q, {}, "all")
    for q in PHRASES:
        bench("phrase", q, {}, "open")

    print(
        table(
            ["group", "query", "hits", "fts5 hits", "ours ms", "cold ms", "fts5 ms", "ours/fts5"],
            rows,
        )
    )

    repeated = SearchRequest(q="hpc director", filters={"country": ["CA"]})
    ix.search(repeated)
    cached = timed(lambda: ix.search(repeated), 200)

    updates = []
    after_write = []
    for round_number in range(3):
        batch = [replace_title(doc, round_number) for doc in docs[round_number * 100 :][:100]]
        start = time.perf_counter()
        ix.update(batch)
        updates.append(time.perf_counter() - start)
        after_write += timed(lambda: ix.search(replace(repeated, page=1)), 1)
    fts.close()
    return {
        "size": size,
        "build_s": build_s,
        "build_cpu": build_cpu,
        "index_mb": index_mb,
        "fts_build_s": fts_build_s,
        "groups": groups,
        "cached_p95": pct(cached, 0.95),
        "update_s": median(updates),
        "after_write_ms": median(after_write),
    }


def replace_title(doc: dict[str, Any], round_number: int) -> dict[str, Any]:
    """A changed copy of a posting (an edit arriving from a crawl)."""
    return {**doc, "title": f"{doc['title']} (revised {round_number})"}


def summary(results: list[dict[str, Any]]) -> str:
    """The closing table: one column per size."""
    headers = ["measure"] + [f"{r['size']:,}" for r in results] + ["target"]
    targets_10k = {"rebuild s": "<= 60 (10k), <= 480 (100k)"}

    def row(label: str, fn: Any, target: str = "") -> list[object]:
        return [label] + [fn(r) for r in results] + [targets_10k.get(label, target)]

    def g(r: dict[str, Any], group: str, key: str, q: float) -> float:
        return pct(r["groups"][group][key], q)

    rows = [
        row("rebuild s", lambda r: r["build_s"]),
        row("build postings/s", lambda r: r["size"] / r["build_s"]),
        row("index MB", lambda r: r["index_mb"]),
        row("rebuild cpu-s (all processes)", lambda r: r["build_cpu"]),
        row("fts5 build postings/s", lambda r: r["size"] / r["fts_build_s"]),
        row("3-word p50 ms", lambda r: g(r, "3-word", "warm", 0.5)),
        row("3-word p95 ms", lambda r: g(r, "3-word", "warm", 0.95)),
        row("3-word cold p95 ms", lambda r: g(r, "3-word", "cold", 0.95)),
        row("3-word fts5 p50 ms", lambda r: g(r, "3-word", "fts", 0.5)),
        row("3-word fts5 p95 ms", lambda r: g(r, "3-word", "fts", 0.95)),
        row("faceted p50 ms", lambda r: g(r, "faceted", "warm", 0.5)),
        row(
            "faceted p95 ms", lambda r: g(r, "faceted", "warm", 0.95), "<= 50 (10k), <= 250 (100k)"
        ),
        row("faceted cold p95 ms", lambda r: g(r, "faceted", "cold", 0.95)),
        row("faceted fts5 p50 ms", lambda r: g(r, "faceted", "fts", 0.5)),
        row("faceted fts5 p95 ms", lambda r: g(r, "faceted", "fts", 0.95)),
        row("faceted status=all p95 ms", lambda r: g(r, "faceted all", "warm", 0.95)),
        row("phrase p50 ms", lambda r: g(r, "phrase", "warm", 0.5)),
        row("phrase cold p95 ms", lambda r: g(r, "phrase", "cold", 0.95)),
        row("faceted status=all fts5 p95", lambda r: g(r, "faceted all", "fts", 0.95)),
        row("3-word status=all p95 ms", lambda r: g(r, "3-word all", "warm", 0.95)),
        row("repeated query p95 ms", lambda r: r["cached_p95"], "<= 5"),
        row("update 100 s (median of 3)", lambda r: r["update_s"], "<= 2"),
        row("first search after write ms", lambda r: r["after_write_ms"]),
    ]
    for r in results:
        for group in ("3-word", "faceted"):
            ours = median(r["groups"][group]["warm"])
            base = median(r["groups"][group]["fts"])
            r[f"{group} ratio"] = ours / base
    rows.append(row("3-word ours/fts5 (medians)", lambda r: f"{r['3-word ratio']:.2f}"))
    rows.append(row("faceted ours/fts5 (medians)", lambda r: f"{r['faceted ratio']:.2f}"))
    return table(headers, rows)


def main() -> None:
    """Run every size and print the per-query tables and the summary."""
    workdir = Path(tempfile.mkdtemp(prefix="rcjobs-bench-"))
    try:
        results = [measure(size, workdir) for size in benchlib.sizes()]
        print("\n=== summary (ms unless noted; ours = result-cache miss) ===")
        print(summary(results))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
