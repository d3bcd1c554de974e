"""PeopleSoft Candidate Gateway job search. Pages are read by board.extract.peoplesoft."""

from __future__ import annotations

from spiders.base import PlatformSpider


class PeoplesoftSpider(PlatformSpider):
    """The peoplesoft platform (URL forms and source keys: board.extract.peoplesoft)."""

    name = "peoplesoft"
