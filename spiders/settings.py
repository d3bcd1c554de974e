"""Scrapy settings for rcjobs: polite by default, one pipeline into board.ingest."""

from __future__ import annotations

import os

BOT_NAME = "rcjobs"
SPIDER_MODULES = ["spiders.platforms"]
NEWSPIDER_MODULE = "spiders.platforms"

CONTACT_URL = os.environ.get("RCJOBS_CONTACT_URL", "https://github.com/rcjobs/rcjobs")
USER_AGENT = f"rcjobs/0.1 (research computing leadership job board; +{CONTACT_URL})"

# Politeness: obey robots.txt, adapt to the server, never hammer one host.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Back off before each retry: 2 s, 4 s, 8 s ... (at most 60 s), or what Retry-After asks.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
DOWNLOADER_MIDDLEWARES = {
    "spiders.middlewares.BackoffRetryMiddleware": 560,
    # a query whose connection closed unanswered, sent again once (before retry's count)
    "spiders.middlewares.ResendUnansweredMiddleware": 570,  # process_response runs before retry's
    # the per-host limit, held for every crawler of the process (after the backoff's wait)
    "spiders.middlewares.HostConcurrencyMiddleware": 580,
}

# Development: RCJOBS_HTTPCACHE=1 replays responses from .scrapy/httpcache.
HTTPCACHE_ENABLED = os.environ.get("RCJOBS_HTTPCACHE", "") == "1"
HTTPCACHE_EXPIRATION_SECS = 24 * 3600

# The remote-control (telnet) console runs Python sent to a local port: keep it off.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Items of one response go through the pipelines one at a time: IngestPipeline.process_item
# only appends to a batch (and waits only when stored batches back up), so Scrapy's default
# (100 in parallel) made 101 asyncio tasks per response for nothing (docs/performance.md).
CONCURRENT_ITEMS = 1

ITEM_PIPELINES = {
    "spiders.pipelines.IngestPipeline": 100,
}

FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
LOG_LEVEL = os.environ.get("RCJOBS_CRAWL_LOG_LEVEL", "INFO")
