"""Every editor hears of a new submission by mail, once it is stored; a digest lists what waits."""

from __future__ import annotations

from collections.abc import Mapping

from click.testing import CliRunner
from sqlalchemy import func, select

from board.cli import main
from board.submissions.models import Submission
from tests.accounts.support import add_editor, mails, make_app, submit, valid_fields


class CommittedCheckingMailer:
    """Records each mail and how many submissions another session could see when it went."""

    def __init__(self, board) -> None:
        self.board = board
        self.sent: list[tuple[str, str, str, int]] = []

    def send(self, to: str, subject: str, body: str, headers: Mapping[str, str] | None = None):
        with self.board.session() as session:  # a separate connection: only committed rows
            stored = session.scalar(select(func.count(Submission.id)))
        self.sent.append((to, subject, body, stored))


def test_every_editor_is_mailed_after_the_submission_is_stored(board, frozen):
    add_editor(board, "ed@example.org")
    add_editor(board, "second.editor@example.net")
    mailer = CommittedCheckingMailer(board)
    client = make_app(
        board, RCJOBS_MAILER=mailer, BASE_URL="http://jobs.example.test"
    ).test_client()
    assert submit(client).status_code == 302
    to_editors = [m for m in mailer.sent if m[1].startswith("Submission to review")]
    assert sorted(m[0] for m in to_editors) == ["ed@example.org", "second.editor@example.net"]
    with board.session() as session:
        sid = session.scalar(select(Submission.id))
    for _, subject, body, stored in to_editors:
        assert stored == 1  # the submission was committed before the mail went out
        assert subject == "Submission to review: Director of Research Computing"
        assert f"http://jobs.example.test/editor/submissions/{sid}" in body
        assert "McMaster University" in body and "1 submission(s) wait" in body


def test_a_failing_mailer_loses_no_submission(board, frozen):
    add_editor(board)

    class Broken:
        def send(self, *args, **kwargs):
            raise OSError("smtp down")

    client = make_app(board, RCJOBS_MAILER=Broken()).test_client()
    assert submit(client).status_code == 302
    with board.session() as session:
        assert session.scalar(select(func.count(Submission.id))) == 1


def test_digest_mails_each_editor_the_waiting_submissions(board, frozen, client):
    add_editor(board, "ed@example.org")
    submit(client)
    submit(client, valid_fields(title="Head of Research Software Engineering"))
    before = len(mails(board))
    result = CliRunner().invoke(main, ["submissions", "digest"])
    assert result.exit_code == 0, result.output
    assert "2 waiting submission(s) mailed to 1 editor(s)" in result.output
    (digest,) = mails(board)[before:]
    assert digest["To"] == "ed@example.org"
    assert digest["Subject"] == "2 submission(s) wait for review"
    body = digest.get_content()
    assert body.index("Director of Research Computing") < body.index("Head of Research Software")
    assert f"{board.settings.base_url}/editor/submissions/" in body


def test_digest_with_nothing_waiting_sends_nothing(board, frozen):
    add_editor(board)
    result = CliRunner().invoke(main, ["submissions", "digest"])
    assert result.exit_code == 0
    assert "no submission waits for review" in result.output
    assert mails(board) == []
