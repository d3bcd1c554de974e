"""jobs.ac.uk search results and adverts. Pages are read by board.extract.jobs_ac_uk."""

from __future__ import annotations

from spiders.base import PlatformSpider


class JobsAcUkSpider(PlatformSpider):
    """The jobs_ac_uk platform (URL forms and source keys: board.extract.jobs_ac_uk)."""

    name = "jobs_ac_uk"
