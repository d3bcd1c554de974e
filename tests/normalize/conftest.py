"""Shared fixtures for the normalizer tests, and a summary of the accuracy figures they measure."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.shared import read_fixture

DATA = Path(__file__).parent / "data"
TODAY = date(2026, 2, 10)  # the day after the board's data was generated
REPORT: list[str] = []


def read_jsonl(name: str) -> list[dict[str, Any]]:
    """Rows of one labelled data file in tests/normalize/data."""
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@pytest.fixture(scope="session")
def board_jobs() -> list[dict[str, Any]]:
    """The curated postings of the Research Computing Teams job board."""
    return json.loads(read_fixture("datasets/rct-jobboard-jobs.json"))["jobs"]


@pytest.fixture(scope="session")
def board_raw(board_jobs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each board posting as a raw record, by id."""
    return {
        str(job["id"]): {
            "title": job["title"],
            "institution": job["company"],
            "location": job["location"],
            "description": job["description"],
            "url": job["url"],
            "posted": job["posted"],
            "source": "rct-jobboard",
            "source_id": str(job["id"]),
        }
        for job in board_jobs
    }


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print the accuracy figures the tests measured."""
    if REPORT:
        terminalreporter.section("normalizer accuracy")
        for line in REPORT:
            terminalreporter.write_line(line)
