"""iCIMS career portals (search pages or sitemap). Pages are read by board.extract.icims."""

from __future__ import annotations

from spiders.base import PlatformSpider


class IcimsSpider(PlatformSpider):
    """The icims platform (URL forms and source keys: board.extract.icims)."""

    name = "icims"
