"""The item pipeline: every posting a spider yields goes to board.ingest, a batch at a time.

Problems of storing are logged as warnings, not errors: Scrapy counts ERROR log lines of the
whole process in every crawler's stats (`log_count/ERROR`), so one source's refused record
would otherwise make every other run of the process partial. They count on their own run.

One pipeline per crawler, one `CrawlSession` (Board, engine, index writer) per process. Items
are checked here (a title, an id, not twice in one run: each drop counted in the stats), then
collected and handed to the ingest entry point in a worker thread, so no SQL ever runs on the
reactor thread; by default that thread only hands the batch to the crawl's storing process
(board.storer), which normalizes, stores and indexes it on the other core. A full batch is
queued for the worker (in order, one at a time per run) and the item goes on at once, so the
reactor keeps downloading and parsing while batches are stored; only when IN_FLIGHT batches are
queued does the next full batch wait for the oldest. Each posting is counted once, by what
storing it did (`rcjobs/new`, `rcjobs/updated`, `rcjobs/unchanged`, ...); the run's item count,
which the drop guard compares with recent runs, is the number actually stored. When the spider
closes, the run is finished (outcome, closing rules, expiry) and its summary handed to the
session for the crawl runner.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import defer, task, threads

from board.ingest import (
    FAILED,
    Outcome,
    RawRecord,
    RemoteRun,
    RunSummary,
    SourceInfo,
    SourceRun,
)
from spiders.items import RAW_FIELDS
from spiders.session import CrawlSession, session_for

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Items per ingest batch (one short transaction each).
BATCH = 50
#: Batches queued for the worker thread before a full batch waits for the oldest to be stored.
IN_FLIGHT = 4
#: Seconds between heartbeats of a running crawl (see board.crawlruns.STALE_AFTER).
HEARTBEAT = 60.0


def raw_record(adapter: ItemAdapter) -> dict[str, Any]:
    """The raw record's fields an item carries (absent ones left out)."""
    return {k: adapter.get(k) for k in RAW_FIELDS if adapter.get(k) is not None}


class IngestPipeline:
    """Check items, then store them through board.ingest in batches, off the reactor."""

    def __init__(self, crawler: Crawler, session: CrawlSession) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.session = session
        self.seen: set[tuple[str, str]] = set()
        self.pending: list[RawRecord] = []
        self.run: SourceRun | RemoteRun | None = None
        self.lock = defer.DeferredLock()  # one batch of this run at a time, in order
        self.in_flight: list[defer.Deferred[Any]] = []
        self.beat = task.LoopingCall(self._heartbeat)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IngestPipeline:
        """Scrapy's constructor hook; the run is finished on spider_closed, which has the reason."""
        pipeline = cls(crawler, session_for(crawler.settings))
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    async def open_spider(self, spider: Spider | None = None) -> None:
        """Record the run's start (in a thread) and start its heartbeat."""
        source = getattr(spider or self.crawler.spider, "source")  # noqa: B009 - a platform spider's
        config = dict(source.extra) | ({"search": source.search} if source.search else {})
        info = SourceInfo(source.id, source.institution, source.platform, source.url, config)
        self.run = self.session.source_run(info)
        await _off_reactor(self.run.start)
        self.beat.start(HEARTBEAT, now=False)  # its Deferred fires when stopped: not awaited

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Check one item and queue it; a full batch is stored before more items come."""
        adapter = ItemAdapter(item)
        raw = raw_record(adapter)
        if not str(raw.get("title") or "").strip():
            self._drop("no_title", "posting without a title")
        key = (str(raw.get("source") or ""), str(raw.get("source_id") or raw.get("url") or ""))
        if not key[1]:
            self._drop("no_id", "posting without an id or url")
        if key in self.seen:
            self._drop("duplicate_id", f"duplicate id {key[1]} in this crawl")
        self.seen.add(key)
        raw["source_id"] = adapter["source_id"] = key[1]
        self.pending.append(RawRecord(raw, key[1]))
        if len(self.pending) >= BATCH:
            if len(self.in_flight) >= IN_FLIGHT:
                await maybe_deferred_to_future(self.in_flight[0])
            self._queue()
        return item

    async def close_spider(self, spider: Spider | None = None) -> None:
        """Store what is left before the run is finished."""
        self._queue()
        while self.in_flight:
            await maybe_deferred_to_future(self.in_flight[0])

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        """Finish the run: outcome, counts, and the closing rules (only for complete runs)."""
        if self.beat.running:
            self.beat.stop()
        if self.run is None or self.run.run_id is None:
            return
        stats = self.stats.get_stats()
        errors = int(stats.get("log_count/ERROR", 0)) + int(stats.get("spider_exceptions", 0))
        stored = sum(n for status, n in self.run.counts.items() if status != FAILED)
        failed = reason not in ("finished",) or (errors > 0 and stored == 0)
        complete = bool(getattr(spider, "complete", False)) and errors == 0 and not failed
        finish = functools.partial(
            self.run.finish,
            complete=complete,
            failed=failed,
            pages=int(stats.get("response_received_count", 0)),
            dropped=sum(int(v) for k, v in stats.items() if k.startswith("rcjobs/dropped/")),
            errors=errors,
            stats=stats,
            message=None if not failed else f"crawl ended: {reason}, {errors} error(s)",
        )
        try:
            summary = await _off_reactor(finish, self.lock)
        except Exception as exc:  # noqa: BLE001 - reported as the source's failed run
            source_id = self.run.source.id
            log.warning("could not finish the run of %s: %s", source_id, exc)
            summary = RunSummary(source=source_id, outcome="failed", message=str(exc))
        self.session.finished(summary)

    # -- helpers ----------------------------------------------------------------------------

    def _drop(self, reason: str, message: str) -> None:
        self.stats.inc_value(f"rcjobs/dropped/{reason}")
        raise DropItem(message)

    def _queue(self) -> None:
        """Hand the pending items to the worker thread (after the batches queued before)."""
        batch, self.pending = self.pending, []
        run = self.run
        if not batch or run is None:
            return
        if isinstance(run, SourceRun) and run.ingest.parallel:
            # Normalized by the worker processes: queued for them now, so they work on this
            # batch while the one before is stored.
            planned = threads.deferToThread(run.plan, batch)

            def store_planned() -> defer.Deferred[list[Outcome]]:
                return planned.addCallback(lambda plan: threads.deferToThread(run.store, plan))

            stored = self.lock.run(store_planned)
        else:
            stored = self.lock.run(threads.deferToThread, functools.partial(run.add, batch))
        stored.addCallbacks(
            self._count,
            # counted; the run then closes nothing
            lambda failure: self._store_failed(failure.value, len(batch)),
        )
        self.in_flight.append(stored)

        def done(_: Any) -> None:
            self.in_flight.remove(stored)

        stored.addBoth(done)

    def _count(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.stats.inc_value(f"rcjobs/{outcome.status}")
            for reason, count in outcome.removed.items():
                self.stats.inc_value(f"rcjobs/removed/{reason}", count)
            if outcome.failed:  # counted on the run, which then closes nothing
                log.warning("posting %s not stored: %s", outcome.ref, outcome.reason)

    def _store_failed(self, exc: BaseException, size: int) -> None:
        """The database refused the batch as a whole (disk full, read-only): an error."""
        self.stats.inc_value(f"rcjobs/{FAILED}", size)
        if self.run is not None:
            self.run.counts[FAILED] += size  # so the run closes nothing
        log.warning("%d posting(s) not stored: %s", size, exc)

    def _heartbeat(self) -> defer.Deferred[Any]:
        run = self.run
        if run is None:
            return defer.succeed(None)
        beat = threads.deferToThread(run.heartbeat)
        beat.addErrback(lambda failure: log.warning("heartbeat: %s", failure.getErrorMessage()))
        return beat


async def _off_reactor(work: Callable[[], T], lock: defer.DeferredLock | None = None) -> T:
    """Run blocking work (SQL, the normalizer) in a worker thread, one at a time under lock."""
    if lock is None:
        return await maybe_deferred_to_future(threads.deferToThread(work))
    return await maybe_deferred_to_future(lock.run(threads.deferToThread, work))
