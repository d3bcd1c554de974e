"""`rcjobs issue new|pick|export` for scripts."""

from __future__ import annotations

from click.testing import CliRunner

from board.cli import main
from tests.accounts.support import add_posting
from tests.newsletter.fixture_issue import fixture_highlights


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_new_pick_export(board):
    public_id = add_posting(board, "a", summary="Lead the team.")
    assert run("issue", "new", "5", "--date", "2026-03-13").exit_code == 0
    picked = run("issue", "pick", "5", public_id, "--blurb", "A *great* role.")
    assert picked.exit_code == 0, picked.output
    assert "issue 5 #1: Director of Research Computing - McMaster University" in picked.output
    markdown = run("issue", "export", "5", "--format", "markdown")
    assert markdown.exit_code == 0
    assert markdown.output.startswith("## Jobs Leading Research Computing Teams\n")
    assert f"(http://jobs.example.test/jobs/{public_id})" in markdown.output
    assert "A \\*great\\* role." in markdown.output
    text = run("issue", "export", "5", "--format", "text").output.splitlines()
    assert text[:2] == [
        "Jobs Leading Research Computing Teams",
        "Highlights below; full listing available on the job board.",
    ]
    assert "<h2>" in run("issue", "export", "5", "--format", "html").output


def test_the_cli_blurb_defaults_to_the_summary(board):
    item = fixture_highlights()[0]
    public_id = add_posting(board, "a", title=item["title"], summary=item["blurb"])
    run("issue", "new", "6", "--date", "2026-03-13")
    run("issue", "pick", "6", public_id)
    assert item["blurb"] in run("issue", "export", "6", "--format", "text").output


def test_cli_errors_exit_2(board):
    public_id = add_posting(board, "a")
    run("issue", "new", "5", "--date", "2026-03-13")
    duplicate = run("issue", "new", "5", "--date", "2026-03-20")
    assert duplicate.exit_code == 2 and "already exists" in duplicate.output
    assert run("issue", "new", "7", "--date", "13/03/2026").exit_code == 2
    assert run("issue", "new", "0", "--date", "2026-03-13").exit_code == 2
    unknown_issue = run("issue", "pick", "9", public_id)
    assert unknown_issue.exit_code == 2 and "no issue 9" in unknown_issue.output
    unknown_posting = run("issue", "pick", "5", "nope")
    assert unknown_posting.exit_code == 2 and "no posting nope" in unknown_posting.output
    run("issue", "pick", "5", public_id)
    assert run("issue", "pick", "5", public_id).exit_code == 2
    assert run("issue", "export", "9").exit_code == 2
    assert run("issue", "export", "5", "--format", "pdf").exit_code == 2


def test_cli_needs_an_initialised_database(instance):
    result = run("issue", "new", "1", "--date", "2026-03-13")
    assert result.exit_code == 2 and "rcjobs init" in result.output
