"""The raw posting item every spider yields, before normalization."""

from __future__ import annotations

import scrapy

RAW_FIELDS = (
    "title",
    "institution",
    "location",
    "description",
    "url",
    "posted",
    "closes",
    "salary",
    "employment_type",
    "source",
    "source_id",
)


class RawPosting(scrapy.Item):
    """A posting as the platform shows it: the raw record of DESIGN.md."""

    title = scrapy.Field()
    institution = scrapy.Field()
    location = scrapy.Field()
    description = scrapy.Field()
    url = scrapy.Field()
    posted = scrapy.Field()
    closes = scrapy.Field()
    salary = scrapy.Field()
    employment_type = scrapy.Field()
    source = scrapy.Field()
    source_id = scrapy.Field()
