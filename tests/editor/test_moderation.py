"""Moderation: approve into a posting (merging with a crawled copy), reject with a reason."""

from __future__ import annotations

import re

from sqlalchemy import select

from board import postings
from board.audit import AuditEntry
from board.models import Posting
from board.normalize import normalize_record
from board.submissions.models import Submission
from board.submissions.services import raw_record
from tests.accounts.support import (
    XSS,
    assert_escaped,
    csrf_token,
    mails,
    make_app,
    status_token,
    submit,
    valid_fields,
)
from tests.records import upsert


def submission_id(board) -> int:
    with board.session() as session:
        return session.scalar(select(Submission.id).order_by(Submission.id.desc()))


def decide(editor_client, sid: int, decision: str, reason: str = ""):
    page = editor_client.get(f"/editor/submissions/{sid}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "decision": decision, "reason": reason}
    return editor_client.post(f"/editor/submissions/{sid}/decide", data=data)


def test_queue_lists_pending_submissions(client, editor_client, board):
    submit(client)
    html = editor_client.get("/editor/").get_data(as_text=True)
    assert "Moderation queue (1)" in html
    assert "Director of Research Computing" in html


def test_approve_makes_a_posting_and_tells_the_submitter(client, editor_client, board):
    token = status_token(submit(client))
    response = decide(editor_client, submission_id(board), "approve", "Welcome aboard")
    assert response.status_code == 302
    with board.session() as session:
        row = session.scalar(select(Submission))
        posting = session.get(Posting, row.posting_id)
        assert row.status == "approved" and row.reason == "Welcome aboard"
        assert posting.title == "Director of Research Computing"
        assert posting.location_display == "Hamilton ON CA"
        assert [link.source_id for link in posting.links] == ["submissions"]
        assert posting.links[0].source.platform == "form"
        public_id = posting.public_id
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "approve submission"))
        assert entry.actor == "editor@example.org"
    status = client.get(f"/submit/status/{token}").get_data(as_text=True)
    assert 'id="status">approved' in status and "Welcome aboard" in status
    assert f"/jobs/{public_id}" in status
    decision = mails(board)[-1]
    assert decision["Subject"] == "Approved: Director of Research Computing"
    assert f"http://jobs.example.test/jobs/{public_id}" in decision.get_content()
    assert client.get(f"/jobs/{public_id}").status_code == 200


def test_an_approved_submission_merges_with_a_crawled_copy(client, editor_client, board):
    fields = valid_fields()
    raw = {
        **raw_record({**fields, "closes_on": "2026-04-30"}),
        "source": "mcmaster",
        "source_id": "R123",
    }
    with board.session() as session:
        postings.ensure_source(session, "mcmaster", "McMaster University", "workday", "https://x/")
        crawled = upsert(session, normalize_record(raw), raw, "mcmaster", "R123")
        crawled_id = crawled.posting.public_id
    submit(client, fields)
    decide(editor_client, submission_id(board), "approve")
    with board.session() as session:
        row = session.scalar(select(Submission))
        posting = session.get(Posting, row.posting_id)
        assert posting.public_id == crawled_id
        assert sorted(link.source_id for link in posting.links) == ["mcmaster", "submissions"]
        assert session.scalar(select(Posting.id).where(Posting.id != posting.id)) is None


def test_reject_needs_a_reason_and_shows_it(client, editor_client, board):
    token = status_token(submit(client))
    sid = submission_id(board)
    refused = decide(editor_client, sid, "reject", "   ")
    assert refused.status_code == 302
    with board.session() as session:
        assert session.get(Submission, sid).status == "pending"
    decide(editor_client, sid, "reject", f"Not a leadership role {XSS}")
    status = client.get(f"/submit/status/{token}").get_data(as_text=True)
    assert 'id="status">rejected' in status and "Not a leadership role" in status
    assert_escaped(status)
    message = mails(board)[-1]
    assert message["Subject"] == "Rejected: Director of Research Computing"
    assert "Not a leadership role" in message.get_content()
    assert message.get_content_type() == "text/plain"


def test_withdrawn_submissions_cannot_be_approved(client, editor_client, board):
    token = status_token(submit(client))
    page = client.get(f"/submit/status/{token}").get_data(as_text=True)
    client.post(f"/submit/status/{token}/withdraw", data={"csrf_token": csrf_token(page)})
    sid = submission_id(board)
    page = editor_client.get(f"/editor/submissions/{sid}").get_data(as_text=True)
    assert "Save decision" not in page
    data = {"csrf_token": csrf_token(page), "decision": "approve", "reason": ""}
    response = editor_client.post(
        f"/editor/submissions/{sid}/decide", data=data, follow_redirects=True
    )
    assert "can no longer change" in response.get_data(as_text=True)
    with board.session() as session:
        assert session.scalar(select(Posting)) is None


def test_invalid_decision_is_refused(client, editor_client, board):
    submit(client)
    response = decide(editor_client, submission_id(board), "publish-twice")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


class BrokenMailer:
    def send(self, to: str, subject: str, body: str) -> None:
        raise OSError("smtp down")


def test_a_mail_failure_never_loses_the_decision(board, frozen, caplog):
    from tests.accounts.support import add_editor, login

    app = make_app(board, RCJOBS_MAILER=BrokenMailer())
    submit(app.test_client())
    add_editor(board)
    editor = app.test_client()
    login(editor)
    assert decide(editor, submission_id(board), "approve").status_code == 302
    with board.session() as session:
        assert session.scalar(select(Submission)).status == "approved"
        assert session.scalar(select(Posting)) is not None
    assert "could not send mail" in caplog.text


def test_editor_pages_escape_submitted_text(client, editor_client, board):
    description = f"Lead the team and its services. {XSS} More text to pass fifty characters."
    submit(client, valid_fields(description=description))
    html = editor_client.get(f"/editor/submissions/{submission_id(board)}").get_data(as_text=True)
    assert_escaped(html)
    assert re.search(r"&lt;script&gt;", html)


def test_an_approved_submission_with_markup_is_escaped_on_public_pages_and_feeds(
    client, editor_client, board
):
    description = (
        f"Lead the research computing team and its services. {XSS}\n\n"
        "[apply](javascript:alert(1)) now."
    )
    submit(client, valid_fields(description=description, salary="CAD 100,000 & up"))
    decide(editor_client, submission_id(board), "approve")
    with board.session() as session:
        public_id = session.scalar(select(Posting.public_id))
    page = client.get(f"/jobs/{public_id}")
    assert page.status_code == 200
    assert_escaped(page.get_data(as_text=True))
    listing = client.get("/jobs")
    assert "Director of Research Computing" in listing.get_data(as_text=True)
    for kind in ("atom", "rss"):
        feed = client.get(f"/jobs/feed.{kind}").get_data(as_text=True)
        assert f"/jobs/{public_id}" in feed
        assert_escaped(feed)
