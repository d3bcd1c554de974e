"""`rcjobs export` and `rcjobs migrate --to URL`: a whole installation out, or into PostgreSQL.

`rcjobs import --all FILE` (board.cli) loads an export back; all three share board.export.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from board.cli_support import EXIT_SOME_FAILED, _fail, _ready_board, _safe_url
from board.errors import DatabaseError

if TYPE_CHECKING:
    from board.export import LoadReport
    from board.services import Board


@click.command("export")
@click.argument("file", default="-", metavar="[FILE|-]")
def export_command(file: str) -> None:
    """Write every row of every table as JSON Lines to FILE (default: stdout).

    The file holds everything, editors' password hashes and alert addresses included: keep it
    as private as the database. Load it into a new database with `rcjobs import --all FILE`.
    """
    from board import export

    board = _ready_board()
    try:
        if file == "-":
            counts = export.dump(board.engine, sys.stdout)
        else:
            counts = _export_to_file(board, Path(file))
    finally:
        board.engine.dispose()
    rows = sum(counts.values())
    where = "stdout" if file == "-" else file
    click.echo(f"exported {rows} row(s) of {len(counts)} table(s) to {where}", err=True)


def _export_to_file(board: Board, path: Path) -> dict[str, int]:
    """Write beside the file and rename, so a failed export never replaces a good one."""
    from board import export

    partial = path.with_name(f".{path.name}.partial")
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(fd, "w", encoding="utf-8") as out:
            counts = export.dump(board.engine, out)
            os.fsync(out.fileno())
        os.replace(partial, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            partial.unlink()
        _fail(f"cannot write {path}: {exc.strerror or exc}")
    return counts


def import_all(board: Board, file: click.File) -> None:
    """`rcjobs import --all FILE`: an export into a new database, then the index rebuilt."""
    from board import export, indexing

    try:
        board.init_db()  # a new database gets its tables; an existing one is left as it is
        report = export.load(board.engine, file)  # type: ignore[arg-type]
        _print_counts(report)
        total = indexing.rebuild(board)
    except export.ExportError as exc:
        _fail(f"nothing imported: {exc}")
    except DatabaseError as exc:
        _fail(str(exc))
    finally:
        board.engine.dispose()
    click.echo(f"imported {sum(report.counts.values())} row(s); index rebuilt: {total} posting(s)")


def _print_counts(report: LoadReport) -> None:
    for table, count in sorted(report.counts.items()):
        click.echo(f"  {table}: {count}")


@click.command("migrate")
@click.option("--to", "target_url", required=True, metavar="URL", help="The new database.")
@click.option(
    "--from",
    "source_url",
    default=None,
    metavar="URL",
    help="The database to move (default: RCJOBS_DATABASE_URL or the instance's SQLite).",
)
def migrate_command(target_url: str, source_url: str | None) -> None:
    """Move this installation's database into a new one (SQLite to PostgreSQL), check every
    table's rows and checksum, and bring the search index up to date against it."""
    boards: list[Board] = []
    try:
        _migrate(target_url, source_url, boards)
    finally:
        for board in boards:
            board.engine.dispose()


def _migrate(target_url: str, source_url: str | None, boards: list[Board]) -> None:
    from board import export, indexing
    from board.services import Board

    _check_url("--to", target_url)
    if source_url:
        _check_url("--from", source_url)
    source = _ready_board()
    boards.append(source)
    if source_url:
        source = Board(dataclasses.replace(source.settings, database_url=source_url))
        boards.append(source)
        try:
            source.check_db()
        except DatabaseError as exc:
            _fail(str(exc))
    if _same(source.settings.database_url, target_url):
        _fail("--to names the database being moved: give a new, empty database")
    target = Board(dataclasses.replace(source.settings, database_url=target_url))
    boards.append(target)
    try:
        head = target.init_db()
        with source.engine.connect() as connection:
            revision = export.revision_of(connection)
        if revision != head:
            _fail(f"the database is at revision {revision}, not {head}: run `rcjobs init` first")
        click.echo(f"copying {_safe_url(source.settings.database_url)} -> {_safe_url(target_url)}")
        report = export.copy(source.engine, target.engine)
        before, after = export.digests(source.engine), export.digests(target.engine)
    except export.ExportError as exc:
        _fail(f"nothing moved: {exc}")
    except DatabaseError as exc:
        _fail(str(exc))
    bad = 0
    for table in sorted(before):
        (rows, digest), (copied, copied_digest) = before[table], after.get(table, (0, ""))
        same = rows == copied and digest == copied_digest
        bad += not same
        mark = "ok" if same else "DIFFERENT"
        click.echo(f"  {table}: {rows} -> {copied} row(s), checksum {mark}")
    if bad:
        click.echo(f"{bad} table(s) differ after the move: keep using the old database", err=True)
        sys.exit(EXIT_SOME_FAILED)
    done = indexing.catch_up(target)
    click.echo(
        f"moved {sum(report.counts.values())} row(s); index at change {done.watermark}"
        f" ({'built' if done.rebuilt else 'caught up'})"
    )
    click.echo(f"now set RCJOBS_DATABASE_URL={_safe_url(target_url)} for every rcjobs process")


def _check_url(option: str, url: str) -> None:
    """One clear line for a URL SQLAlchemy cannot use (no such dialect or driver)."""
    from sqlalchemy.engine import make_url

    try:
        make_url(url).get_dialect()
    except Exception as exc:  # noqa: BLE001 - ArgumentError, NoSuchModuleError, ImportError
        _fail(f"{option} is not a database URL rcjobs can use: {_safe_text(exc)}")


def _safe_text(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__


def _same(first: str, second: str) -> bool:
    from sqlalchemy.engine import make_url

    try:
        return make_url(first) == make_url(second)
    except Exception:  # noqa: BLE001 - an unparsable URL is reported when it is used
        return False
