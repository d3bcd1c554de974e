"""Keep a web node's search index following the database's change log, every second or so.

Each web node has its own index directory and follows the shared database: a thread in one
process of the node applies the changes after the index's watermark (board.indexing.catch_up),
so a write made anywhere (a crawl worker, `rcjobs import` on another machine, an editor on
another node) is searchable on every node within about one interval, with no rebuild. The
searchers of every worker reopen the index when its VERSION file changes.

Only one process per index directory follows: every gunicorn worker starts a follower, and the
one that takes `follow.lock` in the index directory (an fcntl lock the kernel drops when its
holder dies) is the node's follower; the others try again each interval, so a worker that is
killed is replaced within an interval. The writes themselves go through the index's own
single-writer lock and move the watermark only from where it was (a CLI `rcjobs import` on the
same node writing meanwhile is safe).
"""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from board.config import ConfigError
from board.errors import DatabaseError

if TYPE_CHECKING:
    from board.indexing import CatchUp
    from board.services import Board

log = logging.getLogger(__name__)
LOCK_NAME = "follow.lock"
DEFAULT_INTERVAL = 1.0


def follow_interval(value: str | None = None) -> float:
    """RCJOBS_FOLLOW_INTERVAL in seconds (1 by default; 0 turns following off)."""
    raw = os.environ.get("RCJOBS_FOLLOW_INTERVAL") if value is None else value
    if raw in (None, ""):
        return DEFAULT_INTERVAL
    try:
        seconds = float(raw)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise ConfigError(
            f"RCJOBS_FOLLOW_INTERVAL must be a number of seconds from 0 to 3600, not {raw!r}"
        )
    return seconds


class Follower:
    """One thread that catches the index up every `interval` seconds while it is elected."""

    def __init__(self, board: Board, interval: float = DEFAULT_INTERVAL) -> None:
        self.board = board
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock_file: IO[bytes] | None = None
        self._failing = False

    @property
    def elected(self) -> bool:
        """Whether this process holds the index directory's follow lock."""
        return self._lock_file is not None

    def start(self, first_after: float = 0.0) -> Follower:
        """Run in a daemon thread (it dies with the process), its first round after
        `first_after` seconds."""
        self._thread = threading.Thread(
            target=self._run, args=(first_after,), name="rcjobs-follow", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread and give up the lock."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._release()

    def _run(self, first_after: float = 0.0) -> None:
        if first_after > 0 and self._stop.wait(first_after):
            return
        while not self._stop.is_set():
            self.step()
            self._stop.wait(self.interval)

    def step(self) -> CatchUp | None:
        """One round: take the lock if free, then catch up; None when another process follows."""
        if not self.elected and not self._elect():
            return None
        return self._catch_up()

    def _elect(self) -> bool:
        path = Path(self.board.settings.index_dir) / LOCK_NAME
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+b")  # noqa: SIM115 - held open for the life of the follower
        except OSError as exc:
            self._report(f"cannot open {path}: {exc.strerror or exc}")
            return False
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        self._lock_file = handle
        log.info("following the change log into %s (pid %d)", path.parent, os.getpid())
        return True

    def _release(self) -> None:
        if self._lock_file is not None:
            self._lock_file.close()  # closing drops the flock
            self._lock_file = None

    def _catch_up(self) -> CatchUp | None:
        from board import indexing

        try:
            done = indexing.catch_up(self.board)
        except (OSError, DatabaseError, SQLAlchemyError) as exc:
            self._report(f"search index not brought up to date: {indexing._reason(exc)}")
            return None
        except Exception:  # noqa: BLE001 - the follower must outlive any one bad round
            if not self._failing:
                log.exception("could not bring the search index up to date")
            self._failing = True
            return None
        if self._failing:
            log.warning("search index follows the change log again (change %d)", done.watermark)
        self._failing = False
        return done

    def _report(self, message: str) -> None:
        """Log a failure once, not every second while it lasts."""
        if not self._failing:
            log.warning("%s (retrying every %gs)", message, self.interval)
        self._failing = True


_started: dict[int, Follower] = {}


def start(board: Board, caught_up: bool = False) -> Follower | None:
    """Start this process's follower (once per process); None when following is off.

    `caught_up`: the index was brought up to date just before (a gunicorn worker forked from
    a master that caught up while loading the app), so the first round waits one interval
    like every later one: at once, it would find (about) the same watermark, and its query
    would run beside the worker's first requests (in the same process, under the same GIL:
    it made a worker's first search 2-3 times slower when they met)."""
    interval = follow_interval()
    if interval == 0:
        return None
    pid = os.getpid()
    if pid not in _started:
        _started[pid] = Follower(board, interval).start(interval if caught_up else 0.0)
    return _started[pid]
