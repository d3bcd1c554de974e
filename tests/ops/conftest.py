"""Fixtures for operations tests: empty PostgreSQL schemas of their own, dropped afterwards."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import text

from board.db import make_engine
from tests.conftest import postgres_url


@pytest.fixture
def pg_schema() -> Iterator[Callable[[], str]]:
    """Make empty PostgreSQL schemas: each call gives the URL of a new one (skipped without PG)."""
    url = postgres_url()
    if not url:
        pytest.skip("RCJOBS_TEST_POSTGRES_URL not set: PostgreSQL operations tests skipped")
    admin = make_engine(url)
    made: list[str] = []

    def new() -> str:
        schema = f"rcjobs_ops_{uuid.uuid4().hex[:12]}"
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        made.append(schema)
        sep = "&" if "?" in url else "?"
        return f"{url}{sep}options=-csearch_path%3D{schema}"

    yield new
    with admin.begin() as conn:
        for schema in made:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()
