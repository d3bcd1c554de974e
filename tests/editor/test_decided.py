"""The list of decided submissions: approved, rejected and withdrawn, by state, a page at a time."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from board.submissions import services
from board.submissions.models import Submission
from tests.accounts.support import XSS, assert_escaped, valid_fields

DECIDED_AT = datetime(2026, 3, 1, 9)


def form_fields(**changes: str) -> dict:
    """A valid submission as the form hands it to the services (the date parsed)."""
    return dict(valid_fields(**changes), closes_on=date(2026, 4, 30))


def add_submissions(board, states: list[str], title: str = "Job") -> None:
    """Store submissions in the given states, each decided a minute after the previous one."""
    with board.session() as session:
        for n, state in enumerate(states):
            fields = form_fields(title=f"{title} {n}")
            item, _ = services.create(session, fields, nonce=f"nonce-{title}-{n}")
            item.status = state
            if state != "pending":
                item.decided_at = DECIDED_AT + timedelta(minutes=n)
                item.reason = f"reason {n}" if state == "rejected" else None


def titles(html: str) -> list[str]:
    table = re.search(r'<table id="decided">(.*?)</table>', html, re.S)
    return re.findall(r">(Job \d+)</a>", table.group(1)) if table else []


def test_the_dashboard_links_to_the_decided_submissions(editor_client):
    html = editor_client.get("/editor/").get_data(as_text=True)
    assert 'href="/editor/submissions"' in html


def test_decided_lists_every_decided_state_newest_first_without_pending(editor_client, board):
    add_submissions(board, ["approved", "pending", "rejected", "withdrawn"])
    html = editor_client.get("/editor/submissions").get_data(as_text=True)
    assert "Decided submissions (3)" in html
    assert titles(html) == ["Job 3", "Job 2", "Job 0"]
    assert "reason 2" in html
    with board.session() as session:
        first = session.query(Submission).filter_by(title="Job 0").one()
    assert f'href="/editor/submissions/{first.id}"' in html


def test_decided_filters_by_state(editor_client, board):
    add_submissions(board, ["approved", "rejected", "withdrawn", "rejected"])
    for state, expected in (
        ("approved", ["Job 0"]),
        ("rejected", ["Job 3", "Job 1"]),
        ("withdrawn", ["Job 2"]),
    ):
        html = editor_client.get(f"/editor/submissions?state={state}").get_data(as_text=True)
        assert titles(html) == expected, state
        assert f'aria-current="page">{state}<' in html
    html = editor_client.get("/editor/submissions?state=approved&page=1").get_data(as_text=True)
    assert 'href="/editor/submissions?state=rejected"' in html


def test_an_unknown_state_is_a_clear_error(editor_client, board):
    for state in ("pending", "bogus", XSS):
        response = editor_client.get("/editor/submissions", query_string={"state": state})
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert_escaped(html)


def test_decided_is_paginated(editor_client, board):
    add_submissions(board, ["rejected"] * 30)
    first = editor_client.get("/editor/submissions?state=rejected").get_data(as_text=True)
    assert titles(first) == [f"Job {n}" for n in range(29, 4, -1)]
    assert "Page 1 of 2" in first and 'rel="prev"' not in first
    assert 'href="/editor/submissions?state=rejected&amp;page=2"' in first
    second = editor_client.get("/editor/submissions?state=rejected&page=2").get_data(as_text=True)
    assert titles(second) == [f"Job {n}" for n in range(4, -1, -1)]
    assert "Page 2 of 2" in second and 'rel="next"' not in second
    for page in ("99", "0", "x"):  # out of range or not a number: the nearest real page
        html = editor_client.get(f"/editor/submissions?page={page}").get_data(as_text=True)
        assert ("Page 2 of 2" if page == "99" else "Page 1 of 2") in html


def test_decided_pages_escape_submitted_markup(editor_client, board):
    with board.session() as session:
        item, _ = services.create(
            session, form_fields(title=f"Director {XSS}", institution=f"Uni {XSS}"), "n-xss"
        )
        services.reject(session, item, None, f"No {XSS}")
    html = editor_client.get("/editor/submissions").get_data(as_text=True)
    assert_escaped(html)
    assert "&lt;script&gt;" in html


def test_decided_needs_an_editor_session(client):
    response = client.get("/editor/submissions")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
