"""schema.org JobPosting JSON-LD on any site. Pages are read by board.extract.jsonld."""

from __future__ import annotations

from spiders.base import PlatformSpider


class JsonldSpider(PlatformSpider):
    """The jsonld platform (URL forms and source keys: board.extract.jsonld)."""

    name = "jsonld"
