"""Greenhouse job boards through the Job Board API. Pages are read by board.extract.greenhouse."""

from __future__ import annotations

from spiders.base import PlatformSpider


class GreenhouseSpider(PlatformSpider):
    """The greenhouse platform (URL forms and source keys: board.extract.greenhouse)."""

    name = "greenhouse"
