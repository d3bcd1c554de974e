"""`rcjobs submissions digest`: mail the editors the submissions that wait (cron: daily)."""

from __future__ import annotations

import click

from board.accounts.cli import ready_board


@click.group("submissions")
def submissions_group() -> None:
    """Submitted postings."""


@submissions_group.command("digest")
def digest() -> None:
    """Mail every editor the list of submissions waiting for review (none: no mail)."""
    from board.mail import mailer_for
    from board.submissions.notify import digest as send_digest

    board = ready_board()
    base = board.settings.base_url
    with board.read_session() as session:
        listed, sent = send_digest(
            session, mailer_for(board.settings), lambda s: f"{base}/editor/submissions/{s.id}"
        )
    if not listed:
        click.echo("no submission waits for review")
        return
    click.echo(f"{listed} waiting submission(s) mailed to {sent} editor(s)")
