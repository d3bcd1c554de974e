"""The demo's editor side: a printed login that works, the README's editor steps as written,
prefill from the demo's own sites, and editors, issues and submissions kept across restarts."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.accounts.support import form_values
from tests.shared import REPO_ROOT

pytestmark = pytest.mark.slow
START_DEADLINE = 240.0
PASSWORD = "a long password for you"
LOGIN = re.compile(r"email: (\S+)\s+password: (\S+)")
SITES = re.compile(r"demo career sites on (http://127\.0\.0\.1:\d+)")
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class RunningDemo:
    process: subprocess.Popen
    log: Path
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def start_demo(env: dict[str, str], port: int, log: Path) -> RunningDemo:
    """Start `rcjobs demo` and wait (polling, with a deadline) until it printed the login."""
    handle = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "board.cli", "demo", "--port", str(port)],
        env=env,
        cwd=REPO_ROOT,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    handle.close()
    demo = RunningDemo(process, log, port)
    deadline = time.monotonic() + START_DEADLINE
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"demo exited with {process.returncode}:\n{demo.output()}")
        if "point the CLI at this demo" in demo.output():
            return demo
        time.sleep(0.2)  # polling interval, bounded by the deadline
    stop(demo)
    raise AssertionError(f"demo did not start in time:\n{demo.output()}")


def stop(demo: RunningDemo) -> None:
    if demo.process.poll() is None:
        os.killpg(demo.process.pid, signal.SIGINT)  # Ctrl-C, as a person stops it
        demo.process.wait(timeout=30)


class Browser:
    """A cookie-keeping HTTP client for the demo's forms."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                return response.status, response.geturl(), response.read().decode()
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.geturl(), error.read().decode()

    def token(self, path: str) -> str:
        match = TOKEN.search(self.get(path)[2])
        assert match, f"no CSRF token on {path}"
        return match.group(1) or match.group(2)


def log_in(base: str, email: str, password: str) -> Browser:
    browser = Browser(base)
    data = {"csrf_token": browser.token("/login"), "email": email, "password": password}
    status, url, html = browser.post("/login", data)
    assert status == 200 and url.rstrip("/").endswith("/editor"), (status, url, html[:300])
    return browser


def readme_steps() -> str:
    """The README's editor steps, exactly as written."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- demo-editor-steps.*?-->\n```sh\n(.*?)```", readme, re.S)
    assert block, "the README lost its demo editor steps"
    return block.group(1)


def run_steps(steps: str, env: dict[str, str]) -> str:
    """Run shell lines in a new session (no terminal: the password prompt reads stdin)."""
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", steps],
        env=env,
        cwd=REPO_ROOT,
        input=f"{PASSWORD}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=180,
        start_new_session=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture
def demo_env(instance: Path, tmp_path: Path) -> Iterator[dict[str, str]]:
    if not (REPO_ROOT / ".venv" / "bin" / "activate").exists():
        pytest.skip("the README's steps activate .venv: run `make install` first")
    yield dict(os.environ, RCJOBS_DEMO_DIR=str(tmp_path / "demo"))


def submit_a_posting(demo: RunningDemo, sites: str) -> None:
    """Prefill from a demo site's job page, then preview and send, as a submitter does."""
    with urllib.request.urlopen(f"{sites}/cascadia/careers/", timeout=10) as response:
        path = re.search(r'<li class="job"><a href="([^"]+)"', response.read().decode())
    assert path
    job = path.group(1) if path.group(1).startswith("http") else sites + path.group(1)
    browser = Browser(demo.base)
    token = browser.token("/submit")
    status, _, html = browser.post("/submit/prefill", {"csrf_token": token, "prefill_url": job})
    assert status == 200 and "Filled in" in html, html[:2000]
    fields = form_values(html)
    fields.update(contact_name="Ann Lee", contact_email="ann.lee@cascadia.example")
    fields.update(action="preview")
    fields.setdefault("closes_on", time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400)))
    status, _, page = browser.post("/submit", fields)
    assert status == 200 and "This is how your posting will look" in page, page[:3000]
    status, url, _ = browser.post("/submit/send", form_values(page))
    assert status == 200 and "/submit/status/" in url


def test_the_demo_keeps_its_editor_side_across_restarts(demo_env, tmp_path):
    port = free_port()
    first = start_demo(demo_env, port, tmp_path / "first.log")
    try:
        output = first.output()
        assert f"log in at {first.base}/login" in output
        email, password = LOGIN.search(output).groups()
        log_in(first.base, email, password)  # the printed login works
        sites = SITES.search(output).group(1)
        submit_a_posting(first, sites)  # prefill from the demo's own site is allowed

        steps = run_steps(readme_steps(), demo_env)
        assert "editor you@example.org added" in steps
        assert "editor@example.org" in steps and "you@example.org" in steps
        assert "issue 1 created" in steps
        assert f"({first.base}/jobs)" in steps  # the export links to the demo's own port
        assert "1 waiting submission(s) mailed to 2 editor(s)" in steps
    finally:
        stop(first)
    mail = tmp_path / "demo" / "mail"
    subjects = [p.read_text(errors="replace") for p in mail.glob("*.eml")]
    assert any("Subject: Submission to review" in text for text in subjects)

    second = start_demo(demo_env, port, tmp_path / "second.log")
    try:
        assert LOGIN.search(second.output()).groups() == (email, password)
        editor = log_in(second.base, "you@example.org", PASSWORD)  # made by the README's step
        status, _, html = editor.get("/editor/")
        assert status == 200 and "Log out" in html
    finally:
        stop(second)
    database = sqlite3.connect(tmp_path / "demo" / "rcjobs.db")
    try:
        assert database.execute("select count(*) from editors").fetchone() == (2,)
        assert database.execute("select number from newsletter_issues").fetchall() == [(1,)]
        assert database.execute("select count(*) from submissions").fetchone() == (1,)
        assert database.execute("select count(*) from postings").fetchone()[0] >= 30
    finally:
        database.close()
