"""The normalizer in worker processes, for long imports: batches normalized while others store.

    pool = NormalizerPool(board, workers=2)
    pool.start()                                   # forks the workers
    pending = pool.submit([raw, raw, ...])         # returns at once
    results = pending.result()                     # [(record, None) or (None, error text)]
    pool.close()

Workers are forked (the normalizer's tables, loaded in the parent, are shared) and never touch
the database: each drops the parent's pooled connections without closing them (as a forked web
worker does), so the parent's connections stay its own, and die with the parent
(board.children). A record the normalizer cannot read
comes back as the text of its error, which board.ingest reports as the record's failure.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from board.children import die_with_parent
from board.record import NormalizedRecord
from board.services import Board

Result = tuple[NormalizedRecord | None, str | None]
#: Records per task: a batch is spread over the workers in a few tasks.
CHUNK = 25
#: A record normalized before the workers fork.
WARM_UP = {
    "title": "Director of Research Computing",
    "institution": "University of Toronto",
    "location": "Toronto, ON, Canada",
    "description": "<p>Lead the research computing team.</p><p>Salary $120,000 - $140,000</p>",
    "posted": "2026-11-02",
}


def error_text(exc: BaseException) -> str:
    """The first line of an error (its database error's, when it wraps one), or its class."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return text[0] if text else exc.__class__.__name__


def normalize_many(raws: Sequence[Mapping[str, Any]]) -> list[Result]:
    """Normalize each raw record; an error's text instead of a record the normalizer refused."""
    from board.normalize import normalize

    results: list[Result] = []
    for raw in raws:
        try:
            results.append((normalize(raw), None))
        except Exception as exc:  # noqa: BLE001 - the record fails, not the batch
            results.append((None, error_text(exc)))
    return results


class Pending:
    """The results of one submit, in order."""

    def __init__(self, parts: list[Future[list[Result]]]) -> None:
        self.parts = parts

    def result(self) -> list[Result]:
        """Wait for every part."""
        return [item for part in self.parts for item in part.result()]


class NormalizerPool:
    """Worker processes that normalize raw records (see the module doc)."""

    def __init__(self, board: Board, workers: int) -> None:
        self.board = board
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Fork the workers now (from a process with no other thread yet, a fork is safe)."""
        if self._executor is None:
            # The model and place names load on first use: here, once, shared by the workers
            # (a crawl forks them before it normalized anything; each loaded its own, ~0.3 s).
            normalize_many([WARM_UP])
            gc.freeze()  # and never walked (so never copied) by the workers' collectors
            self._executor = ProcessPoolExecutor(
                self.workers,
                mp_context=multiprocessing.get_context("fork"),
                initializer=_forget_parent,
                initargs=(self.board, os.getpid()),
            )
            self._executor.submit(int).result()  # the executor forks every worker at once

    def submit(self, raws: Sequence[Mapping[str, Any]]) -> Pending:
        """Queue records for the workers; their results, in order, from `result()`."""
        self.start()
        executor = self._executor
        assert executor is not None  # noqa: S101 - started just above
        chunks = [list(raws[n : n + CHUNK]) for n in range(0, len(raws), CHUNK)]
        return Pending([executor.submit(normalize_many, chunk) for chunk in chunks])

    def close(self) -> None:
        """Stop the workers (what was queued and not yet taken is dropped)."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def default_workers() -> int:
    """Worker processes for an import: RCJOBS_INGEST_WORKERS, else one per core (1: normalize
    in the storing process, no index follower)."""
    configured = _configured()
    if configured is not None:
        return configured
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def crawl_workers() -> int:
    """Worker processes for a crawl: RCJOBS_INGEST_WORKERS, else 1. On an idle machine two
    made a 1,000-page crawl about 10% faster (docs/performance.md, "Crawl: third pass") for
    more CPU in all; scheduled crawls are many small forked children, side by side."""
    configured = _configured()
    return 1 if configured is None else configured


def _configured() -> int | None:
    configured = os.environ.get("RCJOBS_INGEST_WORKERS", "").strip()
    return max(1, int(configured)) if configured.isdigit() else None


def _forget_parent(board: Board, parent: int) -> None:
    """In a forked worker: die with the parent; its pooled connections are not ours (never
    closed here)."""
    die_with_parent(parent)
    if "engine" in board.__dict__:
        board.engine.dispose(close=False)
