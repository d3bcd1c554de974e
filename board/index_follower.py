"""The search index following the change log from a child process while a long import stores.

    follower = IndexFollower(board, every=1.0)
    follower.start()          # forked: catches up every `every` seconds (start to start)...
    ...                       # the parent stores batches meanwhile, on the other core
    follower.stop()           # the child catches up once more (its index warm) and exits;
                              # the caller's own last catch-up then finds little or nothing

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
from multiprocessing.synchronize import Event

from board import indexing
from board.children import die_with_parent
from board.services import Board

#: Seconds stop() waits for the child's catch-up in progress before it is terminated.
STOP_TIMEOUT = 120.0


class IndexFollower:
    """One child process catching the index up every `every` seconds (see the module doc)."""

    def __init__(self, board: Board, every: float = 1.0) -> None:
        self.board = board
        self.every = every
        self._process: BaseProcess | None = None
        self._stop: Event | None = None

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
        self._process = context.Process(
            target=_follow,
            args=(self.board, self.every, self._stop, os.getpid()),
            name="rcjobs-index-follower",
            daemon=True,
        )
        self._process.start()

    def stop(self) -> None:
        """Let the child finish its catch-up in progress, catch up what was stored since, and
        exit."""
        process, stop = self._process, self._stop
        self._process = self._stop = None
        if process is None or stop is None:
            return
        stop.set()
        process.join(STOP_TIMEOUT)
        if process.is_alive():  # pragma: no cover - a catch-up stuck that long
            process.terminate()
            process.join()


def _follow(board: Board, every: float, stop: Event, parent: int) -> None:
    die_with_parent(parent)
    board.after_fork()
    try:
        while not stop.is_set() and os.getppid() == parent:
            started = time.monotonic()
            indexing.catch_up_quietly(board, indexing.FOLLOW_BATCH)
            # `every` from the start of this catch-up, not its end: a long one is followed at
            # once by the next, so the backlog left for the last catch-up (after the parent's
            # last commit, which it waits for) is at most about `every` seconds of stores.
            stop.wait(max(0.0, started + every - time.monotonic()))
        if os.getppid() == parent:  # stopped: what was stored since, with the index warm here
            indexing.catch_up_quietly(board, indexing.FOLLOW_BATCH)
    finally:
        if "engine" in board.__dict__:
            board.engine.dispose()
