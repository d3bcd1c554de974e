"""PeopleAdmin applicant portals. Pages are read by board.extract.peopleadmin."""

from __future__ import annotations

from spiders.base import PlatformSpider


class PeopleadminSpider(PlatformSpider):
    """The peopleadmin platform (URL forms and source keys: board.extract.peopleadmin)."""

    name = "peopleadmin"
