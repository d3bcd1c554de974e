"""Import every models module so Base.metadata knows all tables (for Alembic and tests)."""

from board import accounts, audit, models, newsletter, submissions  # noqa: F401 - for their tables
