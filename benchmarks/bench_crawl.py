"""Crawl benchmark: `rcjobs crawl` of local JSON-LD pages beside a minimal Scrapy spider.

    .venv/bin/python benchmarks/bench_crawl.py
    RCJOBS_BENCH_CRAWL_PAGES=500 RCJOBS_BENCH_REPEATS=3 .venv/bin/python benchmarks/bench_crawl.py
    RCJOBS_BENCH_BASELINE=/tmp/main-copy .venv/bin/python benchmarks/bench_crawl.py

A listing page and RCJOBS_BENCH_CRAWL_PAGES (default 2,000) detail pages, each a schema.org
JobPosting in JSON-LD made from generate.py's postings, are served on loopback by a separate
process (`python -m http.server`). Each crawl runs in a fresh process with the same Scrapy
settings (no delay, no autothrottle, 16 concurrent requests, robots.txt obeyed), in rounds
(minimal, rcjobs, ...), so the ratios compare runs made side by side:

- minimal: a Scrapy spider that follows the same links and yields each page's JSON-LD object
  as an item (no pipeline);
- rcjobs: the real console script (`rcjobs crawl`) into an empty SQLite database: extraction,
  normalize, store through board.ingest and index, the whole pipeline (by default normalize,
  store and index in a forked child, board/storer.py);
- rcjobs, one process: the same with RCJOBS_CRAWL_STORE_PROCESS=0 (everything in the crawl
  process, the storing in a thread beside the reactor's);
- rcjobs, workers: the same with RCJOBS_INGEST_WORKERS=2 (normalizer workers and the index
  follower forked before the crawl starts);
- baseline: with RCJOBS_BENCH_BASELINE set to a checkout of other code (e.g. `git archive main`
  unpacked), the same command with that code first on PYTHONPATH.

Reported, as medians over the runs: seconds, postings (pages) per second, CPU seconds of the
whole process tree (user + system, load-independent), and pages/s as a share of the minimal
spider's in the same rounds (target >= 0.6). The load average is printed before and after.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import benchlib
from benchlib import children_cpu, median, table
from generate import raw_records

RCJOBS = Path(sys.executable).with_name("rcjobs")
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "RETRY_TIMES": "0",
    "LOG_LEVEL": "WARNING",
}
MINIMAL = """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

class Minimal(scrapy.Spider):
    name = "minimal"
    start_urls = [sys.argv[1]]
    items = 0

    def parse(self, response):
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, self.detail)

    def detail(self, response):
        for text in response.css('script[type="application/ld+json"]::text').getall():
            type(self).items += 1
            yield json.loads(text)

settings = json.loads(sys.argv[2])
settings.update(ROBOTSTXT_OBEY=True, TELNETCONSOLE_ENABLED=False, ITEM_PIPELINES={})
process = CrawlerProcess(settings)
process.crawl(Minimal)
process.start()
print(json.dumps({"items": Minimal.items}))
"""


def pages() -> int:
    """Detail pages (RCJOBS_BENCH_CRAWL_PAGES, default 2000)."""
    return int(os.environ.get("RCJOBS_BENCH_CRAWL_PAGES", "2000"))


def job_posting(record: dict[str, Any]) -> dict[str, Any]:
    """A schema.org JobPosting for one raw record."""
    city, _, rest = str(record["location"]).partition(" ")
    region, _, country = rest.rpartition(" ")
    return {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": record["title"],
        "description": "".join(
            f"<p>{html.escape(p)}</p>" for p in record["description"].split("\n\n")
        ),
        "datePosted": record["posted"],
        "validThrough": record["closes"] or None,
        "identifier": {"@type": "PropertyValue", "value": record["source_id"]},
        "hiringOrganization": {"@type": "Organization", "name": record["institution"]},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": city,
                "addressRegion": region,
                "addressCountry": country,
            },
        },
    }


def write_site(folder: Path, count: int) -> None:
    """The listing page and the detail pages under folder/careers."""
    jobs = folder / "careers" / "job"
    jobs.mkdir(parents=True)
    links = []
    for n, record in enumerate(raw_records(count, seed=11)):
        data = json.dumps(job_posting(record)).replace("</", "<\\/")
        body = (
            f"<!doctype html><html><head><title>{html.escape(record['title'])}</title>"
            f'<script type="application/ld+json">{data}</script></head>'
            f"<body><h1>{html.escape(record['title'])}</h1></body></html>"
        )
        (jobs / f"{n}.html").write_text(body, encoding="utf-8")
        links.append(f'<li><a href="/careers/job/{n}.html">{html.escape(record["title"])}</a></li>')
    (folder / "careers" / "index.html").write_text(
        "<!doctype html><html><body><ul>" + "".join(links) + "</ul></body></html>",
        encoding="utf-8",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A static file server for the site (its own process), once it answers."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/careers/index.html"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our loopback server
                return server, url
        except OSError:
            if time.monotonic() > deadline:
                server.kill()
                raise
            time.sleep(0.05)


def environment(folder: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RCJOBS_")}
    env.update(
        RCJOBS_INSTANCE_DIR=str(folder),
        RCJOBS_DATABASE_URL=f"sqlite:///{folder / 'rcjobs.db'}",
        RCJOBS_INDEX_DIR=str(folder / "index"),
        RCJOBS_SECRET_KEY="bench",  # noqa: S106 - a throwaway instance
        **(extra or {}),
    )
    return env


def run_rcjobs(url: str, count: int, extra: dict[str, str] | None = None) -> tuple[float, float]:
    """Seconds and CPU seconds of one `rcjobs crawl` of the site into an empty database."""
    folder = Path(tempfile.mkdtemp(prefix="rcjobs-bench-crawl-"))
    try:
        env = environment(folder, extra)
        subprocess.run([str(RCJOBS), "init"], env=env, check=True, capture_output=True)
        sources = folder / "sources.toml"
        sources.write_text(
            '[[source]]\nid = "bench-jsonld"\ninstitution = "Bench University"\n'
            f'platform = "jsonld"\nurl = "{url}"\nlink_pattern = "/careers/job/"\n',
            encoding="utf-8",
        )
        command = [str(RCJOBS), "crawl", "--sources", str(sources)]
        for name, value in SETTINGS.items():
            command += ["-s", f"{name}={value}"]
        cpu = children_cpu()
        start = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        if done.returncode != 0 or f"{count} items" not in done.stdout:
            raise RuntimeError(f"rcjobs crawl: {done.stdout[-800:]} {done.stderr[-800:]}")
        return elapsed, children_cpu() - cpu
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_minimal(url: str, count: int, script: Path) -> tuple[float, float]:
    """Seconds and CPU seconds of one minimal-spider crawl of the site (its script in a file:
    Scrapy reads callbacks' source)."""
    settings = {
        k: (int(v) if v.isdigit() else v == "True" if v in ("True", "False") else v)
        for k, v in SETTINGS.items()
    }
    cpu = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(script), url, json.dumps(settings)],
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0 or json.loads(done.stdout.strip().splitlines()[-1])["items"] != count:
        raise RuntimeError(f"minimal spider: {done.stdout[-500:]} {done.stderr[-800:]}")
    return elapsed, children_cpu() - cpu


def variants() -> dict[str, dict[str, str] | None]:
    """The rcjobs crawls measured beside the minimal spider: name -> extra environment."""
    found: dict[str, dict[str, str] | None] = {
        "rcjobs crawl (default: storing in a child process)": None,
        "rcjobs crawl, one process (RCJOBS_CRAWL_STORE_PROCESS=0)": {
            "RCJOBS_CRAWL_STORE_PROCESS": "0"
        },
        "rcjobs crawl, workers (RCJOBS_INGEST_WORKERS=2)": {"RCJOBS_INGEST_WORKERS": "2"},
    }
    baseline = os.environ.get("RCJOBS_BENCH_BASELINE")
    if baseline:
        path = os.pathsep.join(p for p in (baseline, os.environ.get("PYTHONPATH")) if p)
        found[f"rcjobs crawl, baseline ({baseline})"] = {"PYTHONPATH": path}
    return found


def main() -> None:
    """Serve the site, crawl it every way in rounds, print the table."""
    count, runs = pages(), benchlib.repeats()
    folder = Path(tempfile.mkdtemp(prefix="rcjobs-bench-site-"))
    ways = variants()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    results: dict[str, list[tuple[float, float]]] = {"minimal Scrapy spider": []}
    results.update({name: [] for name in ways})
    try:
        write_site(folder, count)
        script = folder / "minimal_spider.py"
        script.write_text(MINIMAL, encoding="utf-8")
        server, url = serve(folder)
        try:
            for n in range(runs):
                results["minimal Scrapy spider"].append(run_minimal(url, count, script))
                for name, extra in ways.items():
                    results[name].append(run_rcjobs(url, count, extra))
                print(
                    f"run {n + 1}: "
                    + ", ".join(f"{name} {r[-1][0]:.1f}s" for name, r in results.items()),
                    flush=True,
                )
        finally:
            server.terminate()
            server.wait(timeout=10)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    pages_total = count + 1
    minimal = median([r[0] for r in results["minimal Scrapy spider"]])
    minimal_cpu = median([r[1] for r in results["minimal Scrapy spider"]])
    rows = []
    for name, samples in results.items():
        wall, cpu = median([r[0] for r in samples]), median([r[1] for r in samples])
        rows.append(
            [
                name,
                wall,
                f"{pages_total / wall:.0f}",
                cpu,
                f"{minimal / wall:.2f}",
                f"{minimal_cpu / cpu:.2f}",
            ]
        )
    print(f"\n{pages_total:,} pages on loopback, {runs} run(s), target ratio >= 0.6")
    print(f"load average after: {load}")
    print(table(["crawl", "median s", "postings/s", "CPU s", "ratio", "CPU ratio"], rows))


if __name__ == "__main__":
    main()
