"""Shared helpers and fixtures of the submission, editor, newsletter and account tests."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from board import postings
from board.accounts.services import create_editor
from board.app import create_app
from board.services import Board
from tests.records import record, upsert

NOW = "2026-03-10T12:00:00+00:00"
SEEN = datetime(2026, 3, 9, 9, 0, 0)
EDITOR_EMAIL = "editor@example.org"
EDITOR_PASSWORD = "correct horse battery staple"
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    """The CSRF token in a page."""
    match = _TOKEN.search(html)
    assert match, "no csrf_token on the page"
    return match.group(1) or match.group(2)


def token_from(client: FlaskClient, url: str = "/submit") -> str:
    """GET a page and return its CSRF token (bound to this client's session)."""
    return csrf_token(client.get(url).get_data(as_text=True))


def make_app(board: Board, **config: Any) -> Flask:
    """The app for tests: plain-http cookies, loopback prefill allowed."""
    settings = {
        "TESTING": True,
        "RCJOBS_COOKIE_SECURE": False,
        "RCJOBS_PREFILL_ALLOW_PRIVATE": True,
    }
    settings.update(config)
    return create_app(settings, board=board)


def valid_fields(**changes: str) -> dict[str, str]:
    """A complete, valid submission."""
    fields = {
        "title": "Director of Research Computing",
        "institution": "McMaster University",
        "location": "Hamilton, ON, Canada",
        "url": "https://careers.example.edu/jobs/1",
        "description": (
            "Lead the research computing team: twelve people across HPC operations and "
            "research software engineering.\n\n- Budget\n- Hiring\n- Strategy"
        ),
        "closes_on": "2026-04-30",
        "salary": "CAD 120,000-150,000 per year",
        "contact_name": "Ann Lee",
        "contact_email": "ann.lee@example.edu",
    }
    fields.update(changes)
    return fields


def preview(client: FlaskClient, fields: dict[str, str] | None = None) -> Any:
    """POST the form for its preview."""
    data = dict(fields or valid_fields(), csrf_token=token_from(client), action="preview")
    return client.post("/submit", data=data)


class _FormValues(HTMLParser):
    """What a browser would send: inputs' values, textareas' text, selects' selected option."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button"):
            self.values.setdefault(a["name"], a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self.values[self._textarea or ""] = ""
        elif tag == "select":
            self._select = a.get("name")
        elif (
            tag == "option"
            and self._select
            and ("selected" in a or self._select not in self.values)
        ):
            self.values[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.values[self._textarea] += data


def form_values(html: str) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(html)
    values = parser.values
    if "description" in values:
        values["description"] = values["description"].removeprefix("\n")
    return {k: v for k, v in values.items() if k not in ("homepage", "prefill_url")}


def preview_token(html: str) -> str:
    """The signed preview token of a preview page."""
    match = re.search(r'name="preview_token" type="hidden" value="([^"]+)"', html)
    assert match, "no preview token on the page"
    return match.group(1)


def submit(client: FlaskClient, fields: dict[str, str] | None = None) -> Any:
    """Preview, then send; the send response."""
    fields = fields or valid_fields()
    page = preview(client, fields).get_data(as_text=True)
    data = dict(fields, csrf_token=csrf_token(page), preview_token=preview_token(page))
    return client.post("/submit/send", data=data)


def status_token(response: Any) -> str:
    """The status-link token a successful send redirects to."""
    location = response.headers["Location"]
    assert "/submit/status/" in location
    return location.rsplit("/", 1)[-1]


def mails(board: Board) -> list[EmailMessage]:
    """The messages the file mailer wrote, oldest first."""
    folder = Path(board.settings.mail_dir)
    if not folder.exists():
        return []
    paths = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)
    return [message_from_bytes(p.read_bytes(), policy=policy.default) for p in paths]


def normalized(title: str = "Director of Research Computing", **extra: Any) -> dict[str, Any]:
    """A normalized record as the normalizer produces it, its text naming the title."""
    text = f"{title}: lead the research computing team."
    own = {
        "salary": None,
        "summary": text,
        "description_html": f"<p>{text}</p>",
        "description_text": text,
    }
    return record(title, **(own | extra))


def add_posting(
    board: Board,
    key: str,
    source: str = "src",
    now: datetime = SEEN,
    raw: dict[str, Any] | None = None,
    **fields: Any,
) -> str:
    """Store a crawled posting; its public id."""
    record = normalized(**fields)
    with board.session() as session:
        postings.ensure_source(session, source, record["institution"], "jsonld", "https://x.test/")
        raw = raw or {"title": record["title"], "institution": record["institution"], "k": key}
        result = upsert(session, record, raw, source, key, now=now)
        return result.posting.public_id


def add_editor(board: Board, email: str = EDITOR_EMAIL, password: str = EDITOR_PASSWORD) -> None:
    """Create an editor account."""
    with board.session() as session:
        create_editor(session, email, password)


def login(client: FlaskClient, email: str = EDITOR_EMAIL, password: str = EDITOR_PASSWORD) -> Any:
    """Log in through the form."""
    data = {"csrf_token": token_from(client, "/login"), "email": email, "password": password}
    return client.post("/login", data=data)


# -- fixtures (imported by each area's conftest) ---------------------------------------------


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    """The clock stopped at NOW (closing dates and weeks depend on it)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def app(board: Board, frozen: time_machine.Traveller) -> Flask:
    """The app on a fresh Board."""
    return make_app(board)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """An anonymous client."""
    return app.test_client()


@pytest.fixture
def editor_client(app: Flask, board: Board) -> FlaskClient:
    """A client logged in as an editor."""
    add_editor(board)
    client = app.test_client()
    response = login(client)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def assert_escaped(text: str) -> None:
    """No markup from XSS (nor a javascript: link) appears unescaped in a page or export."""
    assert "<script>alert" not in text
    assert "<img src=x" not in text
    assert 'href="javascript' not in text
