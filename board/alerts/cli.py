"""`rcjobs alerts send [--frequency daily|weekly]` (run it from cron or the scheduler)."""

from __future__ import annotations

import sys

import click

from board.alerts.models import FREQUENCIES


@click.group("alerts")
def alerts_group() -> None:
    """Email alerts for searches."""


@alerts_group.command("send")
@click.option(
    "--frequency", type=click.Choice(FREQUENCIES), default=None, help="Only daily or weekly ones."
)
def send(frequency: str | None) -> None:
    """Mail every due alert the postings new to it (each posting once per alert)."""
    from board.accounts.cli import ready_board
    from board.alerts.sender import send_due
    from board.app import create_app

    app = create_app(board=ready_board())
    report = send_due(app, frequency)
    click.echo(report.line())
    if report.failed:
        sys.exit(1)


COMMANDS = [alerts_group]
