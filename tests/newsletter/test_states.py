"""Issue states: a draft is the editors' alone; publishing makes it public, with warnings."""

from __future__ import annotations

from datetime import date, datetime

from click.testing import CliRunner
from lxml import etree

from board import postings, queries
from board.cli import main
from board.newsletter import services
from tests.accounts.support import add_posting, csrf_token

ATOM = "{http://www.w3.org/2005/Atom}"


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def entries(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = etree.fromstring(response.data)
    return [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]


def draft_with_one(board, number: int = 12, issued_on: date = date(2026, 3, 10)) -> str:
    public_id = add_posting(board, f"k{number}", summary="Lead the team.")
    with board.session() as session:
        issue = services.create_issue(session, number, issued_on, "test")
        services.pick(session, issue, queries.get_posting(session, public_id), "test")
    return public_id


def test_a_draft_is_404_to_the_public_and_200_to_an_editor(client, editor_client, board):
    draft_with_one(board)
    assert client.get("/newsletter/12").status_code == 404
    assert client.get("/newsletter/12/feed.atom").status_code == 404
    assert "Issue 12" not in client.get("/newsletter").get_data(as_text=True)
    assert entries(client, "/newsletter/feed.atom") == []
    preview = editor_client.get("/newsletter/12")
    assert preview.status_code == 200
    assert "Only editors see this issue" in preview.get_data(as_text=True)
    assert preview.headers["Cache-Control"] == "no-store"
    builder = editor_client.get("/editor/issues/12").get_data(as_text=True)
    assert 'class="issue-state draft">Draft' in builder


def test_published_is_public_in_the_archive_and_its_feeds(client, editor_client, board):
    draft_with_one(board)
    page = "/editor/issues/12"
    token = csrf_token(editor_client.get(page).get_data(as_text=True))
    published = editor_client.post(f"{page}/publish", data={"csrf_token": token})
    assert "Issue 12 published." in editor_client.get(published.headers["Location"]).get_data(
        as_text=True
    )
    public = client.get("/newsletter/12").get_data(as_text=True)
    assert "Director of Research Computing" in public and "Only editors" not in public
    assert "Issue 12" in client.get("/newsletter").get_data(as_text=True)
    assert entries(client, "/newsletter/feed.atom") == ["Issue 12 (2026-03-10)"]
    assert entries(client, "/newsletter/12/feed.atom") == [
        "Director of Research Computing - McMaster University, Hamilton ON CA"
    ]
    token = csrf_token(editor_client.get(page).get_data(as_text=True))
    editor_client.post(f"{page}/unpublish", data={"csrf_token": token})
    assert client.get("/newsletter/12").status_code == 404


def test_the_builder_asks_before_publishing_with_warnings(editor_client, board):
    with board.session() as session:
        services.create_issue(session, 12, date(2026, 3, 10), "test")
    page = "/editor/issues/12"
    html = editor_client.get(page).get_data(as_text=True)
    assert "Issue 12 has no highlights." in html and 'name="force"' in html
    token = csrf_token(html)
    refused = editor_client.post(f"{page}/publish", data={"csrf_token": token})
    assert "no highlights" in editor_client.get(refused.headers["Location"]).get_data(as_text=True)
    with board.session() as session:
        assert not services.get_issue(session, 12).is_published
    editor_client.post(f"{page}/publish", data={"csrf_token": token, "force": "1"})
    with board.session() as session:
        assert services.get_issue(session, 12).is_published


def test_cli_new_makes_a_draft_and_publish_publishes(board):
    public_id = add_posting(board, "a")
    new = run("issue", "new", "5", "--date", "2026-03-13")
    assert new.exit_code == 0 and "draft issue 5 created" in new.output
    run("issue", "pick", "5", public_id)
    published = run("issue", "publish", "5")
    assert published.exit_code == 0, published.output
    assert "issue 5 published: http://jobs.example.test/newsletter/5" in published.output
    again = run("issue", "publish", "5")
    assert again.exit_code == 2 and "already published" in again.output
    assert run("issue", "publish", "77").exit_code == 2


def test_cli_publish_warns_and_exits_1_unless_forced(board):
    run("issue", "new", "5", "--date", "2026-03-13")
    empty = run("issue", "publish", "5")
    assert empty.exit_code == 1
    assert "warning: Issue 5 has no highlights." in empty.output
    assert "not published (--force publishes anyway)" in empty.output
    forced = run("issue", "publish", "5", "--force")
    assert forced.exit_code == 0 and "issue 5 published" in forced.output
    # another issue on the same date, and numbers that go back
    draft_with_one(board, 4, date(2026, 3, 13))
    duplicate = run("issue", "publish", "4")
    assert duplicate.exit_code == 1
    assert "Issue 5 is already published for 2026-03-13." in duplicate.output
    assert "Issue 5 is already published: numbers would go back." in duplicate.output


def test_cli_publish_warns_about_highlights_closed_since_picked(board, frozen):
    public_id = draft_with_one(board, 6, date(2026, 3, 13))
    frozen.move_to(datetime(2026, 3, 12, 8))
    with board.session() as session:
        postings.close_posting(session, queries.get_posting(session, public_id))
    result = run("issue", "publish", "6")
    assert result.exit_code == 1
    assert (
        "warning: Highlight #1 (Director of Research Computing) has closed since it was picked."
        in result.output
    )
    assert run("issue", "publish", "6", "--force").exit_code == 0


def test_issues_made_before_states_stay_published(board):
    """Revision 0006 publishes the issues that were public before drafts existed."""
    from alembic import command
    from sqlalchemy import text

    from board.migrate import alembic_config

    config = alembic_config()
    with board.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0005")
        connection.execute(
            text(
                "INSERT INTO newsletter_issues (number, issued_on, created_at) "
                "VALUES (3, '2026-03-06', '2026-03-05 10:00:00')"
            )
        )
        command.upgrade(config, "head")
    with board.session() as session:
        issue = services.get_issue(session, 3)
        assert issue.is_published and issue.published_at == datetime(2026, 3, 5, 10)
        assert services.create_issue(session, 4, date(2026, 3, 13), "test").status == "draft"
