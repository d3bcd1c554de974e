"""`rcjobs editor add EMAIL`: create an editor account (the password is prompted for)."""

from __future__ import annotations

import sys

import click

from board.db import DatabaseError


def ready_board():  # noqa: ANN201 - a Board, or exit 2 with one line
    """The Board, checked to have a database (exit 2 otherwise)."""
    from board.services import Board

    board = Board()
    try:
        board.check_db()
    except DatabaseError as exc:
        click.echo(f"rcjobs: {exc}", err=True)
        sys.exit(2)
    return board


@click.group("editor")
def editor_group() -> None:
    """Editor accounts."""


@editor_group.command("add")
@click.argument("email")
@click.password_option(prompt="Password (at least 12 characters)")
def add(email: str, password: str) -> None:
    """Create an editor account for EMAIL."""
    from board.accounts.services import AccountError, create_editor

    board = ready_board()
    try:
        with board.session() as session:
            editor = create_editor(session, email, password)
            address = editor.email
    except AccountError as exc:
        click.echo(f"rcjobs: {exc}", err=True)
        sys.exit(2)
    click.echo(f"editor {address} added")


@editor_group.command("list")
def list_editors() -> None:
    """List editor accounts."""
    from sqlalchemy import select

    from board.accounts.models import Editor

    with ready_board().session() as session:
        for editor in session.scalars(select(Editor).order_by(Editor.email)):
            last = (
                editor.last_login_at.isoformat(" ", "minutes") if editor.last_login_at else "never"
            )
            click.echo(f"{editor.email}  last login: {last}")


COMMANDS = [editor_group]
