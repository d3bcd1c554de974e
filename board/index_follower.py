"""The search index following the change log from a child process while a long import stores.

    follower = IndexFollower(board, every=1.0)
    follower.start()          # forked: catches up every `every` seconds (start to start;
                              # every FIRST_POLL until the first catch-up that writes)...
    ...                       # the parent stores batches meanwhile, on the other core
    follower.stop()           # the child catches up once more (its index warm) and exits;
    follower.reached          # the watermark that last catch-up reached (None: it failed),
                              # which Ingest.finish compares with the change log's latest id

It runs `board.indexing.catch_up`, so the change log / watermark contract is the one every
writer of the index follows (a catch-up is idempotent; the watermark moves only after its
documents are written; concurrent catch-ups are serialised by the index's writer lock). The
child opens the database itself (the parent's pooled connections are dropped, not closed) and
exits when stopped, and dies with its parent (board.children).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from multiprocessing.process import BaseProcess
from multiprocessing.sharedctypes import Synchronized
from multiprocessing.synchronize import Event

from board.children import die_with_parent
from board.services import Board

#: Seconds between catch-ups until one finds something: the parent's first batch is
#: searchable soon after its commit (a catch-up that finds nothing is one indexed query).
FIRST_POLL = 0.1
#: Seconds stop() waits for the child's catch-up in progress before it is terminated.
STOP_TIMEOUT = 120.0


class IndexFollower:
    """One child process catching the index up every `every` seconds (see the module doc)."""

    def __init__(self, board: Board, every: float = 1.0) -> None:
        self.board = board
        self.every = every
        self._process: BaseProcess | None = None
        self._stop: Event | None = None
        self._reached: Synchronized[int] | None = None
        #: The watermark the child's last catch-up (after stop) reached, if it completed.
        self.reached: int | None = None

    @property
    def running(self) -> bool:
        """Whether the child is following."""
        return self._process is not None and self._process.is_alive()

    def start(self) -> None:
        """Fork the child (once)."""
        if self._process is not None:
            return
        context = multiprocessing.get_context("fork")
        self._stop = context.Event()
        self._reached = context.Value("q", -1)
        self._process = context.Process(
            target=_follow,
            args=(self.board, self.every, self._stop, os.getpid(), self._reached),
            name="rcjobs-index-follower",
            daemon=True,
        )
        self._process.start()

    def stop(self) -> None:
        """Let the child finish its catch-up in progress, catch up what was stored since, and
        exit; `reached` is then that last catch-up's watermark (None when it failed)."""
        process, stop, reached = self._process, self._stop, self._reached
        self._process = self._stop = self._reached = None
        if process is None or stop is None or reached is None:
            return
        stop.set()
        process.join(STOP_TIMEOUT)
        if process.is_alive():  # pragma: no cover - a catch-up stuck that long
            process.terminate()
            process.join()
        self.reached = reached.value if process.exitcode == 0 and reached.value >= 0 else None


def _follow(
    board: Board, every: float, stop: Event, parent: int, reached: Synchronized[int]
) -> None:
    from board import indexing  # here: the parent need not load the search index at all

    die_with_parent(parent)
    board.after_fork()
    pause = min(every, FIRST_POLL)
    try:
        while not stop.is_set() and os.getppid() == parent:
            started = time.monotonic()
            done = indexing.catch_up_quietly(board, indexing.FOLLOW_BATCH)
            if done is not None and (done.written or done.deleted):
                pause = every
            # `pause` from the start of this catch-up, not its end: a long one is followed at
            # once by the next, so the backlog left for the last catch-up (after the parent's
            # last commit, which it waits for) is at most about `every` seconds of stores.
            stop.wait(max(0.0, started + pause - time.monotonic()))
        if os.getppid() == parent:  # stopped: what was stored since, with the index warm here
            done = indexing.catch_up_quietly(board, indexing.FOLLOW_BATCH)
            if done is not None and not done.busy:
                reached.value = done.watermark
    finally:
        if "engine" in board.__dict__:
            board.engine.dispose()
