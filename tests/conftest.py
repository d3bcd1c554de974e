"""Shared fixtures: a Board on a temporary instance, on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from board.config import load_settings
from board.services import Board

IN_CI = os.environ.get("CI", "").lower() == "true"


def postgres_url() -> str | None:
    """The PostgreSQL URL for storage tests; under CI its absence is a failure."""
    url = os.environ.get("RCJOBS_TEST_POSTGRES_URL")
    if not url and IN_CI:
        pytest.fail("CI=true but RCJOBS_TEST_POSTGRES_URL is not set: PostgreSQL must be tested")
    return url


def redis_url() -> str | None:
    """The Redis URL for rate-limit tests; under CI its absence is a failure."""
    url = os.environ.get("RCJOBS_TEST_REDIS_URL")
    if not url and IN_CI:
        pytest.fail("CI=true but RCJOBS_TEST_REDIS_URL is not set: Redis must be tested")
    return url


def broker_url() -> str | None:
    """The Celery broker URL for the worker tests; under CI its absence is a failure."""
    url = os.environ.get("RCJOBS_TEST_BROKER_URL")
    if not url and IN_CI:
        pytest.fail(
            "CI=true but RCJOBS_TEST_BROKER_URL is not set: the crawl workers must be tested"
        )
    return url


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh instance folder; every RCJOBS_* path points into it."""
    folder = tmp_path / "instance"
    monkeypatch.setenv("RCJOBS_INSTANCE_DIR", str(folder))
    monkeypatch.setenv("RCJOBS_DATABASE_URL", f"sqlite:///{folder / 'rcjobs.db'}")
    monkeypatch.setenv("RCJOBS_INDEX_DIR", str(folder / "index"))
    monkeypatch.setenv("RCJOBS_MAIL_DIR", str(folder / "mail"))
    monkeypatch.setenv("RCJOBS_SECRET_KEY", "test-secret")
    monkeypatch.setenv("RCJOBS_BASE_URL", "http://jobs.example.test")
    return folder


@pytest.fixture
def board(instance: Path) -> Iterator[Board]:
    """An initialised Board on SQLite in a temporary folder."""
    b = Board(load_settings())
    b.init_db()
    yield b
    b.engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_board(
    request: pytest.FixtureRequest, instance: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Board]:
    """An initialised Board on SQLite and, in a second run, on PostgreSQL."""
    if request.param == "postgresql":
        url = postgres_url()
        if not url:
            pytest.skip("RCJOBS_TEST_POSTGRES_URL not set: PostgreSQL storage tests skipped")
        schema = f"rcjobs_{uuid.uuid4().hex[:12]}"
        from board.db import make_engine

        admin = make_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in url else "?"
        monkeypatch.setenv("RCJOBS_DATABASE_URL", f"{url}{sep}options=-csearch_path%3D{schema}")
        b = Board(load_settings())
        b.init_db()
        yield b
        b.engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
        return
    b = Board(load_settings())
    b.init_db()
    yield b
    b.engine.dispose()
