"""the posting change log, posting versions, crawl-run owners

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 22:30:00

Postings stored before this revision get one "backfill" change each (and their version), so
an index built by an older rcjobs, which records no watermark, catches up on all of them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

CHANGE_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "posting_changes",
        sa.Column("id", CHANGE_ID, primary_key=True, autoincrement=True),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"]),
    )
    with op.batch_alter_table("posting_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posting_changes_posting_id"), ["posting_id"])
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", CHANGE_ID, server_default="0", nullable=False))
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))

    # Naive UTC, like every stored timestamp (CURRENT_TIMESTAMP is UTC on SQLite).
    now = "CURRENT_TIMESTAMP"
    if op.get_bind().dialect.name == "postgresql":
        now = "(now() AT TIME ZONE 'utc')"
    backfill = (
        "INSERT INTO posting_changes (posting_id, public_id, kind, created_at) "  # noqa: S608 - fixed SQL
        f"SELECT id, public_id, 'backfill', {now} FROM postings ORDER BY id"
    )
    op.execute(backfill)
    op.execute(
        "UPDATE postings SET version = COALESCE((SELECT MAX(c.id) FROM posting_changes c "
        "WHERE c.posting_id = postings.id), 0)"
    )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("posting_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_changes_posting_id"))
    op.drop_table("posting_changes")
    with op.batch_alter_table("crawl_runs", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("pid")
        batch_op.drop_column("host")
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_column("version")
