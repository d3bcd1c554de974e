"""HTTP benchmark: `rcjobs serve` against reference apps on the same documents, same run.

    .venv/bin/python benchmarks/bench_http.py
    RCJOBS_BENCH_HTTP_SIZES=10000,100000 RCJOBS_BENCH_HTTP_SECONDS=20 \\
        .venv/bin/python benchmarks/bench_http.py

Imports synthetic postings with `rcjobs import` and rebuilds the index (kept between runs in
RCJOBS_BENCH_HTTP_DIR, default the temp folder), exports the index's own documents to SQLite
FTS5 and tantivy (the bench extra; skipped with a note when it is not installed), then serves
each app with rcjobs serve's worker model (RCJOBS_WORKER_THREADS, RCJOBS_BENCH_HTTP_WORKERS)
(RCJOBS_BENCH_HTTP_APPS=plain,fts5,tantivy,rcjobs,rcjobs-log,baseline picks some;
RCJOBS_BENCH_HTTP_API_ONLY=1 leaves the /jobs rows out;
RCJOBS_BENCH_HTTP_BASELINE=/path/to/another/checkout serves that code too, in the same run, as
"baseline" rows: before/after side by side)
and drives it with CLIENTS concurrent keep-alive clients (in several processes) sending
never-repeating faceted searches, so no result cache answers. Reported: searches/s as ratios
to the references, latency, start-up to the first answer, memory per worker (USS and PSS from
/proc/PID/smaps_rollup) and the cold first search of a freshly forked worker.
"""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import benchlib
from benchlib import HERE, ROOT, median, pct, table
from generate import raw_records

RCJOBS = Path(sys.executable).with_name("rcjobs")
CLIENTS = int(os.environ.get("RCJOBS_BENCH_HTTP_CLIENTS", "8"))
CLIENT_PROCESSES = 4
COUNTRIES = ["CA", "US", "GB", "DE", "AU", "CH"]
ROLES = ["director", "manager", "lead", "senior", "executive"]
TECHNICAL = ["hpc", "data", "cloud", "software", "ml"]
REMOTE = ["remote", "hybrid", "onsite"]
WORDS = [
    "hpc",
    "director",
    "research",
    "software",
    "data",
    "science",
    "cloud",
    "machine",
    "learning",
    "bioinformatics",
    "computing",
    "manager",
    "gpu",
    "storage",
    "lead",
    "platform",
    "infrastructure",
    "engineering",
    "scientific",
    "team",
    "operations",
    "cluster",
    "kubernetes",
    "security",
    "budget",
    "genomics",
    "digital",
    "services",
    "architect",
    "head",
]
Query = tuple[str, dict[str, list[str]], int]


def missing_prerequisite() -> str | None:
    """Why the benchmark cannot run, or None."""
    if not RCJOBS.exists():
        return f"{RCJOBS} is missing (pip install -e . first)"
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
    print(f"import: {time.perf_counter() - start:.1f}s, exit {result.returncode}", flush=True)
    start = time.perf_counter()
    subprocess.run([str(RCJOBS), "index", "--rebuild"], env=env, check=True, capture_output=True)
    print(f"index --rebuild: {time.perf_counter() - start:.1f}s", flush=True)
    done.write_text("ok")


def compile_bytecode(root: Path) -> None:
    """Write the bytecode of the code served (as installing a wheel does): with
    PYTHONDONTWRITEBYTECODE set and an editable install, every start would compile it again."""
    folders = [str(root / name) for name in ("board", "search_index", "templates")]
    subprocess.run([sys.executable, "-m", "compileall", "-q", *folders], check=False,
                   capture_output=True)  # fmt: skip


def baseline_root() -> Path | None:
    """RCJOBS_BENCH_HTTP_BASELINE: a checkout whose rcjobs is served beside this one (its
    board/templates linked to its templates/, which an editable install maps elsewhere)."""
    raw = os.environ.get("RCJOBS_BENCH_HTTP_BASELINE")
    if not raw:
        return None
    root = Path(raw).resolve()
    link = root / "board" / "templates"
    if not link.exists() and (root / "templates").is_dir():
        link.symlink_to(Path("..") / "templates")
    return root


def index_documents(instance: Path) -> list[dict[str, Any]]:
    """The documents rcjobs indexed (the references get exactly these)."""
    cached = instance / "documents.jsonl"
    if cached.exists():
        return [json.loads(line) for line in cached.open(encoding="utf-8")]
    from board import queries
    from board.config import load_settings
    from board.services import Board
    from search_index.documents import posting_document

    os.environ["RCJOBS_INSTANCE_DIR"] = str(instance)
    board = Board(load_settings())
    with board.read_session() as session:
        docs = [posting_document(p) for p in queries.iter_postings(session)]
    docs = [d for d in docs if not d.get("hidden")]
    with cached.open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc, default=str) + "\n")
    return [json.loads(json.dumps(d, default=str)) for d in docs]


def build_references(instance: Path, docs: list[dict[str, Any]]) -> dict[str, Path | None]:
    """The FTS5 database and the tantivy index (None when tantivy is not installed)."""
    from fts5 import Fts5Baseline

    fts = instance / "ref-fts5.db"
    if not fts.exists():
        start = time.perf_counter()
        baseline = Fts5Baseline(fts)
        baseline.build(docs)
        baseline.close()
        print(f"fts5 build: {time.perf_counter() - start:.1f}s", flush=True)
    folder: Path | None = instance / "ref-tantivy"
    try:
        import tantivy  # noqa: F401
    except ImportError:
        print("tantivy is not installed (pip install -e '.[bench]'): its reference is skipped")
        folder = None
    if folder is not None and not (folder / "meta.json").exists():
        import refapps

        shutil.rmtree(folder, ignore_errors=True)
        start = time.perf_counter()
        refapps.build_tantivy(docs, folder)
        print(f"tantivy build: {time.perf_counter() - start:.1f}s", flush=True)
    return {"fts5": fts, "tantivy": folder}


def unique_queries(count: int, seed: int = 15) -> list[Query]:
    """Faceted searches, no two alike: words (none, one or two), zero to two filters, a page."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[Query] = []
    while len(out) < count:
        roll = rng.random()
        words = [] if roll < 0.35 else rng.sample(WORDS, 1 if roll < 0.75 else 2)
        filters: dict[str, list[str]] = {}
        for _ in range(rng.choice([0, 1, 1, 2])):
            name, values = rng.choice(
                [
                    ("country", COUNTRIES),
                    ("role", ROLES),
                    ("technical", TECHNICAL),
                    ("remote", REMOTE),
                ]
            )
            filters[name] = [rng.choice(values)]
        page = rng.choice([1, 1, 1, 2, 3, 4, 5]) + (rng.randint(0, 40) if roll < 0.05 else 0)
        query = (" ".join(words), filters, page)
        key = json.dumps(query, sort_keys=True)
        if key not in seen:
            seen.add(key)
            out.append(query)
    return out


def path_for(prefix: str, query: Query) -> str:
    """The URL of a search on an app: prefix is /api/v1/jobs, /jobs or /search."""
    q, filters, page = query
    params = [("q", q)] if q else []
    params += [(name, value) for name, values in filters.items() for value in values]
    params.append(("page", str(page)))
    return f"{prefix}?{urlencode(params)}"


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    """One GET on a keep-alive connection."""
    conn.request("GET", path)
    response = conn.getresponse()
    return response.status, response.read()


def wait_first_answer(
    port: int, path: str, process: subprocess.Popen[bytes], timeout: float
) -> float:
    """Seconds until the server answers 200 (polled every 5 ms), or inf."""
    start = time.perf_counter()
    deadline = start + timeout
    while time.perf_counter() < deadline and process.poll() is None:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            status, _ = get(conn, path)
            conn.close()
            if status == 200:
                return time.perf_counter() - start
        except OSError:
            pass
        time.sleep(0.005)
    return float("inf")


def _client_process(port: int, paths: list[str], seconds: float, threads: int, out: Any) -> None:
    import threading

    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(mine: list[str]) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        done = []
        for path in mine:
            if time.monotonic() >= stop:
                break
            start = time.perf_counter()
            try:
                status, _ = get(conn, path)
            except (OSError, http.client.HTTPException):
                status = 0
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            done.append((time.perf_counter() - start) * 1000)
            if status != 200:
                with lock:
                    errors[0] += 1
        with lock:
            latencies.extend(done)

    workers = [threading.Thread(target=client, args=(paths[i::threads],)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    out.put((latencies, errors[0]))


def load(port: int, paths: list[str], seconds: float) -> tuple[float, list[float], int]:
    """(searches/s, latencies ms, errors) of CLIENTS clients, each path sent at most once."""
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    processes = min(CLIENT_PROCESSES, CLIENTS)
    threads = max(CLIENTS // processes, 1)
    children = [
        context.Process(
            target=_client_process, args=(port, paths[i::processes], seconds, threads, out)
        )
        for i in range(processes)
    ]
    start = time.perf_counter()
    for child in children:
        child.start()
    results = [out.get() for _ in children]
    elapsed = time.perf_counter() - start
    for child in children:
        child.join()
    latencies = [ms for found, _ in results for ms in found]
    if len(latencies) >= len(paths) * 0.98:
        print(f"warning: the {len(paths)} unique queries ran out before {seconds:.0f}s")
    return len(latencies) / elapsed, latencies, sum(errors for _, errors in results)


def memory(pid: int) -> dict[str, float]:
    """MB of the master and the mean of its workers: RSS, PSS and USS (private pages)."""

    def rollup(one: int) -> dict[str, float]:
        values: dict[str, float] = {}
        try:
            text = Path(f"/proc/{one}/smaps_rollup").read_text()
        except OSError:
            return {"rss": 0.0, "pss": 0.0, "uss": 0.0}
        for line in text.splitlines()[1:]:
            name, _, rest = line.partition(":")
            values[name.strip()] = float(rest.split()[0]) / 1024
        uss = values.get("Private_Clean", 0.0) + values.get("Private_Dirty", 0.0)
        return {"rss": values.get("Rss", 0.0), "pss": values.get("Pss", 0.0), "uss": uss}

    try:
        children = [
            int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split() if c
        ]
    except OSError:
        children = []
    workers = [rollup(child) for child in children]
    out = {f"master {k}": v for k, v in rollup(pid).items()}
    for key in ("rss", "pss", "uss"):
        out[f"worker {key}"] = sum(w[key] for w in workers) / max(len(workers), 1)
    out["workers"] = float(len(workers))
    return out


def server_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a server's master and its workers: divided
    by the searches served, the cost of one search, which the machine's load barely changes."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(one: int) -> float:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime

    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return used(pid) + sum(used(int(child)) for child in children)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's process group, SIGKILL if it lingers."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def run_server(
    name: str,
    command: list[str],
    env: dict[str, str],
    runs: list[tuple[str, Callable[[Query], str]]],
    queries: list[Query],
    seconds: float,
) -> list[dict[str, Any]]:
    """Start a server, time its first answer, load it once per (label, url maker), stop it."""
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    try:
        startup = wait_first_answer(port, runs[0][1](("", {}, 1)), process, 180.0)
        if startup == float("inf"):
            print(f"{name}: no answer within 180 s; skipped")
            return []
        out = []
        for label, make in runs:
            paths = [make(q) for q in queries]
            cpu = server_cpu(process.pid)
            rate, latencies, errors = load(port, paths, seconds)
            cpu = server_cpu(process.pid) - cpu
            out.append(
                {
                    "name": label,
                    "rate": rate,
                    "p50": median(latencies),
                    "p95": pct(latencies, 0.95),
                    "errors": errors,
                    "cpu ms": 1000 * cpu / max(len(latencies), 1),
                    "startup": startup,
                    **memory(process.pid),
                }
            )
            print(
                f"{label}: {rate:.0f} searches/s, p50 {median(latencies):.1f} ms, "
                f"server CPU {1000 * cpu / max(len(latencies), 1):.2f} ms a search",
                flush=True,
            )
        return out
    finally:
        stop(process)


def cold_first_search(instance: Path, queries: list[Query]) -> dict[str, float]:
    """ms of a forked worker's first search: loaded before fork and warmed in post_fork (as
    rcjobs serve runs), and, for comparison, a worker that loads everything itself."""
    from board.config import load_settings
    from board.services import Board
    from search_index import SearchRequest

    try:
        from board.serving import after_fork
    except ImportError:
        return {"(an rcjobs without board.serving.after_fork: not measured)": 0.0}

    os.environ["RCJOBS_INSTANCE_DIR"] = str(instance)
    board = Board(load_settings())
    start = time.perf_counter()
    board.index.warm()
    warm_s = time.perf_counter() - start

    def in_child(prepare: Callable[[], None], query: Query) -> tuple[float, float]:
        read, write = os.pipe()
        child = os.fork()
        if child == 0:  # pragma: no cover - reports through the pipe
            try:
                begin = time.perf_counter()
                prepare()
                ready = time.perf_counter()
                q, filters, page = query
                board.index.search(SearchRequest(q=q, filters=filters, page=page, highlight=False))
                done = time.perf_counter()
                os.write(write, json.dumps([ready - begin, done - ready]).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as pipe:
            found = json.loads(pipe.read())
        os.waitpid(child, 0)
        return found[0] * 1000, found[1] * 1000

    warmed = [in_child(lambda: after_fork(board), q) for q in queries[:5]]
    unloaded = [in_child(board.index.searcher.reset, q) for q in queries[5:10]]
    return {
        "master load s": warm_s,
        "post_fork ms": max(w[0] for w in warmed),
        "first search ms": max(w[1] for w in warmed),
        "first search, no preload ms": max(u[1] for u in unloaded),
    }


def measure(size: int, seconds: float) -> list[list[object]]:
    """Every figure for one corpus size, as table rows."""
    base = Path(os.environ.get("RCJOBS_BENCH_HTTP_DIR") or tempfile.gettempdir())
    instance = base / f"rcjobs-bench-http-{size}"
    env = {**os.environ, "RCJOBS_INSTANCE_DIR": str(instance), "PYTHONPATH": str(ROOT)}
    env.pop("RCJOBS_DATABASE_URL", None)
    env.pop("RCJOBS_INDEX_DIR", None)
    prepare(size, instance, env)
    docs = index_documents(instance)
    refs = build_references(instance, docs)
    queries = unique_queries(int(os.environ.get("RCJOBS_BENCH_HTTP_QUERIES", "60000")))
    workers = os.environ.get("RCJOBS_BENCH_HTTP_WORKERS") or str((os.cpu_count() or 1) + 1)
    quiet = {**env, "RCJOBS_ACCESS_LOG": "0"}
    apps = HERE / "refapps.py"

    def search(q: Query) -> str:
        return path_for("/search", q)

    results: dict[str, dict[str, Any]] = {}
    plan: list[tuple[str, list[str], dict[str, str], list[tuple[str, Any]]]] = [
        ("plain", [sys.executable, str(apps), "plain", "{port}", workers], env,
         [("plain Flask route", search)]),
        ("fts5", [sys.executable, str(apps), "fts5", "{port}", workers, str(refs["fts5"])],
         env, [("SQLite FTS5 app", search)]),
    ]  # fmt: skip
    if refs["tantivy"] is not None:
        plan.append(
            ("tantivy", [sys.executable, str(apps), "tantivy", "{port}", workers,
                         str(refs["tantivy"])], env, [("tantivy app", search)])
        )  # fmt: skip
    serve = [str(RCJOBS), "serve", "--port", "{port}", "--workers", workers]
    compile_bytecode(ROOT)
    baseline = baseline_root()
    if baseline is not None:
        compile_bytecode(baseline)
        plan.append(
            ("baseline", serve, {**quiet, "PYTHONPATH": str(baseline)},
             [("baseline API", lambda q: path_for("/api/v1/jobs", q)),
              ("baseline /jobs", lambda q: path_for("/jobs", q))])
        )  # fmt: skip
    plan.append(
        ("rcjobs", serve, quiet,
         [("rcjobs API", lambda q: path_for("/api/v1/jobs", q)),
          ("rcjobs /jobs", lambda q: path_for("/jobs", q))])
    )  # fmt: skip
    plan.append(
        ("rcjobs-log", serve, {**env, "RCJOBS_ACCESS_LOG": "1"},
         [("rcjobs API, access log on", lambda q: path_for("/api/v1/jobs", q))])
    )  # fmt: skip
    wanted = os.environ.get("RCJOBS_BENCH_HTTP_APPS")  # e.g. "tantivy,rcjobs": only these
    if wanted:
        plan = [step for step in plan if step[0] in wanted.split(",")]
    if os.environ.get("RCJOBS_BENCH_HTTP_API_ONLY", "").strip() in ("1", "true", "yes"):
        plan = [(name, command, app_env, [run for run in runs if not run[0].endswith("/jobs")])
                for name, command, app_env, runs in plan]  # fmt: skip
    for name, command, app_env, runs in plan:
        for row in run_server(name, command, app_env, runs, queries, seconds):
            results[row["name"]] = row
    cold = cold_first_search(instance, queries)
    return report(size, results, cold, workers)


def report(
    size: int, results: dict[str, dict[str, Any]], cold: dict[str, float], workers: str
) -> list[list[object]]:
    """Rows: each app's searches/s and its ratios, latency, memory, start-up; cold searches."""
    api = results.get("rcjobs API", {}).get("rate")
    refs = {
        "tantivy": results.get("tantivy app", {}).get("rate"),
        "plain": results.get("plain Flask route", {}).get("rate"),
        "fts5": results.get("SQLite FTS5 app", {}).get("rate"),
    }

    def ratio(value: float | None, ref: float | None) -> str:
        return f"{value / ref:.2f}" if value and ref else "n/a"

    rows: list[list[object]] = []
    for name, row in results.items():
        rows.append(
            [
                size,
                name,
                row["rate"],
                ratio(row["rate"], refs["tantivy"]),
                ratio(row["rate"], refs["plain"]),
                ratio(row["rate"], refs["fts5"]),
                ratio(row["rate"], api) if name.startswith(("rcjobs", "baseline")) else "",
                row["p50"],
                row["p95"],
                row["errors"],
                row["cpu ms"],
                row["startup"],
                f"{row['worker uss']:.0f}/{row['worker pss']:.0f}",
                f"{row['master pss']:.0f}",
            ]
        )
    print(
        table(
            [
                "postings",
                f"app ({CLIENTS} clients, {workers} workers, never-repeating searches)",
                "searches/s",
                "/tantivy",
                "/plain",
                "/fts5",
                "/API",
                "p50 ms",
                "p95 ms",
                "errors",
                "server CPU ms/search",
                "start-up s",
                "worker USS/PSS MB",
                "master PSS MB",
            ],
            rows,
        )
    )
    print(table(["postings", "forked worker (in-process)", "value"],
                [[size, k, v] for k, v in cold.items()]))  # fmt: skip
    return rows


def main() -> None:
    """Measure each size; skip when rcjobs is not installed."""
    reason = missing_prerequisite()
    if reason:
        print(f"bench_http skipped: {reason}")
        return
    raw = os.environ.get("RCJOBS_BENCH_HTTP_SIZES") or os.environ.get("RCJOBS_BENCH_HTTP_SIZE")
    sizes = [int(s) for s in raw.split(",")] if raw else benchlib.sizes()[:1]
    seconds = float(os.environ.get("RCJOBS_BENCH_HTTP_SECONDS", "15"))
    print(
        "targets (issue 15): API >= 1.2x tantivy and >= 0.15x plain Flask; /jobs >= 0.8x API; "
        "start-up <= 0.5 s; first search of a worker <= 20 ms; worker USS <= 150 MB",
        flush=True,
    )
    for size in sizes:
        measure(size, seconds)


if __name__ == "__main__":
    main()
