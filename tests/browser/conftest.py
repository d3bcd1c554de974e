"""Browser fixtures: the real app on a loopback port and the system Chromium through Playwright.

Fixtures for every browser test (submissions and editor tests use them too):
- `live_server`: a LiveServer (base_url, board, app, url(path)) serving a fresh, empty Board;
  seed it with tests.web.seed.seed(live_server.board), or store postings and then call
  board.indexing.catch_up(live_server.board).
- `page`: a new Playwright page (own context, 1280x900) whose console errors are collected in
  `page.console_errors` (CSP violations show up there).
- `chromium`: the session's Browser, for tests that need their own contexts (a phone viewport).
"""

from __future__ import annotations

import os
import shutil
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from time import monotonic
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from board.app import create_app
from board.services import Board

CHROMIUM = os.environ.get("RCJOBS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
READY_DEADLINE = 15.0
IN_CI = os.environ.get("CI", "").lower() == "true"


@dataclass
class LiveServer:
    """The app served over HTTP on 127.0.0.1."""

    base_url: str
    board: Board
    app: Flask

    def url(self, path: str = "/") -> str:
        """An absolute URL on the server."""
        return f"{self.base_url}{path}"


def _wait_until_ready(url: str, deadline: float) -> None:
    """Block until the server answers (each try waits on the socket, not on a sleep)."""
    last: Exception | None = None
    while monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=max(0.1, deadline - monotonic())) as reply:
                if reply.status < 500:
                    return
        except OSError as exc:  # connection refused/reset while the thread starts
            last = exc
    raise RuntimeError(f"the live server at {url} was not ready in time: {last}")


@pytest.fixture
def live_server(board: Board) -> Iterator[LiveServer]:
    """Serve the app for `board` on a free loopback port in a background thread."""
    app = create_app({"TESTING": True}, board=board)
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        _wait_until_ready(f"{base_url}/api/v1/openapi.json", monotonic() + READY_DEADLINE)
        yield LiveServer(base_url, board, app)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=READY_DEADLINE)


def _chromium_path() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
    if path:
        return path
    message = (
        f"\n{'*' * 72}\n* Chromium not found at {CHROMIUM}: the browser tests cannot run.\n"
        "* Install it with: apt-get install chromium (or set RCJOBS_CHROMIUM).\n"
        f"{'*' * 72}"
    )
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError("unreachable")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """The system Chromium, launched once per session through Playwright's sync API."""
    path = _chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    """A fresh page in its own context; console errors gathered in page.console_errors."""
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    yield page
    context.close()
