"""Alembic migrations for the rcjobs database."""
