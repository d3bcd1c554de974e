"""A farm of loopback career sites for crawl-at-scale tests and the growth benchmark.

Each host is its own loopback address (127.0.0.N, one threaded HTTP server each), as a real
host would be to Scrapy's per-host slots. Every host serves several sources, each a JSON-LD
career site: a listing page `/s/<id>/` linking its detail pages `/s/<id>/jobs/<n>`, each with a
schema.org JobPosting. The farm records what a politeness test checks: requests per source
and per host, and the peak number of requests a host had in flight at once. A source can be
"gated": its detail pages wait until the gate opens (so a crawl is provably mid-way).
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROBOTS = b"User-agent: *\nAllow: /\n"
#: Longest a gated request waits before it is answered anyway (the farm always finishes).
GATE_TIMEOUT = 120.0


@dataclass
class HostStats:
    """One host's counters (guarded by the farm's lock)."""

    in_flight: int = 0
    peak: int = 0
    requests: int = 0


@dataclass
class FarmSource:
    """One career site of the farm."""

    id: str
    host: str
    url: str
    postings: int


@dataclass
class Farm:
    """Loopback career sites: `hosts` addresses × `per_host` sources × `postings` each."""

    hosts: int = 4
    per_host: int = 3
    postings: int = 10
    latency: float = 0.0
    first_address: int = 20
    sources: list[FarmSource] = field(default_factory=list)
    stats: dict[str, HostStats] = field(default_factory=dict)
    by_source: Counter[str] = field(default_factory=Counter)
    listings: Counter[str] = field(default_factory=Counter)
    gates: dict[str, threading.Event] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = field(default_factory=list)

    def start(self) -> Farm:
        """Start one server per host; the sources get their URLs."""
        for h in range(self.hosts):
            address = f"127.0.0.{self.first_address + h}"
            server = ThreadingHTTPServer((address, 0), self._handler(address))
            server.daemon_threads = True
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            self._servers.append((server, thread))
            self.stats[address] = HostStats()
            base = f"http://{address}:{server.server_address[1]}"
            for s in range(self.per_host):
                source_id = f"farm-h{h:03d}-s{s:03d}"
                self.sources.append(
                    FarmSource(source_id, address, f"{base}/s/{source_id}/", self.postings)
                )
        return self

    def stop(self) -> None:
        """Open every gate and stop the servers."""
        for gate in self.gates.values():
            gate.set()
        for server, thread in self._servers:
            server.shutdown()
            server.server_close()
            thread.join()
        self._servers.clear()

    def __enter__(self) -> Farm:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def gate(self, source_id: str) -> threading.Event:
        """Hold this source's detail pages until the returned event is set."""
        return self.gates.setdefault(source_id, threading.Event())

    def registry(self, path: Path, sources: list[FarmSource] | None = None) -> Path:
        """A sources.toml listing the farm's sources (or these)."""
        lines = []
        for source in sources if sources is not None else self.sources:
            lines += [
                "[[source]]",
                f'id = "{source.id}"',
                f'institution = "Farm University {source.id[5:9]}"',
                'platform = "jsonld"',
                f'url = "{source.url}"',
                'link_selector = "li.job a"',
                "",
            ]
        path.write_text("\n".join(lines), encoding="utf-8")
        return path

    def peaks(self) -> dict[str, int]:
        """Each host's peak of requests in flight at once."""
        with self.lock:
            return {host: stats.peak for host, stats in self.stats.items()}

    def in_flight(self, host: str) -> int:
        """Requests to this host being answered now."""
        with self.lock:
            return self.stats[host].in_flight

    def total_requests(self) -> int:
        """Every request the farm answered."""
        with self.lock:
            return sum(stats.requests for stats in self.stats.values())

    # -- serving ------------------------------------------------------------------------

    def _handler(self, address: str) -> type[BaseHTTPRequestHandler]:
        farm = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                """Quiet."""

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                """Count the request in flight while it is answered."""
                with farm.lock:
                    stats = farm.stats[address]
                    stats.in_flight += 1
                    stats.requests += 1
                    stats.peak = max(stats.peak, stats.in_flight)
                try:
                    status, body = farm._answer(self.path, address)
                    if farm.latency:
                        time.sleep(farm.latency)  # the site's own response time
                    self.send_response(status)
                    self.send_header("Content-Type", "text/plain" if status != 200 else "text/html")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                finally:
                    with farm.lock:
                        farm.stats[address].in_flight -= 1

        return Handler

    def _answer(self, path: str, address: str) -> tuple[int, bytes]:
        if path == "/robots.txt":
            return 200, ROBOTS
        parts = path.split("?", 1)[0].strip("/").split("/")
        if len(parts) < 2 or parts[0] != "s":
            return 404, b"not found"
        source_id = parts[1]
        source = next((s for s in self.sources if s.id == source_id), None)
        if source is None or source.host != address:
            return 404, b"not found"
        with self.lock:
            self.by_source[source_id] += 1
        if len(parts) == 2:
            with self.lock:
                self.listings[source_id] += 1
            return 200, listing(source).encode("utf-8")
        if len(parts) == 4 and parts[2] == "jobs" and parts[3].isdigit():
            number = int(parts[3])
            if number >= source.postings:
                return 404, b"not found"
            gate = self.gates.get(source_id)
            if gate is not None:
                gate.wait(GATE_TIMEOUT)
            return 200, detail(source, number).encode("utf-8")
        return 404, b"not found"


def listing(source: FarmSource) -> str:
    """The source's listing page: one link per posting."""
    items = "\n".join(
        f'<li class="job"><a href="{source.url}jobs/{n}">Research Computing Manager {n}</a></li>'
        for n in range(source.postings)
    )
    return (
        "<!doctype html><html><head><title>Careers</title></head><body>"
        f"<h1>Careers</h1><ul>{items}</ul></body></html>"
    )


def detail(source: FarmSource, number: int) -> str:
    """A detail page with its JobPosting JSON-LD."""
    title = f"Research Computing Manager {number} ({source.id})"
    posting = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": title,
        "description": (
            f"<p>Lead the research computing team of {source.id}: HPC cluster operations,"
            " research software engineering and support for researchers.</p>"
        ),
        "identifier": {"@type": "PropertyValue", "value": f"{source.id}-{number}"},
        "datePosted": "2026-11-20",
        "hiringOrganization": {"@type": "Organization", "name": f"Farm University {source.id}"},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": "Hamilton",
                "addressRegion": "ON",
                "addressCountry": "CA",
            },
        },
        "employmentType": "FULL_TIME",
        "url": f"{source.url}jobs/{number}",
    }
    script = json.dumps(posting).replace("</", "<\\/")
    return (
        f"<!doctype html><html><head><title>{escape(title)}</title>"
        f'<script type="application/ld+json">{script}</script></head>'
        f"<body><h1>{escape(title)}</h1><p>Apply now.</p></body></html>"
    )


def wait_for(check: object, deadline: float, what: str, every: float = 0.1) -> None:
    """Poll `check()` until it is true, or raise TimeoutError naming `what` at the deadline."""
    import time as clock

    end = clock.monotonic() + deadline
    while not check():  # type: ignore[operator]
        if clock.monotonic() > end:
            raise TimeoutError(f"timed out after {deadline:.0f} s waiting for {what}")
        threading.Event().wait(every)


def sources_by_host(farm: Farm) -> Iterator[tuple[str, list[FarmSource]]]:
    """The farm's sources grouped by host."""
    hosts: dict[str, list[FarmSource]] = {}
    for source in farm.sources:
        hosts.setdefault(source.host, []).append(source)
    yield from hosts.items()
