"""Resolve the recorded fixtures in ../shared/fixtures, the one place tests read them from."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_FIXTURES = Path(
    os.environ.get("RCJOBS_SHARED_FIXTURES", REPO_ROOT.parent / "shared" / "fixtures")
)


def shared_fixture(relative: str) -> Path:
    """Path of one recorded fixture; skip when absent on a laptop, fail under CI."""
    path = SHARED_FIXTURES / relative
    if not path.exists():
        message = (
            f"recorded fixture {path} is missing (expected ../shared/fixtures beside the repo)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


def read_fixture(relative: str, encoding: str = "utf-8") -> str:
    """Text of one recorded fixture."""
    return shared_fixture(relative).read_text(encoding=encoding)


def read_fixture_bytes(relative: str) -> bytes:
    """Bytes of one recorded fixture."""
    return shared_fixture(relative).read_bytes()
