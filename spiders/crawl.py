"""Run the platform spiders for a list of sources in one Scrapy process: the one place where
spiders and board are composed (board/cli.py's `crawl` calls it)."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

from board.ingest import Board, RunSummary, crawl_workers, recover_interrupted_runs
from spiders.session import SETTING, CrawlSession
from spiders.sources import Source

ProgressFn = Callable[[str], None]
#: Allocations between the collector's young-generation passes in a crawl (Python's default: 700).
YOUNG_GC_THRESHOLD = 10_000


def crawl_settings(overrides: dict[str, Any] | None = None) -> Settings:
    """The project's Scrapy settings, whatever the working directory, plus overrides."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    settings = get_project_settings()
    for name, value in (overrides or {}).items():
        settings.set(name, value, priority="cmdline")
    return settings


def open_session(
    progress: ProgressFn | None = None,
    board: Board | None = None,
    store_process: bool | None = None,
) -> CrawlSession:
    """The process's crawl session, its storing process (RCJOBS_CRAWL_STORE_PROCESS, on by
    default) and normalizer workers (RCJOBS_INGEST_WORKERS) forked now: open it before
    anything starts a thread (the claim's lease keeper), or it cannot fork."""
    if store_process is None:
        store_process = crawl_store_process()
    return CrawlSession.create(
        progress, workers=crawl_workers(), board=board, store_process=store_process
    )


def crawl_store_process() -> bool:
    """Whether a crawl stores in a child process: RCJOBS_CRAWL_STORE_PROCESS (0 = in the
    crawl process, with the reactor; default 1, docs/performance.md)."""
    return os.environ.get("RCJOBS_CRAWL_STORE_PROCESS", "1").strip().lower() not in (
        "0",
        "false",
        "no",
        "off",
    )


def run_crawl(
    sources: Iterable[Source],
    overrides: dict[str, Any] | None = None,
    progress: ProgressFn | None = None,
    session: CrawlSession | None = None,
) -> list[RunSummary]:
    """Crawl every source (concurrently, politely); one summary per source, in order.
    A session given is the caller's to close."""
    own = session is None
    if session is None:
        session = open_session(progress)
    progress = progress or session.progress
    try:
        return _run(list(sources), overrides, progress, session)
    finally:
        if own:
            session.close()


def _run(
    sources: list[Source],
    overrides: dict[str, Any] | None,
    progress: ProgressFn | None,
    session: CrawlSession,
) -> list[RunSummary]:
    from spiders.platforms import PLATFORMS

    settings = crawl_settings(overrides)
    recover_interrupted_runs(session.board)
    settings.set(SETTING, session, priority="cmdline")
    if not os.environ.get("RCJOBS_CRAWL_LOG_LEVEL") and "LOG_LEVEL" not in (overrides or {}):
        settings.set("LOG_LEVEL", "WARNING", priority="cmdline")  # progress lines say the rest
    process = CrawlerProcess(settings)
    for source in sources:
        if progress:
            progress(f"→ {source.id}: crawling {source.url}")
        process.crawl(PLATFORMS[source.platform], source=source)
    # What start-up loaded (modules, the normalizer's tables, the settings) lives as long as the
    # crawl: out of the collector's way, whose full passes walked it all (~1 s of a 1,000-page
    # crawl's CPU), and the young generation collected every 10,000 allocations, not 700
    # (Twisted and Scrapy allocate several hundred per response): docs/performance.md.
    gc.freeze()
    gc.set_threshold(YOUNG_GC_THRESHOLD, *gc.get_threshold()[1:])
    process.start()
    summaries = []
    for source in sources:
        summary = session.summaries.get(source.id)
        if summary is None:
            summary = RunSummary(
                source=source.id,
                outcome="failed",
                message="the spider did not run (see the log)",
                errors=1,
            )
        summaries.append(summary)
    return summaries


def format_table(summaries: list[RunSummary]) -> str:
    """The end-of-crawl table: source, new, updated, unchanged, closed, errors, outcome."""
    headers = ("source", "new", "updated", "unchanged", "closed", "errors", "outcome")
    rows = [
        (
            s.source,
            str(s.new),
            str(s.updated),
            str(s.unchanged),
            str(s.closed),
            str(s.errors),
            s.outcome,
        )
        for s in summaries
    ]
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]

    def line(cells: tuple[str, ...]) -> str:
        return "  ".join(
            c.ljust(w) if i in (0, len(headers) - 1) else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [line(headers), line(tuple("-" * w for w in widths))]
    out.extend(line(r) for r in rows)
    return "\n".join(out)
