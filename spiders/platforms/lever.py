"""Lever job sites through the postings API. Pages are read by board.extract.lever."""

from __future__ import annotations

from spiders.base import PlatformSpider


class LeverSpider(PlatformSpider):
    """The lever platform (URL forms and source keys: board.extract.lever)."""

    name = "lever"
