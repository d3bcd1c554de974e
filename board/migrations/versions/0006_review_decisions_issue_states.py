"""review decisions; newsletter issue states (draft, published) and when a highlight was picked

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "review_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.Column("editor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=254), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=False),
        sa.Column("issue_number", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["editor_id"], ["editors.id"]),
        sa.ForeignKeyConstraint(["posting_id"], ["postings.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_decisions_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_review_decisions_posting_id"), ["posting_id"], unique=False
        )
    with op.batch_alter_table("newsletter_issues", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=20), server_default="draft", nullable=False)
        )
        batch_op.add_column(sa.Column("published_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("newsletter_highlights", schema=None) as batch_op:
        batch_op.add_column(sa.Column("picked_at", sa.DateTime(), nullable=True))
    # Issues made before states existed were public the day they were dated: published.
    op.execute("UPDATE newsletter_issues SET status = 'published', published_at = created_at")


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("newsletter_highlights", schema=None) as batch_op:
        batch_op.drop_column("picked_at")
    with op.batch_alter_table("newsletter_issues", schema=None) as batch_op:
        batch_op.drop_column("published_at")
        batch_op.drop_column("status")
    with op.batch_alter_table("review_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_decisions_posting_id"))
        batch_op.drop_index(batch_op.f("ix_review_decisions_at"))
    op.drop_table("review_decisions")
