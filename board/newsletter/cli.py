"""`rcjobs issue new|pick|suggest|publish|export`: the issue builder for scripts."""

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
    """Newsletter issues: create a draft, pick or draft highlights, publish, export."""


@issue_group.command("new")
@click.argument("number", type=click.IntRange(1))
@click.option("--date", "issued_on", required=True, type=click.DateTime(["%Y-%m-%d"]))
def new(number: int, issued_on) -> None:  # noqa: ANN001 - a datetime from click
    """Create draft issue NUMBER dated --date YYYY-MM-DD (public once published)."""
    from board.newsletter.services import IssueError, create_issue

    try:
        with ready_board().session() as session:
            create_issue(session, number, issued_on.date(), ACTOR)
    except IssueError as exc:
        _fail(str(exc))
    click.echo(
        f"draft issue {number} created for {issued_on.date().isoformat()} "
        f"(publish it with `rcjobs issue publish {number}`)"
    )


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


@issue_group.command("suggest")
@click.argument("number", type=click.IntRange(1))
@click.option("--count", default=12, show_default=True, type=click.IntRange(1, 100))
@click.option("--dry-run", is_flag=True, help="Print the drafted list without adding it.")
def suggest(number: int, count: int, dry_run: bool) -> None:
    """Draft issue NUMBER's highlights: the top postings since the last published issue."""
    from board.clock import today
    from board.newsletter.services import IssueError, get_issue
    from board.newsletter.suggest import draft_highlights
    from board.newsletter.suggest import suggest as drafted

    try:
        with ready_board().session() as session:
            issue = get_issue(session, number)
            if issue is None:
                raise IssueError(f"no issue {number}: create it with `rcjobs issue new`")
            if dry_run:
                found = drafted(session, today(), issue, count)
                session.rollback()
            else:
                found = draft_highlights(session, today(), issue, ACTOR, count)
            lines = [f"{item.posting.title} - {item.posting.institution_name}" for item in found]
    except IssueError as exc:
        _fail(str(exc))
    verb = "would add" if dry_run else "added"
    click.echo(f"issue {number}: {verb} {len(lines)} drafted highlight(s)")
    for line in lines:
        click.echo(f"  {line}")


@issue_group.command("publish")
@click.argument("number", type=click.IntRange(1))
@click.option("--force", is_flag=True, help="Publish despite the warnings.")
def publish(number: int, force: bool) -> None:
    """Publish draft issue NUMBER: public at /newsletter/NUMBER, in the archive and its feed.

    Warns, and exits 1 unless --force, about another published issue on the same date, no
    highlights, or highlights whose postings have closed or been hidden.
    """
    from board.newsletter.services import get_issue, publish_warnings
    from board.newsletter.services import publish as publish_issue

    board = ready_board()
    with board.session() as session:
        issue = get_issue(session, number)
        if issue is None:
            _fail(f"no issue {number}: create it with `rcjobs issue new`")
        if issue.is_published:
            _fail(f"issue {number} is already published")
        warnings = publish_warnings(session, issue)
        for warning in warnings:
            click.echo(f"warning: {warning}", err=True)
        if warnings and not force:
            session.rollback()
            click.echo(f"issue {number} not published (--force publishes anyway)", err=True)
            sys.exit(1)
        publish_issue(session, issue, ACTOR, force=True)
    click.echo(f"issue {number} published: {board.settings.base_url}/newsletter/{number}")


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
