"""Revision 0009 (institutions as a hierarchy) upgrades a database with institutions and postings
in it, on both databases: rows are kept, the new columns are empty until `rcjobs normalize
--stored`; and it downgrades again."""

from __future__ import annotations

from datetime import datetime

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select, text

from board.migrate import alembic_config
from board.models import Institution, Posting

INSTITUTION = text(
    "INSERT INTO institutions (slug, name, type, sector) VALUES ('mit-orcd', 'MIT ORCD', "
    "'government', 'public_sector')"
)
POSTING = text(
    "INSERT INTO postings (public_id, institution_id, title, institution_name, locations, role,"
    " technical, relevant, score, reasons, summary, description_html, description_text,"
    " normalized, overrides, status, hidden, first_seen, last_seen, updated_at)"
    " SELECT 'old0000001', id, 'Director of Research Computing', 'MIT ORCD', '[]', 'director',"
    " '[]', :yes, 0.9, '[]', '', '', 'Lead the team.', '{}', '{}', 'open', :no, :now, :now, :now"
    " FROM institutions WHERE slug = 'mit-orcd'"
)


def test_0009_keeps_institutions_and_postings_and_downgrades(any_board):
    config = alembic_config()
    below = ScriptDirectory.from_config(config).get_revision("0009").down_revision
    assert isinstance(below, str)
    with any_board.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, below)
        assert "institution_aliases" not in inspect(connection).get_table_names()
        connection.execute(INSTITUTION)
        now = datetime(2026, 3, 1, 12, 0)
        connection.execute(POSTING, {"yes": True, "no": False, "now": now})
        command.upgrade(config, "head")
        assert "institution_aliases" in inspect(connection).get_table_names()

    with any_board.read_session() as session:
        inst = session.scalar(select(Institution))
        assert inst is not None
        assert (inst.slug, inst.country, inst.parent, inst.facet_slugs) == (
            "mit-orcd",
            None,
            None,
            ["mit-orcd"],
        )
        posting = session.scalar(select(Posting))
        assert posting is not None
        assert (posting.institution_id, posting.unit, posting.unit_slug) == (inst.id, None, None)

    with any_board.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, below)
        assert "institution_aliases" not in inspect(connection).get_table_names()
        columns = {c["name"] for c in inspect(connection).get_columns("postings")}
        assert "unit" not in columns and "unit_slug" not in columns
        assert connection.execute(text("SELECT slug FROM institutions")).scalars().all() == [
            "mit-orcd"
        ]
        command.upgrade(config, "head")
