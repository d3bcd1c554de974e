"""Revision 0003 (the change log) upgrades a database with postings in it, on both databases:
each posting gets a version and a change, so an index made before the upgrade catches up."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from sqlalchemy import inspect, select, text

from board import indexing, queries
from board.migrate import alembic_config
from board.models import PostingChange
from search_index.documents import posting_document

INSERT = text(
    "INSERT INTO postings (public_id, title, institution_name, locations, role, technical,"
    " relevant, score, reasons, summary, description_html, description_text, normalized,"
    " overrides, status, hidden, first_seen, last_seen, updated_at)"
    " VALUES (:public_id, :title, 'McMaster University', '[]', 'director', '[]', :relevant,"
    " 0.9, '[]', '', '', 'Lead the team.', '{}', '{}', 'open', :hidden, :now, :now, :now)"
)


def test_postings_stored_before_the_change_log_get_a_version_and_are_caught_up(any_board):
    config = alembic_config()
    with any_board.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
        assert "posting_changes" not in inspect(connection).get_table_names()
        now = datetime(2026, 3, 1, 12, 0)
        for n, hidden in ((1, False), (2, False), (3, True)):
            connection.execute(
                INSERT,
                {
                    "public_id": f"old{n:07d}",
                    "title": f"Director of Research Computing {n}",
                    "relevant": True,
                    "hidden": hidden,
                    "now": now,
                },
            )
        command.upgrade(config, "head")

    with any_board.read_session() as session:
        changes = session.execute(
            select(PostingChange.public_id, PostingChange.kind, PostingChange.id).order_by(
                PostingChange.id
            )
        ).all()
        assert [(pid, kind) for pid, kind, _ in changes] == [
            ("old0000001", "backfill"),
            ("old0000002", "backfill"),
            ("old0000003", "backfill"),
        ]
        versions = {p: v for p, v, _ in queries.iter_versions(session)}
        assert versions == {pid: change_id for pid, _, change_id in changes}
        # an index made by the version before: documents without versions, no watermark
        old_docs = [
            {**posting_document(p), "version": 0}
            for p in queries.iter_postings(session)
            if not p.hidden
        ]
    any_board.index.update(old_docs)
    assert any_board.index.watermark() == 0
    assert indexing.check(any_board).lagging == 2
    done = indexing.catch_up(any_board)
    assert done.watermark == changes[-1][2] and not done.rebuilt
    assert indexing.check(any_board).ok
