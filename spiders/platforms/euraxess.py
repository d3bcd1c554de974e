"""EURAXESS job offers. Pages are read by board.extract.euraxess."""

from __future__ import annotations

from spiders.base import PlatformSpider


class EuraxessSpider(PlatformSpider):
    """The euraxess platform (URL forms and source keys: board.extract.euraxess)."""

    name = "euraxess"
