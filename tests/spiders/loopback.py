"""A loopback web server playing career sites: fixed answers by path (and query), swappable."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tests.shared import REPO_ROOT

FAST = [
    "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8",
]  # fmt: skip


@dataclass
class Site:
    """Answers by "path?query" (exact) or "path"; everything else is a 404."""

    routes: dict[str, tuple[int, str, bytes]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)
    url: str = ""

    def put(self, path: str, body: bytes | str, kind: str = "text/html", status: int = 200) -> None:
        """Answer `path` with this body."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = (status, kind, data)


@contextmanager
def serve(site: Site) -> Iterator[Site]:
    """Run the site on a free loopback port for the duration of the block."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
            """Quiet."""

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            """Answer from the routes."""
            site.requests.append(self.path)
            path = self.path.split("?", 1)[0]
            status, kind, body = site.routes.get(
                self.path, site.routes.get(path, (404, "text/plain", b"not found"))
            )
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_GET  # noqa: N815 - http.server's naming

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield site
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def rcjobs(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real console entry point in a fresh process (Scrapy's reactor runs once)."""
    return subprocess.run(
        [sys.executable, "-m", "board.cli", *args],
        cwd=REPO_ROOT,
        env=env or dict(os.environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def registry(path: Path, *entries: dict[str, str]) -> Path:
    """A sources.toml with these entries."""
    lines = []
    for entry in entries:
        lines.append("[[source]]")
        lines.extend(f"{key} = {value!r}".replace("'", '"') for key, value in entry.items())
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
