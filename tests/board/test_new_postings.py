"""New postings written as multi-row INSERTs (board.new_postings): the rows the ORM would write,
and the ORM after all whenever a batch could merge or touches a posting it made."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

import board.ingest
from board import indexing
from board.config import load_settings
from board.ingest import MERGED, NEW, UPDATED, Ingest, RawRecord, SourceInfo
from board.models import Institution, Posting, PostingChange, PostingSource
from board.new_postings import NewRows
from board.services import Board

SOURCE = SourceInfo("import:test.jsonl", url="test.jsonl")
#: Columns whose values are random or the clock's.
VARYING = {"public_id", "first_seen", "last_seen", "updated_at", "created_at"}


def raw(n: int, title: str | None = None, **extra: object) -> dict[str, Any]:
    return {
        "title": title or f"Research Computing Manager {n}",
        "institution": ["McMaster University", "MIT", "TACC", "Oxford"][n % 4],
        "location": ["Hamilton ON CA", "Cambridge MA", "Austin TX", "Oxford UK"][n % 4],
        "description": f"<p>Lead research computing team number {n}. Salary $90,000.</p>",
        "url": f"https://careers.example.edu/jobs/{n}",
        "posted": "2026-01-10",
        **extra,
    }


def records(*raws: dict[str, Any]) -> list[RawRecord]:
    return [RawRecord(r, number) for number, r in enumerate(raws, start=1)]


@pytest.fixture
def inserted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many postings each NewRows.insert wrote."""
    counts: list[int] = []
    real = NewRows.insert

    def spy(self: NewRows, session: Any) -> None:
        counts.append(len(self.postings))
        real(self, session)

    monkeypatch.setattr(NewRows, "insert", spy)
    return counts


def _board_at(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Board:
    monkeypatch.setenv("RCJOBS_DATABASE_URL", f"sqlite:///{folder / 'rcjobs.db'}")
    monkeypatch.setenv("RCJOBS_INDEX_DIR", str(folder / "index"))
    made = Board(load_settings())
    made.init_db()
    return made


def _tables(b: Board) -> dict[str, list[dict[str, Any]]]:
    tables = [Posting, PostingSource, PostingChange, Institution]
    with b.engine.connect() as conn:
        return {
            model.__tablename__: [
                {k: v for k, v in row.items() if k not in VARYING}
                for row in conn.execute(select(model.__table__).order_by(text("id"))).mappings()
            ]
            for model in tables
        }


def test_new_postings_are_inserted_as_rows_the_orm_would_write(
    instance: Path, monkeypatch: pytest.MonkeyPatch, inserted: list[int]
) -> None:
    stream = [raw(n) for n in range(12)] + [raw(3, "Director of Research Computing")]
    rows_board = _board_at(instance / "rows", monkeypatch)
    outcomes = list(Ingest(rows_board, batch_size=5).stream(records(*stream), SOURCE))
    assert sum(inserted) == 12  # every new posting of the stream went in as a row
    monkeypatch.setattr(board.ingest, "_rows_fit", lambda *args: False)
    orm_board = _board_at(instance / "orm", monkeypatch)
    expected = list(Ingest(orm_board, batch_size=5).stream(records(*stream), SOURCE))
    assert [o.status for o in outcomes] == [o.status for o in expected] == [NEW] * 12 + [UPDATED]
    assert _tables(rows_board) == _tables(orm_board)
    for b in (rows_board, orm_board):
        indexing.catch_up(b)
        assert indexing.check(b).ok  # each posting's version is its latest change
        b.engine.dispose()


def test_a_batch_that_can_merge_is_stored_the_orm_way(any_board: Board, inserted: list[int]):
    copy = raw(1, url="https://elsewhere.test/1", source="mirror")
    outcomes = list(Ingest(any_board, batch_size=10).stream(records(raw(1), copy), SOURCE))
    assert [o.status for o in outcomes] == [NEW, MERGED]
    assert outcomes[1].public_id == outcomes[0].public_id
    assert sum(inserted) == 0
    with any_board.read_session() as session:
        assert session.scalar(select(func.count(Posting.id))) == 1
        assert session.scalar(select(func.count(PostingSource.id))) == 2


def test_a_batch_needing_the_orm_midway_is_stored_again_the_orm_way(
    any_board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the check before a batch let one through that merges or meets a posting it made,
    the batch is rolled back and stored with ORM objects: the same outcomes."""
    monkeypatch.setattr(board.ingest, "_rows_fit", lambda *args: True)
    stream = [
        raw(1),
        raw(2),
        raw(2, "Head of Research Computing"),  # the same source key again, changed
        raw(3),
        raw(3, url="https://elsewhere.test/3", source="mirror"),  # a duplicate of raw(3)
    ]
    outcomes = list(Ingest(any_board, batch_size=10).stream(records(*stream), SOURCE))
    assert [o.status for o in outcomes] == [NEW, NEW, UPDATED, NEW, MERGED]
    assert outcomes[2].public_id == outcomes[1].public_id
    assert outcomes[4].public_id == outcomes[3].public_id
    with any_board.read_session() as session:
        assert session.scalar(select(func.count(Posting.id))) == 3
        assert session.scalar(select(func.count(PostingSource.id))) == 4
        assert session.scalar(select(func.count(PostingChange.id))) == 3
    indexing.catch_up(any_board)
    assert indexing.check(any_board).ok
