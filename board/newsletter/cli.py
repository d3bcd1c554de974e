"""`rcjobs issue new|pick|export`: the issue builder for scripts."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from board.accounts.cli import ready_board

ACTOR = "cli"


def _fail(message: str) -> NoReturn:
    click.echo(f"rcjobs: {message}", err=True)
    sys.exit(2)


@click.group("issue")
def issue_group() -> None:
    """Newsletter issues: create, pick highlights, export the jobs section."""


@issue_group.command("new")
@click.argument("number", type=click.IntRange(1))
@click.option("--date", "issued_on", required=True, type=click.DateTime(["%Y-%m-%d"]))
def new(number: int, issued_on) -> None:  # noqa: ANN001 - a datetime from click
    """Create issue NUMBER dated --date YYYY-MM-DD."""
    from board.newsletter.services import IssueError, create_issue

    try:
        with ready_board().session() as session:
            create_issue(session, number, issued_on.date(), ACTOR)
    except IssueError as exc:
        _fail(str(exc))
    click.echo(f"issue {number} created for {issued_on.date().isoformat()}")


@issue_group.command("pick")
@click.argument("number", type=click.IntRange(1))
@click.argument("posting_id")
@click.option("--blurb", default=None, help="The blurb (default: the posting's summary).")
def pick(number: int, posting_id: str, blurb: str | None) -> None:
    """Add posting POSTING_ID (its public id) to issue NUMBER's highlights."""
    from board import queries
    from board.newsletter.services import IssueError, get_issue
    from board.newsletter.services import pick as pick_posting

    try:
        with ready_board().session() as session:
            issue = get_issue(session, number)
            if issue is None:
                raise IssueError(f"no issue {number}: create it with `rcjobs issue new`")
            posting = queries.get_posting(session, posting_id[:20])
            if posting is None:
                raise IssueError(f"no posting {posting_id}")
            highlight = pick_posting(session, issue, posting, ACTOR, blurb)
            heading, position = highlight.heading, highlight.position + 1
    except IssueError as exc:
        _fail(str(exc))
    click.echo(f"issue {number} #{position}: {heading}")


@issue_group.command("export")
@click.argument("number", type=click.IntRange(1))
@click.option(
    "--format", "fmt", type=click.Choice(["markdown", "html", "text"]), default="markdown"
)
def export_issue(number: int, fmt: str) -> None:
    """Print issue NUMBER's jobs section."""
    from board.newsletter.export import export
    from board.newsletter.services import get_issue

    board = ready_board()
    with board.session() as session:
        issue = get_issue(session, number)
        if issue is None:
            _fail(f"no issue {number}")
        body = export(issue, board.settings.base_url, fmt)
    click.echo(body, nl=False)


COMMANDS = [issue_group]
