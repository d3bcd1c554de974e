"""Shared helpers for the benchmarks: sizes, the query mix, timing statistics, tables."""

from __future__ import annotations

import hashlib
import os
import pickle
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

THREE_WORD = [
    "research computing director",
    "hpc team lead",
    "research software engineering",
    "data science manager",
    "machine learning platform",
    "cloud infrastructure manager",
    "scientific computing lead",
    "bioinformatics team lead",
    "research data management",
    "gpu cluster operations",
    "senior research software",
    "digital research infrastructure",
    "kubernetes openstack cloud",
    "director data engineering",
    "computational biology lead",
]
# Quoted phrases: adjacent words in order, in titles (term pairs) and descriptions (positions).
PHRASES = [
    '"research computing"',
    '"team lead"',
    '"research software engineering"',
    '"data management"',
    '"cloud infrastructure"',
]
# (query, filters): the listing's default views (empty query, one or two filters) dominate.
FACETED: list[tuple[str, dict[str, list[str]]]] = [
    ("", {}),
    ("", {"country": ["CA"]}),
    ("", {"role": ["director"], "country": ["US"]}),
    ("", {"institution_type": ["national_lab"]}),
    ("", {"technical": ["hpc"], "remote": ["remote", "hybrid"]}),
    ("", {"region": ["CA-ON"]}),
    ("hpc director", {"country": ["CA"]}),
    ("research software", {"remote": ["remote"]}),
    ("data science", {"technical": ["data"], "country": ["GB"]}),
    ("cloud", {"region": ["US-CA"]}),
    ("machine learning", {"role": ["director", "manager"]}),
    ("bioinformatics", {"sector": ["health"]}),
]


def sizes() -> list[int]:
    """Corpus sizes from RCJOBS_BENCH_SIZES (default 10000,100000)."""
    raw = os.environ.get("RCJOBS_BENCH_SIZES", "10000,100000")
    return [int(part) for part in raw.split(",") if part.strip()]


def repeats() -> int:
    """Timed runs per query (RCJOBS_BENCH_REPEATS, default 5)."""
    return max(int(os.environ.get("RCJOBS_BENCH_REPEATS", "5")), 1)


def timed(
    fn: Callable[[], object], runs: int, before: Callable[[], None] | None = None
) -> list[float]:
    """Milliseconds of each run of fn (calling before() untimed first)."""
    out = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000.0)
    return out


def pct(samples: list[float], q: float) -> float:
    """The q-quantile (0..1) of samples, nearest-rank."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))
    return ordered[index]


def median(samples: list[float]) -> float:
    """The median."""
    return statistics.median(samples) if samples else float("nan")


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A plain-text table."""
    cells = [[_fmt(c) for c in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(lines)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}" if abs(value) >= 10 else f"{value:.2f}"
    return str(value)


def describe(query: str, filters: dict[str, list[str]]) -> str:
    """A short label for a query and its filters."""
    parts = [f'"{query}"' if query else "(all)"]
    parts += [f"{k}={'|'.join(v)}" for k, v in filters.items()]
    return " ".join(parts)


def cache_dir() -> Path:
    """Where generated corpora are kept between runs (RCJOBS_BENCH_CACHE, default /tmp)."""
    folder = Path(os.environ.get("RCJOBS_BENCH_CACHE") or tempfile.gettempdir())
    folder = folder / "rcjobs-bench-corpora"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cached(name: str, make: Callable[[], object]) -> object:
    """make(), pickled under cache_dir() by name and the generator's source (so a changed
    generator makes new corpora): 100k postings take a while to generate."""
    digest = hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest()[:12]
    path = cache_dir() / f"{name}-{digest}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own file, written just below
    except (OSError, EOFError, pickle.UnpicklingError):
        pass
    value = make()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with tmp.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
    return value


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (build workers, commands)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime + children_cpu()


def size_mb(folder: Path) -> float:
    """Bytes on disk of a folder (an index), in MB."""
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def loadavg() -> str:
    """The load average, as "1.00 0.50 0.25"."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
