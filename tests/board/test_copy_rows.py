"""New postings COPYed on PostgreSQL are stored as the multi-row INSERT stored them."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

import board.copy_rows
from board.ingest import NEW, Ingest, RawRecord, SourceInfo

SOURCE = SourceInfo("import:copy.jsonl", url="copy.jsonl")
#: What a stored batch wrote, without what differs between two runs (ids, public ids, times).
TABLES = {
    "postings": "SELECT title, institution_name, unit, unit_slug, locations::text,"
    " location_display, remote, role, technical::text, relevant, score::text, reasons::text,"
    " salary::text, posted_on, closes_on, review_begins_on, employment_type, summary,"
    " description_html, description_text, url, requisition_id, dedupe_key, normalized::text,"
    " overrides::text, status, hidden, closed_at, first_seen = last_seen,"
    " (SELECT slug FROM institutions i WHERE i.id = institution_id),"
    " version = (SELECT max(c.id) FROM posting_changes c WHERE c.posting_id = postings.id)"
    " FROM postings ORDER BY id",
    "posting_sources": "SELECT (SELECT title FROM postings p WHERE p.id = posting_id), source_id,"
    " source_key, url, raw::text, content_hash, merge_reason, status, missing_runs"
    " FROM posting_sources ORDER BY id",
    "posting_changes": "SELECT (SELECT title FROM postings p WHERE p.id = posting_id), kind,"
    " public_id = (SELECT public_id FROM postings p WHERE p.id = posting_id)"
    " FROM posting_changes ORDER BY id",
}


def raw(n: int) -> dict:
    return {
        "title": f"Research Software Engineer {n}",
        "institution": "McMaster University" if n % 2 else "University of Toronto",
        "location": "Hamilton ON CA",
        "description": f"<p>Build research software, team {n}. Salary $90,000 - $110,000.</p>",
        "url": f"https://careers.example.edu/rse/{n}",
        "posted": "2026-01-10",
        "requisition_id": f"R-{n}" if n % 3 else None,
    }


def stored(board: object) -> dict[str, list[tuple]]:
    with board.engine.connect() as connection:  # type: ignore[attr-defined]
        return {
            name: [tuple(row) for row in connection.execute(text(query))]
            for name, query in TABLES.items()
        }


def empty(board: object) -> None:
    with board.engine.begin() as connection:  # type: ignore[attr-defined]
        for table in ("posting_changes", "posting_sources", "postings"):
            connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 - fixed names


@pytest.mark.parametrize("any_board", ["postgresql"], indirect=True)
def test_a_batch_copied_stores_the_rows_the_insert_stored(any_board, monkeypatch):
    batch = [RawRecord(raw(n), n) for n in range(12)]
    ingest = Ingest(any_board, index_every=None)
    with monkeypatch.context() as patch:
        patch.setattr(board.copy_rows, "available", lambda _session: False)
        assert [o.status for o in ingest.batch(batch, SOURCE)] == [NEW] * 12
    inserted = stored(any_board)
    empty(any_board)
    copied = []
    real_copy = board.copy_rows.copy
    monkeypatch.setattr(
        board.copy_rows, "copy", lambda s, t, rows: copied.append(t.name) or real_copy(s, t, rows)
    )
    assert [o.status for o in ingest.batch(batch, SOURCE)] == [NEW] * 12
    assert copied == ["postings", "posting_sources"]
    assert stored(any_board) == inserted
    assert len(inserted["postings"]) == 12
    assert all(row[-1] for row in inserted["postings"])  # every version is its newest change


@pytest.mark.parametrize("any_board", ["postgresql"], indirect=True)
def test_a_copy_the_database_refuses_fails_its_record_alone(any_board, monkeypatch):
    """A COPY error is SQLAlchemy's error, so the batch is stored again record by record."""
    real_copy = board.copy_rows.copy
    refused = []

    def refusing(session, table, rows):
        if table.name == "posting_sources":
            rows = [*rows[:-1], {**rows[-1], "source_key": None}]  # NOT NULL
        try:
            real_copy(session, table, rows)
        except IntegrityError as exc:
            refused.append(exc)
            raise

    monkeypatch.setattr(board.copy_rows, "copy", refusing)
    outcomes = Ingest(any_board, index_every=None).batch(
        [RawRecord(raw(n), n) for n in range(3)], SOURCE
    )
    assert [o.status for o in outcomes] == [NEW] * 3
    assert len(refused) == 1  # then stored with savepoints and ORM objects
    with any_board.engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM postings")) == 3
        assert connection.scalar(text("SELECT count(*) FROM posting_changes")) == 3
