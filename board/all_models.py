"""Import every models module so Base.metadata knows all tables (for Alembic and tests)."""

from board import (  # noqa: F401 - for their tables
    accounts,
    alerts,  # noqa: F401 - the alert tables
    audit,
    decisions,
    models,
    newsletter,
    review,
    scheduling,
    submissions,
)
