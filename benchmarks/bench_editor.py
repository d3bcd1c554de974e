"""The editor's week, timed: build an issue of 12 highlights from 60 new postings.

    .venv/bin/python benchmarks/bench_editor.py
    .venv/bin/python benchmarks/bench_editor.py --screenshots /work/notes/screenshots

Stores 60 synthetic postings (benchmarks/generate.py, through the real normalizer), serves the
app on a loopback port and drives the system Chromium (RCJOBS_CHROMIUM, /usr/bin/chromium)
through Playwright, counting every key and click:

- by keyboard: one key per row of the review queue (p picks the best twelve, at most two per
  institution; x marks the low scores not relevant; y keeps the rest), then open the draft and
  publish it;
- by suggestion: one click on "Draft highlights from the top postings", then publish.

The seconds are the browser's and server's time (a lower bound on an editor's); the keys and
clicks are what a person does. With --screenshots DIR it also saves the queue and the issue
builder at 1280 and 390 px wide (i12-queue-1280.png, ...). Skips when Chromium is missing.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

import benchlib  # noqa: F401 - puts the repository on sys.path
from generate import raw_records

POSTINGS = 60
HIGHLIGHTS = 12
PER_INSTITUTION = 2
LOW_SCORE = 0.5
PASSWORD = "correct horse battery staple"  # noqa: S105 - a throwaway benchmark account
EMAIL = "editor@example.org"


def _chromium() -> str | None:
    path = os.environ.get("RCJOBS_CHROMIUM", "/usr/bin/chromium")
    return path if Path(path).exists() else shutil.which("chromium")


def _board(folder: Path) -> Any:
    os.environ.update(
        RCJOBS_INSTANCE_DIR=str(folder),
        RCJOBS_DATABASE_URL=f"sqlite:///{folder / 'rcjobs.db'}",
        RCJOBS_INDEX_DIR=str(folder / "index"),
        RCJOBS_MAIL_DIR=str(folder / "mail"),
        RCJOBS_SECRET_KEY="bench-secret",  # noqa: S106 - a throwaway instance
    )
    from board import indexing, ingest
    from board.accounts.services import create_editor
    from board.config import load_settings
    from board.normalize import normalize_record
    from board.record import NormalizedRecord
    from board.services import Board

    board = Board(load_settings())
    board.init_db()
    source = ingest.SourceInfo(id="bench", institution="", url="https://jobs.example.org/")
    with board.session() as session:
        for raw in raw_records(POSTINGS, seed=12):
            raw = dict(raw, posted=date.today().isoformat(), closes="")
            record = NormalizedRecord.from_dict(normalize_record(raw))
            ingest.store_record(session, raw, source, record)
        create_editor(session, EMAIL, PASSWORD)
    indexing.catch_up(board)
    return board


class Counter:
    """Keys and clicks a person would make."""

    def __init__(self) -> None:
        self.keys = 0
        self.clicks = 0

    def press(self, page: Any, key: str) -> None:
        self.keys += 1
        page.keyboard.press(key)

    def click(self, locator: Any) -> None:
        self.clicks += 1
        locator.click()


def _serve(board: Any) -> tuple[Any, str]:
    from werkzeug.serving import make_server

    from board.app import create_app

    app = create_app({"TESTING": True, "RCJOBS_COOKIE_SECURE": False}, board=board)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, base


def _log_in(page: Any, base: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Editor dashboard").wait_for()


def _saved(page: Any) -> None:
    """Wait until no row says "Saving…" (every decision answered)."""
    page.wait_for_function(
        "() => ![...document.querySelectorAll('#review-table .status')]"
        ".some((s) => s.textContent === 'Saving…')"
    )


def by_keyboard(page: Any, base: str, number: int) -> dict[str, Any]:
    """One key per queue row, then publish; the figures."""
    count = Counter()
    page.goto(f"{base}/editor/queue/")
    started = time.perf_counter()
    count.click(page.get_by_role("button", name="Create draft issue"))
    page.get_by_role("heading", name=f"Issue {number}", exact=False).wait_for()
    count.click(page.get_by_role("link", name="Review queue", exact=True))
    page.locator("#review-table").wait_for()
    page.wait_for_load_state("load")
    rows = page.locator("#review-table tbody tr").evaluate_all(
        "(rows) => rows.map((r) => [r.cells[2].textContent.trim(), Number(r.cells[5].textContent)])"
    )
    count.press(page, "j")
    picked: dict[str, int] = {}
    picks = 0
    for institution, score in rows:
        if (
            picks < HIGHLIGHTS
            and score >= LOW_SCORE
            and picked.get(institution, 0) < PER_INSTITUTION
        ):
            count.press(page, "p")
            picked[institution] = picked.get(institution, 0) + 1
            picks += 1
        elif score < LOW_SCORE:
            count.press(page, "x")
        else:
            count.press(page, "y")
    _saved(page)
    queue_done = time.perf_counter()
    count.click(page.get_by_role("link", name=f"issue {number}", exact=True))
    force = page.locator("#force")
    if force.count():
        count.click(force)
    count.click(page.get_by_role("button", name=f"Publish issue {number}"))
    page.locator(".flashes").get_by_text(f"Issue {number} published.").wait_for()
    done = time.perf_counter()
    highlights = page.locator("#highlights li.highlight").count()
    return {
        "route": "keyboard, one key per queue row",
        "rows": len(rows),
        "highlights": highlights,
        "keys": count.keys,
        "clicks": count.clicks,
        "queue_seconds": queue_done - started,
        "seconds": done - started,
    }


def by_suggestion(page: Any, base: str, number: int) -> dict[str, Any]:
    """The drafted list, then publish."""
    count = Counter()
    page.goto(f"{base}/editor/queue/")
    started = time.perf_counter()
    count.click(page.get_by_role("button", name="Create draft issue"))
    count.click(page.get_by_role("button", name="Draft highlights from the top postings"))
    page.locator(".flashes").wait_for()
    force = page.locator("#force")
    if force.count():
        count.click(force)
    count.click(page.get_by_role("button", name=f"Publish issue {number}"))
    page.locator(".flashes").get_by_text(f"Issue {number} published.").wait_for()
    done = time.perf_counter()
    return {
        "route": "suggestion (drafted list)",
        "rows": 0,
        "highlights": page.locator("#highlights li.highlight").count(),
        "keys": count.keys,
        "clicks": count.clicks,
        "queue_seconds": 0.0,
        "seconds": done - started,
    }


def screenshots(chromium: Any, base: str, folder: Path) -> None:
    """Mid-week: the queue with a few decisions made, the builder of a drafted issue, and the
    dashboard, at desktop and phone widths, full page."""
    folder.mkdir(parents=True, exist_ok=True)
    setup = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = setup.new_page()
    _log_in(page, base)
    page.goto(f"{base}/editor/queue/")
    page.get_by_role("button", name="Create draft issue").click()
    page.get_by_role("link", name="Review queue", exact=True).click()
    page.locator("#review-table").wait_for()
    page.wait_for_load_state("load")  # editor.js (deferred) listens from here
    for key in "jpxpyxp":
        page.keyboard.press(key)
    _saved(page)
    page.goto(f"{base}/editor/issues/1")
    page.get_by_role("button", name="Draft highlights from the top postings").click()
    setup.close()
    for width, height in ((1280, 900), (390, 844)):
        context = chromium.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        _log_in(page, base)
        for name, path in (("queue", "/editor/queue/"), ("builder", "/editor/issues/1"),
                           ("dashboard", "/editor/")):  # fmt: skip
            page.goto(f"{base}{path}")
            if name == "queue":
                page.wait_for_load_state("load")
                page.keyboard.press("j")
                page.keyboard.press("j")
            page.screenshot(path=str(folder / f"i12-{name}-{width}.png"), full_page=True)
            tall = page.evaluate("document.documentElement.scrollHeight")
            print(f"{name} at {width}px: {tall}px tall")
        context.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args()
    path = _chromium()
    if path is None:
        print("skipped: no Chromium (set RCJOBS_CHROMIUM)")
        return 0
    from playwright.sync_api import sync_playwright

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        # A fresh board for each route: the same 60 postings, issue 1 built once each way.
        for run, route in enumerate((by_keyboard, by_suggestion)):
            board = _board(Path(tmp) / f"run{run}")
            server, base = _serve(board)
            context = chromium.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            _log_in(page, base)
            results.append(route(page, base, 1))
            context.close()
            server.shutdown()
            board.engine.dispose()
        if args.screenshots:
            board = _board(Path(tmp) / "screenshots")
            server, base = _serve(board)
            screenshots(chromium, base, args.screenshots)
            server.shutdown()
            board.engine.dispose()
        chromium.close()
    print(f"{'route':36} {'rows':>4} {'hl':>3} {'keys':>4} {'clicks':>6}", end="")
    print(f" {'queue s':>8} {'total s':>8}")
    for r in results:
        print(
            f"{r['route']:36} {r['rows']:>4} {r['highlights']:>3} {r['keys']:>4} "
            f"{r['clicks']:>6} {r['queue_seconds']:>8.2f} {r['seconds']:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
