"""Import every models module so Base.metadata knows all tables (for Alembic and tests)."""

from board import models  # noqa: F401 - imported for its tables
