"""`rcjobs export` then `rcjobs import --all` into an empty database reproduces every row."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from board import export
from board.cli import main
from board.config import load_settings
from board.ingest import Ingest, RawRecord, SourceInfo
from board.models import Posting
from board.services import Board
from search_index import SearchRequest
from tests.ops.everything import fill


def target_board(monkeypatch: pytest.MonkeyPatch, url: str, index_dir: Path) -> Board:
    monkeypatch.setenv("RCJOBS_DATABASE_URL", url)
    monkeypatch.setenv("RCJOBS_INDEX_DIR", str(index_dir))
    return Board(load_settings())


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_export_then_import_all_reproduces_every_row_of_every_table(
    any_board, tmp_path, monkeypatch, request, target
):
    ids = fill(any_board)
    before = export.digests(any_board.engine)
    empty = [name for name, (count, _) in before.items() if count == 0]
    assert not empty, f"give these tables a row in tests/ops/everything.py: {empty}"
    assert set(before) == {t.name for t in export.tables()}

    file = tmp_path / "backup.jsonl"
    runner = CliRunner()
    result = runner.invoke(main, ["export", str(file)])
    assert result.exit_code == 0, result.output
    assert file.stat().st_mode & 0o077 == 0  # the backup holds password hashes: private
    lines = file.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["format"] == "rcjobs-export"
    assert len(lines) == 2 + sum(count for count, _ in before.values())

    if target == "sqlite":
        url = f"sqlite:///{tmp_path / 'restored.db'}"
    else:
        url = request.getfixturevalue("pg_schema")()
    restored = target_board(monkeypatch, url, tmp_path / "restored-index")
    result = runner.invoke(main, ["import", "--all", str(file)])
    assert result.exit_code == 0, result.output
    assert export.digests(restored.engine) == before

    # the restored installation works: its index was built, and new rows get new ids
    hits = restored.index.search(SearchRequest(q="research computing", per_page=50)).hits
    assert ids[0] in {hit.id for hit in hits}
    with restored.read_session() as session:
        top = session.scalar(select(func.max(Posting.id)))
    record = RawRecord(
        {
            "title": "Director, Research Computing Services",
            "institution": "University of Toronto",
            "location": "Toronto ON CA",
            "description": "<p>Lead research computing.</p>",
            "url": "https://careers.example.edu/jobs/new",
        },
        1,
    )
    (outcome,) = Ingest(restored, index_every=None).batch([record], SourceInfo("after"))
    assert not outcome.failed, outcome.reason
    with restored.read_session() as session:
        assert session.scalar(select(func.max(Posting.id))) == top + 1
    restored.engine.dispose()


def test_import_all_refuses_a_database_that_holds_rows(board, tmp_path):
    fill(board)
    file = tmp_path / "backup.jsonl"
    runner = CliRunner()
    assert runner.invoke(main, ["export", str(file)]).exit_code == 0
    before = export.digests(board.engine)
    result = runner.invoke(main, ["import", "--all", str(file)])
    assert result.exit_code == 2
    assert "not empty" in result.output and "Traceback" not in result.output
    assert export.digests(board.engine) == before


def test_a_truncated_export_loads_nothing(board, tmp_path, monkeypatch):
    fill(board)
    file = tmp_path / "backup.jsonl"
    assert CliRunner().invoke(main, ["export", str(file)]).exit_code == 0
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(file.read_text().splitlines()[:-3]) + "\n")
    restored = target_board(monkeypatch, f"sqlite:///{tmp_path / 'r.db'}", tmp_path / "ri")
    result = CliRunner().invoke(main, ["import", "--all", str(cut)])
    assert result.exit_code == 2
    assert "incomplete" in result.output
    assert all(count == 0 for count, _ in export.digests(restored.engine).values())


def test_import_all_of_a_file_that_is_not_an_export_is_one_clear_line(board, tmp_path):
    file = tmp_path / "records.jsonl"
    file.write_text('{"title": "Director"}\n')
    result = CliRunner().invoke(main, ["import", "--all", str(file)])
    assert result.exit_code == 2
    assert "not an rcjobs export" in result.output


def test_export_to_stdout_is_json_lines(board):
    fill(board)
    result = CliRunner().invoke(main, ["export"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[-1]["end"] is True
    assert {row["table"] for row in rows[1:-1]} == {t.name for t in export.tables()}
