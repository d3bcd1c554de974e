"""Many writers at once, on SQLite and PostgreSQL: every record lands exactly once.

Real `rcjobs` processes (imports, a crawl of a loopback Workday site) write beside each other
and beside editor actions through the web app; then every count is checked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from board import indexing
from board.accounts.models import Editor
from board.audit import AuditEntry
from board.ingest import Ingest, RawRecord, SourceInfo
from board.models import Posting, PostingChange, PostingSource
from tests.accounts.support import add_editor, csrf_token, login, make_app
from tests.e2e.workday_site import SITE, TENANT, WorkdaySite, job, serve

pytestmark = pytest.mark.slow
TIMEOUT = 600


def write_jsonl(path: Path, first: int, count: int) -> Path:
    """`count` distinct raw records, numbered from `first`."""
    with path.open("w", encoding="utf-8") as handle:
        for n in range(first, first + count):
            record = {
                "title": f"Research Software Engineering Manager {n}",
                "institution": ["McMaster University", "University of Toronto"][n % 2],
                "location": ["Hamilton ON CA", "Toronto ON CA"][n % 2],
                "description": f"<p>Lead team {n} of research software engineers.</p>",
                "url": f"https://careers.example.edu/jobs/{n}",
            }
            handle.write(json.dumps(record) + "\n")
    return path


def rcjobs(*args: str) -> subprocess.Popen[str]:
    """The real console entry point in a fresh process (the test's RCJOBS_* environment)."""
    return subprocess.Popen(
        [sys.executable, "-m", "board.cli", *args],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=TIMEOUT)
    return process.returncode, out, err


def counts(board) -> tuple[int, int, int]:
    """Postings, source links, and postings whose version is their newest change."""
    with board.read_session() as session:
        postings = session.scalar(select(func.count(Posting.id)))
        links = session.scalar(select(func.count(PostingSource.id)))
        newest = (
            select(PostingChange.posting_id, func.max(PostingChange.id).label("id"))
            .group_by(PostingChange.posting_id)
            .subquery()
        )
        versioned = session.scalar(
            select(func.count(Posting.id)).join(
                newest, (newest.c.posting_id == Posting.id) & (newest.c.id == Posting.version)
            )
        )
    return postings, links, versioned


def test_two_imports_at_once_store_both_files(any_board, tmp_path):
    a = write_jsonl(tmp_path / "a.jsonl", 0, 1000)
    b = write_jsonl(tmp_path / "b.jsonl", 1000, 1000)
    first, second = rcjobs("import", str(a)), rcjobs("import", str(b))
    for code, out, err in (finish(first), finish(second)):
        assert code == 0, err[-2000:]
        assert "imported 1000 record(s), 0 failed" in out
    assert counts(any_board) == (2000, 2000, 2000)
    check = subprocess.run(
        [sys.executable, "-m", "board.cli", "index", "--check"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


class EditorAtWork(threading.Thread):
    """An editor hiding, showing and correcting a posting through the site, again and again."""

    def __init__(self, board, public_id: str) -> None:
        super().__init__(daemon=True)
        self.board, self.public_id = board, public_id
        self.stop = threading.Event()
        self.statuses: list[int] = []
        self.errors: list[BaseException] = []

    def run(self) -> None:
        try:
            app = make_app(self.board)
            client = app.test_client()
            assert login(client).status_code == 302
            page = f"/editor/postings/{self.public_id}"
            n = 0
            while not self.stop.is_set():
                n += 1
                token = csrf_token(client.get(page).get_data(as_text=True))
                hide = client.post(f"{page}/hide", data={"csrf_token": token, "hidden": str(n % 2)})
                title = f"Director of Research Computing (correction {n})"
                data = {
                    "csrf_token": token,
                    "title": title,
                    "institution": "McMaster University",
                    "location_display": "Hamilton ON CA",
                    "role": "director",
                    "summary": "Lead the research computing team.",
                }
                fix = client.post(f"{page}/correct", data=data)
                self.statuses += [hide.status_code, fix.status_code]
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            self.errors.append(exc)


def test_an_import_beside_a_crawl_and_an_editor_loses_nothing(any_board, tmp_path):
    add_editor(any_board)
    (outcome,) = Ingest(any_board).batch(
        [
            RawRecord(
                {
                    "title": "Director of Research Computing",
                    "institution": "McMaster University",
                    "location": "Hamilton ON CA",
                    "url": "https://careers.example.edu/director",
                }
            )
        ],
        SourceInfo("import:seed"),
    )
    site = WorkdaySite(jobs=[job(i, f"HPC Systems Team Lead {i}") for i in range(1, 61)])
    server, url = serve(site)
    sources = tmp_path / "sources.toml"
    sources.write_text(
        "[[source]]\n"
        'id = "example-lab"\n'
        'institution = "Example National Laboratory"\n'
        'platform = "workday"\n'
        f'url = "{url}/en-US/{SITE}"\n'
        f'tenant = "{TENANT}"\n'
        f'site = "{SITE}"\n'
    )
    editor = EditorAtWork(any_board, outcome.public_id)
    try:
        editor.start()
        importing = rcjobs("import", str(write_jsonl(tmp_path / "a.jsonl", 0, 1000)))
        fast = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0"]
        crawling = rcjobs("crawl", "--sources", str(sources), *fast)
        imported, crawled = finish(importing), finish(crawling)
        deadline = time.monotonic() + 30
        while len(editor.statuses) < 10 and time.monotonic() < deadline and editor.is_alive():
            time.sleep(0.1)  # let the editor act at least a few times
    finally:
        editor.stop.set()
        editor.join(timeout=60)
        server.shutdown()
        server.server_close()
    assert not editor.errors, editor.errors
    assert imported[0] == 0, imported[2][-2000:]
    assert "imported 1000 record(s), 0 failed" in imported[1]
    assert crawled[0] == 0, crawled[1][-2000:] + crawled[2][-2000:]
    assert "example-lab" in crawled[1] and "success" in crawled[1]
    assert editor.statuses and set(editor.statuses) == {302}, set(editor.statuses)
    assert counts(any_board) == (1061, 1061, 1061)
    with any_board.read_session() as session:
        actions = session.scalar(select(func.count(AuditEntry.id)))
        assert actions == len(editor.statuses)
        assert session.scalar(select(func.count(Editor.id))) == 1
    indexing.catch_up(any_board)
    assert indexing.check(any_board).ok
