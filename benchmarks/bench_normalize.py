"""Throughput of the normalizer on the Research Computing Teams board postings.

Run: .venv/bin/python benchmarks/bench_normalize.py [--runs N] [--copies N]
Prints the median postings per second over several runs on one core (the first run, which
loads the gazetteer, is reported apart), with the trained relevance model scoring every
posting, and the share of the time the relevance decision takes. Reads ../shared/fixtures;
measures, never asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(os.environ.get("RCJOBS_SHARED_FIXTURES", REPO_ROOT.parent / "shared" / "fixtures"))


def load_postings() -> list[dict[str, object]]:
    """The board postings as raw records, the shape `rcjobs normalize` reads."""
    data = json.loads((FIXTURES / "datasets" / "rct-jobboard-jobs.json").read_text("utf-8"))
    return [
        {
            "title": job["title"],
            "institution": job["company"],
            "location": job["location"],
            "description": job["description"],
            "url": job["url"],
            "posted": job["posted"],
            "source": "rct-jobboard",
            "source_id": str(job["id"]),
        }
        for job in data["jobs"]
    ]


def clear_caches() -> None:
    """Forget per-string memos (institutions, spellings, dates), keeping the loaded gazetteer."""
    from board.normalize import dates, gazetteer, institution

    for func in (institution.canonical_institution, gazetteer.fold, gazetteer._fuzzy,
                 gazetteer.find_city, gazetteer.cities_named,
                 dates._dateparser):  # fmt: skip
        func.cache_clear()


def relevance_rate(postings: list[dict[str, object]]) -> float:
    """Postings per second of the relevance decision alone (model, description, vetoes)."""
    from board.normalize import roles

    start = time.perf_counter()
    for raw in postings:
        roles.classify(
            str(raw["title"]), str(raw["description"]), str(raw["institution"]),
            institution_type="university",
        )  # fmt: skip
    return len(postings) / (time.perf_counter() - start)


def run_once(postings: list[dict[str, object]], today: date, *, cold: bool = False) -> float:
    """Postings per second for one pass, each record serialized as the CLI would."""
    from board.normalize import normalize_record

    if cold:
        clear_caches()
    start = time.perf_counter()
    for raw in postings:
        json.dumps(normalize_record(raw, today=today), ensure_ascii=False)
    return len(postings) / (time.perf_counter() - start)


def run_cli(postings: list[dict[str, object]]) -> tuple[float, float]:
    """(wall, CPU) postings per second through `rcjobs normalize`, process start included."""
    import resource
    import subprocess

    lines = "".join(json.dumps(raw) + "\n" for raw in postings)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", "from board.cli import main; main()", "normalize"],
        input=lines, capture_output=True, text=True, check=True, cwd=REPO_ROOT,
    )  # fmt: skip
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return len(postings) / wall, len(postings) / cpu


def main() -> None:
    """Measure and print the median throughput."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--copies", type=int, default=1, help="passes over the postings per run")
    parser.add_argument(
        "--cli", type=int, default=0, metavar="N",
        help="also pipe N copies of the postings through `rcjobs normalize` (3 runs)",
    )  # fmt: skip
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))

    start = time.perf_counter()
    import board.normalize  # noqa: F401 -- timing the import the CLI pays

    import_seconds = time.perf_counter() - start
    from board.normalize.relevance import default_model, packaged_model_path

    start = time.perf_counter()
    model = default_model()
    model_seconds = time.perf_counter() - start
    postings = load_postings() * args.copies
    today = date(2026, 2, 10)
    first = run_once(postings, today)
    cold = [run_once(postings, today, cold=True) for _ in range(args.runs)]
    warm = [run_once(postings, today) for _ in range(args.runs)]
    print(f"postings per run: {len(postings)} ({len(postings) // args.copies} distinct)")
    print(f"import board.normalize: {import_seconds * 1000:.0f} ms")
    size = packaged_model_path().stat().st_size
    print(
        f"relevance model: {len(model.weights)} weights, {size:,} bytes, "
        f"loaded in {model_seconds * 1000:.1f} ms"
    )
    print(f"first run (loads the gazetteer): {first:.0f} postings/s")
    for label, rates in (("memo caches cleared", cold), ("memo caches warm", warm)):
        print(
            f"median of {args.runs} runs, {label}: {statistics.median(rates):.0f} postings/s "
            f"(min {min(rates):.0f}, max {max(rates):.0f})"
        )
    alone = [relevance_rate(postings) for _ in range(args.runs)]
    print(
        f"median of {args.runs} runs, relevance decision alone: "
        f"{statistics.median(alone):.0f} postings/s "
        f"({statistics.median(warm) / statistics.median(alone):.0%} of the normalizer's time)"
    )
    print(
        f"normalize with the model, postings/s/core (memo cleared): {statistics.median(cold):.0f}"
    )
    if args.cli:
        runs = [run_cli(load_postings() * args.cli) for _ in range(3)]
        print(
            f"rcjobs normalize, {len(postings) // args.copies * args.cli} lines, median of 3: "
            f"{statistics.median(r[0] for r in runs):.0f} postings/s wall, "
            f"{statistics.median(r[1] for r in runs):.0f} postings/s of CPU time "
            "(process start and imports included)"
        )


if __name__ == "__main__":
    main()
