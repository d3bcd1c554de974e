"""Oracle Taleo Enterprise career sections and Business Edition sites.

Pages are read by board.extract.taleo.
"""

from __future__ import annotations

from spiders.base import PlatformSpider


class TaleoSpider(PlatformSpider):
    """The taleo platform (URL forms and source keys: board.extract.taleo)."""

    name = "taleo"
