"""Build an issue from the recorded newsletter section's postings (shared by the tests)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from board import postings
from board.newsletter import services
from board.services import Board
from tests.accounts.support import normalized
from tests.records import upsert
from tests.shared import read_fixture

FIXTURE = "newsletter/2021-03-12-jobs-section"


def fixture_lines() -> list[str]:
    """The recorded section, line by line."""
    return read_fixture(f"{FIXTURE}.txt").splitlines()


def fixture_highlights() -> list[dict[str, Any]]:
    """The recorded section's highlights."""
    return json.loads(read_fixture(f"{FIXTURE}.json"))["highlights"]


def build_fixture_issue(board: Board, number: int = 42, blurbs: bool = False) -> list[str]:
    """Store the fixture's postings (summary = blurb) and pick them in order; their ids."""
    ids = []
    with board.session() as session:
        postings.ensure_source(session, "src", "Various", "jsonld", "https://x.test/")
        issue = services.create_issue(session, number, date(2021, 3, 12), "test")
        for n, item in enumerate(fixture_highlights()):
            record = normalized(
                item["title"],
                institution=item["institution"],
                institution_slug=f"inst-{n}",
                location_display=item["location_display"],
                summary=item["blurb"],
                url=f"https://careers.example.edu/{n}",
            )
            posting = upsert(
                session, record, {"n": n}, "src", f"k{n}", now=datetime(2021, 3, 5)
            ).posting
            services.pick(session, issue, posting, "test", item["blurb"] if blurbs else None)
            ids.append(posting.public_id)
    return ids
