"""institutions as a hierarchy: country and parent, a posting's unit, old slugs kept as aliases

Revision ID: 0007
Revises: 0004
Create Date: 2026-12-02 02:00:00

Existing rows keep their institutions until they are normalized again (`rcjobs normalize
--stored`), which folds an old sub-unit institution ("mit-orcd") into its parent and keeps its
slug here, so its page answers a permanent redirect.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("country", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_institutions_parent_id"), ["parent_id"])
        batch_op.create_foreign_key(
            "fk_institutions_parent_id_institutions", "institutions", ["parent_id"], ["id"]
        )
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("unit_slug", sa.String(length=200), nullable=True))
    op.create_table(
        "institution_aliases",
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_slug", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("slug"),
    )
    with op.batch_alter_table("institution_aliases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_institution_aliases_institution_id"), ["institution_id"]
        )


def downgrade() -> None:
    """Revert this revision (aliases are dropped: old slugs then answer 404)."""
    with op.batch_alter_table("institution_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_institution_aliases_institution_id"))
    op.drop_table("institution_aliases")
    with op.batch_alter_table("postings", schema=None) as batch_op:
        batch_op.drop_column("unit_slug")
        batch_op.drop_column("unit")
    with op.batch_alter_table("institutions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_institutions_parent_id_institutions", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_institutions_parent_id"))
        batch_op.drop_column("parent_id")
        batch_op.drop_column("country")
