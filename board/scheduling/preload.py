"""Warm a worker before it forks its crawl children: import what every crawl needs once.

A crawl child is forked from its worker (board.scheduling.runner), so whatever the worker has
imported the child has for free: Scrapy and its default components (the HTTP/1.1 download
handler alone takes about a second to import), Twisted, alembic (the database check), the
extraction and ingest modules; then one CSS selector is compiled (soupsieve compiles its own
token patterns on first use, 0.2-0.6 s) and one record normalized (the relevance model and
the gazetteer load on first use, about 1 s). Without this each crawl spent about 2.5 s
importing and a second loading data before its first stored posting.

The Twisted reactor is never installed here: Scrapy installs the one its settings ask for in
the child, which is a fresh process. `preload()` refuses to leave one installed.
"""

from __future__ import annotations

import importlib
import sys
import time

#: Board and third-party modules a crawl child imports (the spiders' own modules are light and
#: are imported by the child itself: board modules other than the CLI never import spiders).
MODULES = (
    "scrapy.crawler",
    "scrapy.http",
    "scrapy.spiders",
    "scrapy.core.engine",
    "scrapy.core.scheduler",
    "scrapy.core.downloader",
    "scrapy.core.downloader.handlers.http11",
    "soupsieve",
    "bs4",
    "lxml.html",
    "feedparser",
    "board.migrate",
    "board.ingest",
    "board.extract",
    "board.normalize",
    "board.indexing",
    "board.scheduling.claim",
    "whoosh.index",
)

#: Scrapy's default settings naming component classes (dicts of path → order, or one path).
_COMPONENT_SETTINGS = (
    "DOWNLOADER_MIDDLEWARES_BASE",
    "SPIDER_MIDDLEWARES_BASE",
    "EXTENSIONS_BASE",
    "DOWNLOAD_HANDLERS_BASE",
    "SCHEDULER",
    "SCHEDULER_PRIORITY_QUEUE",
    "SCHEDULER_MEMORY_QUEUE",
    "SCHEDULER_DISK_QUEUE",
    "DUPEFILTER_CLASS",
    "STATS_CLASS",
    "DOWNLOADER",
    "LOG_FORMATTER",
    "REQUEST_FINGERPRINTER_CLASS",
    "SPIDER_LOADER_CLASS",
    "ITEM_PROCESSOR",
)

_REACTOR = "twisted.internet.reactor"
#: One selector using each kind of token the extractors' selectors use.
_SELECTOR = (
    'header, footer, nav:not(.pagination), a[href*="/job/"], [class*="iCIMS_"], input#value,'
    ' .card time[datetime], meta[property="og:title"], table tr > td, dt'
)
#: A posting to normalize once, so the model and the place names are in memory.
_SAMPLE = {
    "title": "Director of Research Computing",
    "institution": "University of Toronto",
    "location": "Toronto, ON, Canada",
    "description": "<p>Lead the research computing team.</p><p>Salary $120,000 - $140,000</p>",
    "url": "https://jobs.example.org/1",
    "posted": "2026-11-02",
}


class ReactorInstalled(RuntimeError):
    """Something imported here installed a Twisted reactor (a forked crawl could not start)."""


def component_paths() -> list[str]:
    """The import paths of Scrapy's default components."""
    from scrapy.settings import default_settings

    paths: list[str] = []
    for name in _COMPONENT_SETTINGS:
        value = getattr(default_settings, name, None)
        if isinstance(value, str):
            paths.append(value)
        elif isinstance(value, dict):
            paths.extend(v if isinstance(v, str) else k for k, v in value.items())
    return [p for p in paths if isinstance(p, str) and "." in p]


def preload() -> float:
    """Import every module a crawl child needs; the seconds it took.

    Raises ReactorInstalled when an import installed a reactor (then crawl children must be
    started as new interpreters, RCJOBS_CRAWL_CHILD=exec).
    """
    started = time.monotonic()
    had_reactor = _REACTOR in sys.modules
    for name in MODULES:
        importlib.import_module(name)
    from scrapy.utils.misc import load_object

    for path in component_paths():
        try:
            load_object(path)
        except (ImportError, NameError, AttributeError, ValueError):
            continue  # an optional component (e.g. S3 without botocore): the child does without
    if _REACTOR in sys.modules and not had_reactor:
        raise ReactorInstalled("preloading installed a Twisted reactor")
    warm()
    return time.monotonic() - started


def warm() -> None:
    """Load what the extractors and the normalizer build on first use."""
    import soupsieve

    from board.normalize import normalize

    soupsieve.compile(_SELECTOR)
    normalize(_SAMPLE)
