"""Revision 0002 creates the editor, submission, audit and newsletter tables on both databases."""

from __future__ import annotations

from datetime import date

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from board import all_models  # noqa: F401 - every table on Base.metadata
from board.migrate import alembic_config, current_revision
from board.models import Base
from board.newsletter import services as issues
from board.newsletter.export import export
from board.submissions import services as submissions
from tests.accounts.support import valid_fields

TABLES = {"editors", "submissions", "audit_log", "newsletter_issues", "newsletter_highlights"}


def table_names(board) -> set[str]:
    with board.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def test_the_migrated_schema_matches_the_models(any_board):
    assert (
        current_revision(any_board.engine)
        == ScriptDirectory.from_config(alembic_config()).get_current_head()
    )
    with any_board.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= TABLES
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_to_0001_and_back(any_board):
    config = alembic_config()
    with any_board.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001")
        assert not TABLES & set(inspect(connection).get_table_names())
        command.upgrade(config, "head")
    assert table_names(any_board) >= TABLES


def test_submission_to_posting_to_issue_on_each_database(any_board):
    fields = dict(valid_fields(), closes_on=date(2026, 4, 30))
    with any_board.session() as session:
        submission, token = submissions.create(session, fields, "nonce-1")
        assert submissions.by_token(session, token) is submission
        posting = submissions.approve(session, submission, "test", "https://jobs.example")
        issue = issues.create_issue(session, 3, date(2026, 3, 13), "test")
        issues.pick(session, issue, posting, "test")
    with any_board.session() as session:
        text = export(issues.get_issue(session, 3), "https://jobs.example", "text")
    assert "Director of Research Computing - McMaster University, Hamilton ON CA" in text
