"""PageUp career sites (pageuppeople.com or an institution's own domain).

Pages are read by board.extract.pageup.
"""

from __future__ import annotations

from spiders.base import PlatformSpider


class PageupSpider(PlatformSpider):
    """The pageup platform (URL forms and source keys: board.extract.pageup)."""

    name = "pageup"
