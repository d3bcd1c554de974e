"""`rcjobs migrate --to postgresql+psycopg://...` moves an SQLite installation, checked."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from board import export
from board.cli import main
from board.config import load_settings
from board.services import Board
from search_index import SearchRequest
from tests.ops.everything import fill


def test_migrate_moves_sqlite_to_postgresql_with_every_row_and_the_index_following(
    board, pg_schema, monkeypatch
):
    ids = fill(board)
    board.index  # noqa: B018 - the SQLite installation's index, as it stands before the move
    from board import indexing

    indexing.catch_up(board)
    before = export.digests(board.engine)
    target = pg_schema()

    result = CliRunner().invoke(main, ["migrate", "--to", target])
    assert result.exit_code == 0, result.output
    assert "checksum DIFFERENT" not in result.output
    for table, (rows, _) in before.items():
        assert f"  {table}: {rows} -> {rows} row(s), checksum ok" in result.output

    monkeypatch.setenv("RCJOBS_DATABASE_URL", target)
    moved = Board(load_settings())
    try:
        assert export.digests(moved.engine) == before
        check = indexing.check(moved)
        assert check.ok and check.watermark == check.latest > 0
        hits = moved.index.search(SearchRequest(q="research", per_page=50)).hits
        assert set(ids) <= {hit.id for hit in hits}
    finally:
        moved.engine.dispose()


def test_migrate_refuses_a_target_that_holds_rows(board, pg_schema, monkeypatch):
    fill(board)
    target = pg_schema()
    runner = CliRunner()
    assert runner.invoke(main, ["migrate", "--to", target]).exit_code == 0
    again = runner.invoke(main, ["migrate", "--to", target])
    assert again.exit_code == 2
    assert "not empty" in again.output and "Traceback" not in again.output


def test_migrate_to_itself_is_refused(board):
    result = CliRunner().invoke(main, ["migrate", "--to", board.settings.database_url])
    assert result.exit_code == 2
    assert "names the database being moved" in result.output


@pytest.mark.parametrize("url", ["postgresql+psycopg://nobody@127.0.0.1:1/none", "nonsense://"])
def test_migrate_to_an_unreachable_or_unknown_database_is_one_line(board, url):
    result = CliRunner().invoke(main, ["migrate", "--to", url])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and result.output.count("\n") <= 2, result.output
