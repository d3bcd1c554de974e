"""What `rcjobs serve` adds around the app on a web node: metrics files, JSON logs, the follower.

board.serving calls these three hooks, so the server's own configuration stays in one place:
- `prepare` before the app is built (in gunicorn's master): the multiprocess metrics folder
  (PROMETHEUS_MULTIPROC_DIR must be set before prometheus_client is imported) and the log format;
- `after_fork` in each worker: the board forgets the master's connections, then the change-log
  follower starts (only one worker per index directory is elected to write; board.follow);
- `gunicorn_hooks`: gunicorn settings of their own (a dead worker's metrics files are marked).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from board import jsonlog
from board.follow import follow_interval
from board.follow import start as start_follower

if TYPE_CHECKING:
    from board.services import Board

__all__ = ["after_fork", "gunicorn_hooks", "metrics_enabled", "prepare", "start_follower"]
MULTIPROC = "PROMETHEUS_MULTIPROC_DIR"


def prepare(board: Board, port: int, dev: bool = False) -> None:
    """Before the app is built: logs as asked, and a fresh metrics folder for the workers."""
    jsonlog.configure()
    follow_interval()  # a bad RCJOBS_FOLLOW_INTERVAL stops the start, not each worker
    if dev or not metrics_enabled():
        return
    folder = Path(
        os.environ.get(MULTIPROC) or board.settings.instance_dir / "prometheus" / str(port)
    )
    if folder.is_dir():  # counters of a previous run of this node would be added to this one's
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC] = str(folder)


def metrics_enabled(value: object = None) -> bool:
    """RCJOBS_METRICS=1 (or true/yes/on) turns /metrics on (read here, before
    prometheus_client is imported, which must come after PROMETHEUS_MULTIPROC_DIR is set)."""
    raw = os.environ.get("RCJOBS_METRICS", "") if value is None else value
    return str(raw).strip().lower() in ("1", "true", "yes", "on")


def after_fork(board: Board) -> None:
    """In a new worker: nothing the master opened is reused; follow the change log (from one
    interval on: the master caught the index up while it loaded the app)."""
    board.after_fork()
    start_follower(board, caught_up=True)


def gunicorn_hooks() -> dict[str, Any]:
    """Extra gunicorn settings: a dead worker's live metrics are dropped from the sums."""
    if not os.environ.get(MULTIPROC):
        return {}

    def child_exit(_server: Any, worker: Any) -> None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)

    return {"child_exit": child_exit}
