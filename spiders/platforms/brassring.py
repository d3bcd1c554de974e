"""Kenexa/IBM BrassRing Talent Gateway sites. Pages are read by board.extract.brassring."""

from __future__ import annotations

from spiders.base import PlatformSpider


class BrassringSpider(PlatformSpider):
    """The brassring platform (URL forms and source keys: board.extract.brassring)."""

    name = "brassring"
