"""What every `rcjobs` command module shares: exit statuses, one-line failures, the Board.

board.cli and the command modules it loads lazily (board.ops_cli, board.scheduling.cli, ...)
import this module, so none of them imports board.cli back."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from board.errors import DatabaseError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2
#: `rcjobs crawl`: a source was skipped because another crawl holds it or its host (EX_TEMPFAIL).
EXIT_BUSY = 75


def _board():  # noqa: ANN202 - Board, imported late to keep `rcjobs --help` fast
    from board.config import ConfigError
    from board.services import Board

    try:
        return Board()
    except ConfigError as exc:
        _fail(str(exc))


def _fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"rcjobs: {message}", err=True)
    sys.exit(code)


def _ready_board():  # noqa: ANN202
    board = _board()
    try:
        board.check_db()
    except DatabaseError as exc:
        _fail(str(exc))
    return board


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
