"""institutions as a hierarchy: country and parent, a posting's unit, old slugs kept as aliases

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 02:00:00

Existing rows keep their institutions until they are normalized again (`rcjobs normalize
--stored`), which folds an old sub-unit institution ("mit-orcd") into its parent and keeps its
slug here, so its page answers a permanent redirect.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


FK_PARENT = "fk_institutions_parent_id_institutions"


def upgrade() -> None:
    """Apply this revision.

    Only ALTER TABLE ... ADD COLUMN, never a table rebuild: on SQLite a rebuild of
    `institutions` or `postings` drops a table other rows reference, which the enforced foreign
    keys refuse once there are postings.
    """
    bind = op.get_bind()
    existing = {column["name"] for column in sa.inspect(bind).get_columns("institutions")}
    if "country" not in existing:  # kept by a downgrade on SQLite
        op.add_column("institutions", sa.Column("country", sa.String(length=2), nullable=True))
    if "parent_id" not in existing:
        if bind.dialect.name == "sqlite":  # SQLite adds a column's REFERENCES, never a constraint
            op.execute(
                "ALTER TABLE institutions ADD COLUMN parent_id INTEGER REFERENCES institutions (id)"
            )
        else:
            op.add_column("institutions", sa.Column("parent_id", sa.Integer(), nullable=True))
            op.create_foreign_key(FK_PARENT, "institutions", "institutions", ["parent_id"], ["id"])
    op.create_index(op.f("ix_institutions_parent_id"), "institutions", ["parent_id"])
    op.add_column("postings", sa.Column("unit", sa.String(length=300), nullable=True))
    op.add_column("postings", sa.Column("unit_slug", sa.String(length=200), nullable=True))
    op.create_table(
        "institution_aliases",
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("institution_id", sa.Integer(), nullable=False),
        sa.Column("unit_slug", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["institution_id"], ["institutions.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("slug"),
    )
    op.create_index(
        op.f("ix_institution_aliases_institution_id"), "institution_aliases", ["institution_id"]
    )


def downgrade() -> None:
    """Revert this revision (aliases are dropped: old slugs then answer 404).

    On SQLite `institutions.country` and `parent_id` stay (empty to the code before): dropping
    a column that references a table needs a rebuild, refused while postings reference it.
    """
    op.drop_index(op.f("ix_institution_aliases_institution_id"), table_name="institution_aliases")
    op.drop_table("institution_aliases")
    op.drop_column("postings", "unit_slug")
    op.drop_column("postings", "unit")
    op.drop_index(op.f("ix_institutions_parent_id"), table_name="institutions")
    if op.get_bind().dialect.name == "sqlite":
        return
    op.drop_constraint(FK_PARENT, "institutions", type_="foreignkey")
    op.drop_column("institutions", "parent_id")
    op.drop_column("institutions", "country")
