"""One spider class per hiring platform; PLATFORMS maps a sources.toml `platform` to it.

The classes are names only: board.extract's platform table says what each platform needs
and its module reads the pages.
"""

from __future__ import annotations

from spiders.platforms.brassring import BrassringSpider
from spiders.platforms.euraxess import EuraxessSpider
from spiders.platforms.feed import FeedSpider
from spiders.platforms.greenhouse import GreenhouseSpider
from spiders.platforms.icims import IcimsSpider
from spiders.platforms.jobs_ac_uk import JobsAcUkSpider
from spiders.platforms.jsonld import JsonldSpider
from spiders.platforms.lever import LeverSpider
from spiders.platforms.oracle_hcm import OracleHcmSpider
from spiders.platforms.pageup import PageupSpider
from spiders.platforms.peopleadmin import PeopleadminSpider
from spiders.platforms.peoplesoft import PeoplesoftSpider
from spiders.platforms.taleo import TaleoSpider
from spiders.platforms.workday import WorkdaySpider

PLATFORMS: dict[str, type] = {
    spider.name: spider
    for spider in (
        BrassringSpider,
        EuraxessSpider,
        FeedSpider,
        GreenhouseSpider,
        IcimsSpider,
        JobsAcUkSpider,
        JsonldSpider,
        LeverSpider,
        OracleHcmSpider,
        PageupSpider,
        PeopleadminSpider,
        PeoplesoftSpider,
        TaleoSpider,
        WorkdaySpider,
    )
}
