"""Workday career sites through the CXS API. Pages are read by board.extract.workday."""

from __future__ import annotations

from spiders.base import PlatformSpider


class WorkdaySpider(PlatformSpider):
    """The workday platform (URL forms and source keys: board.extract.workday)."""

    name = "workday"
