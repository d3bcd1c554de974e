"""What one crawling process shares: one Board (one engine, one index writer), one Ingest,
and the summary of each source's run, which the crawl runner reads when the reactor stops."""

from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scrapy.settings import BaseSettings

from board.ingest import (
    Board,
    Ingest,
    RemoteRun,
    RunSummary,
    SourceInfo,
    SourceRun,
    Storer,
    warm_up,
)

#: The Scrapy setting that carries the process's CrawlSession to the pipelines.
SETTING = "RCJOBS_CRAWL_SESSION"
#: Seconds between index catch-ups while a crawl stores postings (in its storing thread).
INDEX_EVERY = 5.0
#: The same when a child process follows the index (workers > 1): it costs the crawl nothing,
#: and what it has not caught up when the crawl ends is indexed by the crawl itself.
FOLLOW_EVERY = 1.0


@dataclass
class CrawlSession:
    """One Board and one Ingest for every crawler of the process (or the storing child that
    has them, `storer`), and the runs' summaries."""

    board: Board
    ingest: Ingest | None
    progress: Callable[[str], None] | None = None
    summaries: dict[str, RunSummary] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    storer: Storer | None = None

    @classmethod
    def create(
        cls,
        progress: Callable[[str], None] | None = None,
        workers: int = 1,
        board: Board | None = None,
        *,
        store_process: bool = False,
    ) -> CrawlSession:
        """A session on `board` (default: the Board of the environment's settings). With
        `store_process`, normalize, store and index run in a child process (board.storer)
        forked here; with `workers` > 1, the normalizer runs in that many processes and a
        child process catches the index up (forked by the storing child when there is one).
        Call it before the crawl starts any thread (`close` stops them)."""
        board = board or Board()
        every = FOLLOW_EVERY if workers > 1 else INDEX_EVERY
        if store_process:
            for part in ("engine", "sessions"):
                getattr(board, part)  # the claim's, in this process
            storer = Storer.fork(
                board,
                functools.partial(Ingest, index_every=every, workers=workers),
                warm=warm_up,
            )
            if progress is not None:
                progress(f"storing in process {storer.pid}")
                if workers > 1:
                    progress(f"normalizing in {workers} worker processes, the index followed")
            return cls(board, None, progress, storer=storer)
        for part in ("engine", "sessions", "read_sessions", "index"):
            getattr(board, part)  # built here, once, not raced for by the worker threads
        ingest = Ingest(board, index_every=every, workers=workers)
        if workers > 1:
            gc.freeze()  # the workers' collectors never walk (so never copy) what was loaded
        ingest.start_workers()
        if progress is not None and ingest.parallel:
            progress(f"normalizing in {ingest.parallel} worker processes, the index followed")
        return cls(board, ingest, progress)

    def source_run(self, source: SourceInfo) -> SourceRun | RemoteRun:
        """A run of `source`, stored here or by the storing child."""
        if self.storer is not None:
            return self.storer.run(source)
        assert self.ingest is not None  # noqa: S101 - one of the two is set by create
        return self.ingest.run(source)

    def close(self) -> None:
        """Stop the worker processes (each run's finish has brought the index up to date)."""
        if self.storer is not None:
            self.storer.close()
        if self.ingest is not None:
            self.ingest.close()

    def __deepcopy__(self, _memo: dict[int, Any]) -> CrawlSession:
        """Shared, not copied: Scrapy deep-copies the settings for each crawler."""
        return self

    def finished(self, summary: RunSummary) -> None:
        """Keep a source's summary and print its progress line."""
        with self.lock:
            self.summaries[summary.source] = summary
        if self.progress is not None:
            self.progress(
                f"✓ {summary.source}: {summary.items} items, {summary.new} new, "
                f"{summary.updated} updated, {summary.unchanged} unchanged, "
                f"{summary.closed} closed, {summary.errors} errors — {summary.outcome}"
                + (f" ({summary.message})" if summary.message else "")
            )


@functools.cache
def _default() -> CrawlSession:
    """The session of a plain `scrapy crawl` (no runner made one): still one per process."""
    return CrawlSession.create()


def session_for(settings: BaseSettings) -> CrawlSession:
    """The process's session: the runner's (in the settings), else the default one."""
    session = settings.get(SETTING)
    return session if isinstance(session, CrawlSession) else _default()
