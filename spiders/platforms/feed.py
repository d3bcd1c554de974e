"""RSS 2.0 and Atom job feeds. Pages are read by board.extract.feed."""

from __future__ import annotations

from spiders.base import PlatformSpider


class FeedSpider(PlatformSpider):
    """The feed platform (URL forms and source keys: board.extract.feed)."""

    name = "feed"
