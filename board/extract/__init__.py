"""Extraction: pure functions per hiring platform, from a response to raw records.

No Scrapy here. Each platform module (board/extract/<platform>.py) reads one response
(`Fetched`) for a named step into a `Page`: raw records (DESIGN.md's raw record), the next
requests (`NextRequest`), the platform's own end-of-listing signal, and problems under
named reasons. The spiders, the submission form's prefill and `rcjobs sources --check`
all call them through the platform table (`board.extract.platforms`).
"""

from board.extract.page import Fetched, NextRequest, Page, Problem
from board.extract.platforms import PLATFORMS, Platform, platform, source_from_mapping
from board.extract.source import Source, SourceError

__all__ = [
    "PLATFORMS",
    "Fetched",
    "NextRequest",
    "Page",
    "Platform",
    "Problem",
    "Source",
    "SourceError",
    "platform",
    "source_from_mapping",
]
