"""A real `scrapy crawl workday` against a loopback server playing a whole Workday site.

The list pages and details are built from the recorded NVIDIA and 3M responses in
../shared/fixtures/workday; pipelines are switched off (storage is tested elsewhere).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.shared import REPO_ROOT, read_fixture

TOTAL = 45  # three pages of 20, 20 and 5


def site() -> tuple[dict[str, dict], dict]:
    """Detail bodies by externalPath, and one list entry template."""
    detail = json.loads(read_fixture("workday/3m-detail.json"))
    entry = json.loads(read_fixture("workday/3m-list-us.json"))["jobPostings"][0]
    details = {}
    for n in range(TOTAL):
        path = f"/job/Somewhere/Research-Computing-Lead-{n}_R{n:04d}"
        body = json.loads(json.dumps(detail))
        body["jobPostingInfo"].update(title=f"Research Computing Lead {n}", jobReqId=f"R{n:04d}")
        details[path] = body
    return details, entry


class WorkdayHandler(BaseHTTPRequestHandler):
    """POST .../jobs answers a page (total on the first page only); GET answers a detail."""

    details: dict[str, dict] = {}
    entry: dict = {}
    api = "/wday/cxs/rc/Careers"
    fail_from: int | None = None  # list offset from which the server answers 500

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        """Quiet."""

    def reply(self, status: int, body: object) -> None:
        """Send JSON."""
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        """One list page."""
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != f"{self.api}/jobs" or payload["limit"] > 20:
            self.reply(400, {"errorCode": "HTTP_400"})
            return
        if self.fail_from is not None and payload["offset"] >= self.fail_from:
            self.reply(500, {"error": "internal"})
            return
        paths = list(self.details)[payload["offset"] : payload["offset"] + payload["limit"]]
        postings = [{**self.entry, "externalPath": p, "bulletFields": [p[-5:]]} for p in paths]
        total = TOTAL if payload["offset"] == 0 else 0
        self.reply(200, {"total": total, "jobPostings": postings})

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        """One detail, or 404."""
        body = self.details.get(self.path.removeprefix(self.api))
        self.reply(200, body) if body else self.reply(404, {"error": "not found"})


@pytest.fixture
def server() -> Iterator[str]:
    """The loopback Workday site; yields its origin."""
    WorkdayHandler.details, WorkdayHandler.entry = site()
    WorkdayHandler.fail_from = None
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), WorkdayHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    thread.join()
    httpd.server_close()


def crawl(server: str, out: Path) -> subprocess.CompletedProcess[str]:
    """`scrapy crawl workday` against the loopback site, items to `out`."""
    command = [
        sys.executable, "-m", "scrapy", "crawl", "workday",
        "-a", f"url={server}/en-US/Careers", "-a", "tenant=rc", "-a", "page_size=50",
        "-a", "institution=Loopback University", "-a", "id=loopback-workday",
        "-s", "ITEM_PIPELINES={}", "-s", "AUTOTHROTTLE_ENABLED=False",
        "-s", "DOWNLOAD_DELAY=0", "-s", "ROBOTSTXT_OBEY=False", "-s", "LOG_LEVEL=INFO",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "RETRY_TIMES=1",
        "-O", f"{out}:jsonlines",
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=False
    )


def test_scrapy_crawl_against_loopback_workday(server: str, tmp_path: Path) -> None:
    """All 45 postings come out of a real crawl, a refused limit 50 falling back to 20."""
    out = tmp_path / "items.jsonl"
    result = crawl(server, out)
    assert result.returncode == 0, result.stderr[-3000:]
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(items) == TOTAL
    assert {i["source"] for i in items} == {"loopback-workday"}
    assert {i["institution"] for i in items} == {"Loopback University"}
    assert len({i["source_id"] for i in items}) == TOTAL
    assert "rcjobs/dropped" not in result.stderr
    assert "'rcjobs/complete': 1" in result.stderr


def test_server_failing_halfway_leaves_the_run_incomplete(server: str, tmp_path: Path) -> None:
    """500s from the second list page on: the first page's postings, and no completeness."""
    WorkdayHandler.fail_from = 20
    out = tmp_path / "items.jsonl"
    result = crawl(server, out)
    items = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(items) == 20
    assert "'rcjobs/complete': 0" in result.stderr
    assert "'rcjobs/dropped/request_failed': 1" in result.stderr
