"""RSS 2.0 and Atom job feeds (another board's feed, or an institution's own).

URL form: the feed's own url. Keys: `title_separator` (" - " when titles read
"Title - Org": the last part is then the institution), `location_pattern` (a regex with
one group applied to the description; default a "Location: ..." line).
"""

from __future__ import annotations

import re
from typing import Any

from board.extract.feeds import read_feed
from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source, SourceError

NAME = "feed"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("title_separator", "location_pattern")
URL_FORMS = ("https://HOST/jobs.rss (RSS 2.0, RSS 1.0 or Atom)",)


def check(source: Source) -> None:
    """Refuse a location_pattern that does not compile."""
    pattern = source.get("location_pattern")
    if pattern:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise SourceError(f"{source.id}: location_pattern is not valid: {exc}") from exc


def start(source: Source) -> list[NextRequest]:
    """The feed itself."""
    return [NextRequest(source.url, "feed", listing=True)]


def parse_feed(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Every whole entry of the feed."""
    return read_feed(fetched, source)


STEPS = {"feed": parse_feed}
