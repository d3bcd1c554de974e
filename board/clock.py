"""The board's clock: every stored timestamp is naive UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date in UTC (closing dates, issues and charts count days by it)."""
    return utcnow().date()
