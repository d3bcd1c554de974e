"""Item pipelines: normalize, then store, then index. Each counts its problems in the stats."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from board import store
from board.normalize import normalize_record
from board.services import Board
from spiders.items import RAW_FIELDS

log = logging.getLogger(__name__)


def _board(crawler: Crawler) -> Board:
    """One Board per crawler process, shared by the pipelines."""
    board = getattr(crawler, "_rcjobs_board", None)
    if board is None:
        board = Board()
        crawler._rcjobs_board = board  # noqa: SLF001 - a per-crawler cache
    return board


def raw_record(adapter: ItemAdapter) -> dict[str, Any]:
    """The raw record's fields an item carries (absent ones left out)."""
    return {k: adapter.get(k) for k in RAW_FIELDS if adapter.get(k) is not None}


class NormalizePipeline:
    """Turn a raw item into a normalized record, skipping what did not change."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.seen: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        """Scrapy's constructor hook."""
        return cls(crawler)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Normalize one item, or drop it with a counted reason."""
        adapter = ItemAdapter(item)
        raw = raw_record(adapter)
        if not str(raw.get("title") or "").strip():
            self.stats.inc_value("rcjobs/dropped/no_title")
            raise DropItem("posting without a title")
        key = (str(raw.get("source") or ""), str(raw.get("source_id") or raw.get("url") or ""))
        if not key[1]:
            self.stats.inc_value("rcjobs/dropped/no_id")
            raise DropItem("posting without an id or url")
        if key in self.seen:
            self.stats.inc_value("rcjobs/dropped/duplicate_id")
            raise DropItem(f"duplicate id {key[1]} in this crawl")
        self.seen.add(key)
        raw["source_id"] = key[1]
        board = _board(self.crawler)
        with board.session() as session:
            unchanged = store.known_hash(session, key[0], key[1]) == store.content_hash(raw)
        adapter["normalized"] = None if unchanged else normalize_record(raw)
        adapter["source_id"] = key[1]
        return item


class StorePipeline:
    """Store each posting and record the crawl run of its source."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.run_id: int | None = None
        self.changed: list[str] = []
        self.summary: store.RunSummary | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        """Scrapy's constructor hook; the run is finished on spider_closed, which has the reason."""
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def open_spider(self, spider: Spider | None = None) -> None:
        """Record the run's start and the source's registry entry."""
        spider = spider or self.crawler.spider
        source = spider.source
        board = _board(self.crawler)
        with board.session() as session:
            store.ensure_source(
                session,
                source.id,
                source.institution,
                source.platform,
                source.url,
                source.extra | ({"search": source.search} if source.search else {}),
            )
            self.run_id = store.start_run(session, source.id).id

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Upsert the posting; never delete anything."""
        adapter = ItemAdapter(item)
        source_id, source_key = adapter["source"], adapter["source_id"]
        board = _board(self.crawler)
        with board.session() as session:
            raw = raw_record(adapter)
            if adapter.get("normalized") is None:
                if store.touch_link(session, source_id, source_key):
                    self.stats.inc_value("rcjobs/unchanged")
                    return item
                adapter["normalized"] = normalize_record(raw)
            result = store.upsert_posting(
                session, adapter["normalized"], raw, source_id, source_key
            )
            self.stats.inc_value(f"rcjobs/{result.change}")
            if result.change != "unchanged":
                self.changed.append(result.posting.public_id)
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Finish the run: outcome, counts, and the closing rules (only for complete runs)."""
        if self.run_id is None:
            return
        stats = self.stats.get_stats()
        errors = int(stats.get("log_count/ERROR", 0)) + int(stats.get("spider_exceptions", 0))
        items = int(stats.get("item_scraped_count", 0)) + int(stats.get("rcjobs/unchanged", 0))
        items = max(items, len(self.changed))
        failed = reason not in ("finished",) or (errors > 0 and items == 0)
        complete = bool(getattr(spider, "complete", False)) and errors == 0 and not failed
        board = _board(self.crawler)
        with board.session() as session:
            run = session.get(store.CrawlRun, self.run_id)
            run.pages = int(stats.get("response_received_count", 0))
            run.items = items
            run.errors = errors
            run.dropped = sum(int(v) for k, v in stats.items() if k.startswith("rcjobs/dropped/"))
            run.new = int(stats.get("rcjobs/new", 0))
            run.updated = (
                int(stats.get("rcjobs/updated", 0))
                + int(stats.get("rcjobs/reopened", 0))
                + int(stats.get("rcjobs/merged", 0))
            )
            run.stats = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
            summary = store.finish_run(
                session,
                run,
                complete=complete,
                failed=failed,
                close_after=board.settings.close_after_missing,
                message=None if not failed else f"crawl ended: {reason}, {errors} error(s)",
            )
            expired = store.expire_postings(session)
            summary.changed_ids.extend(p.public_id for p in expired)
        self.changed.extend(summary.changed_ids)
        self.summary = summary
        progress = self.crawler.settings.get("RCJOBS_PROGRESS")
        if callable(progress):
            progress(
                f"✓ {summary.source}: {summary.items} items, {summary.new} new, "
                f"{summary.updated} updated, {summary.closed} closed, {summary.errors} errors "
                f"— {summary.outcome}" + (f" ({summary.message})" if summary.message else "")
            )
        self.crawler._rcjobs_summary = summary  # noqa: SLF001 - read by the crawl runner
        self.crawler._rcjobs_changed = list(self.changed)  # noqa: SLF001


class IndexPipeline:
    """Update the search index for what the run changed, through the one index writer."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        """Scrapy's constructor hook; indexes after the store has finished the run."""
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        return pipeline

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        """Indexing happens once per run, at close."""
        return item

    def spider_closed(self, spider: Spider, reason: str) -> None:
        """Index every posting the run created, changed or closed."""
        changed = getattr(self.crawler, "_rcjobs_changed", [])
        if not changed:
            return
        try:
            count = _board(self.crawler).reindex(changed)
            self.crawler.stats.set_value("rcjobs/indexed", count)
        except Exception:  # noqa: BLE001 - the database is the truth; `rcjobs index` repairs
            log.exception("index update failed; run `rcjobs index --rebuild`")
            self.crawler.stats.inc_value("rcjobs/index_errors")
