"""submissions: stated work arrangement, employment type, role and salary range

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-02 02:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = (
    ("work_arrangement", sa.String(length=20)),
    ("employment_type", sa.String(length=20)),
    ("role", sa.String(length=40)),
    ("salary_min", sa.Float()),
    ("salary_max", sa.Float()),
    ("salary_currency", sa.String(length=3)),
    ("salary_period", sa.String(length=10)),
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
