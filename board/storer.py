"""A crawl's storing in a process of its own (board.ingest re-exports it for the spiders):
the crawl process runs Scrapy and extraction, a forked child normalizes, stores and indexes
(on the other core, with its own GIL).

    storer = Storer.fork(board, make_ingest)   # before the process starts any thread
    run = storer.run(SourceInfo(...))          # a SourceRun's interface, each call a request
    run.start(); run.add(records); run.finish(complete=..., failed=...)
    storer.close()

The child serves one request at a time, in the order they were sent, over one pipe: the
batches of a run (sent one at a time by the pipeline, under the run's lock) are stored in
their order. Each call waits for its answer (in one of the reactor's worker threads, so the
reactor keeps crawling); an exception in the child comes back as the call's exception.

Nothing is lost to a crash. A batch is acknowledged only once the child has committed it. If
the child dies, every call from then on raises `StorerGone`: the batch in flight is counted
failed by the pipeline, the run's finish fails, so the run closes nothing and its row stays
"running" under the child's pid until recovered as interrupted. The child dies with the crawl
process (board.children); it ignores SIGINT (the crawl's Ctrl-C lets the crawl finish what it
has, which still needs the child) and exits when the crawl closes its end of the pipe.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from multiprocessing import Pipe
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, TypeAlias

from board.children import die_with_parent

if TYPE_CHECKING:
    from board.services import Board

# board.ingest re-exports this module, so its classes are not imported here (no circle): the
# child's Ingest and SourceRun, a batch's RawRecords and Outcomes, a run's SourceInfo and
# RunSummary are board.ingest's, passed through as they are.
Ingest: TypeAlias = Any
SourceRun: TypeAlias = Any
Outcome: TypeAlias = Any
RawRecord: TypeAlias = Any
RunSummary: TypeAlias = Any
SourceInfo: TypeAlias = Any

#: A run's count of records that could not be stored (board.ingest.FAILED).
FAILED = "failed"

log = logging.getLogger(__name__)


class StorerGone(RuntimeError):
    """The storing process is gone (crashed or killed): nothing more is stored."""


class Storer:
    """The crawl process's end of the storing child (see the module doc)."""

    def __init__(self, pid: int, connection: Connection) -> None:
        self.pid = pid
        self._connection = connection
        self._lock = threading.Lock()
        self._keys = 0
        self._closed = False

    @classmethod
    def fork(
        cls,
        board: Board,
        make_ingest: Callable[[Board], Ingest],
        warm: Callable[[Board], None] | None = None,
    ) -> Storer:
        """Fork the child now (the caller has no other thread): it builds its Ingest with
        `make_ingest` (forking its own workers, if any) and serves, running `warm` the
        first time it has no request waiting."""
        parent_end, child_end = Pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (measured through the crawl tests)
            code = 0
            try:
                parent_end.close()
                _serve(board, child_end, parent, make_ingest, warm)
            except BaseException:  # noqa: BLE001 - a child never returns into the parent's code
                log.exception("the storing process failed")
                code = 1
            finally:
                os._exit(code)
        child_end.close()
        return cls(pid, parent_end)

    def run(self, source: SourceInfo) -> RemoteRun:
        """A source's run, stored by the child."""
        with self._lock:
            self._keys += 1
            key = self._keys
        return RemoteRun(self, key, source)

    def call(self, op: str, *args: Any) -> Any:
        """Send one request and wait for its answer (one request at a time, in order)."""
        with self._lock:
            if self._closed:
                raise StorerGone("the storing process was closed")
            try:
                self._connection.send((op, args))
                status, value = self._connection.recv()
            except (EOFError, OSError) as exc:
                raise StorerGone(f"the storing process (pid {self.pid}) is gone") from exc
        if status == "error":
            raise value
        return value

    def close(self) -> None:
        """Ask the child to stop its workers and exit; wait for it."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            try:
                self._connection.send(("close", ()))
                self._connection.recv()
            except (EOFError, OSError):
                pass
            self._connection.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


class RemoteRun:
    """A SourceRun whose every call is stored by the child (the pipeline's interface)."""

    def __init__(self, storer: Storer, key: int, source: SourceInfo) -> None:
        self.storer = storer
        self.key = key
        self.source = source
        self.run_id: int | None = None
        self.counts: Counter[str] = Counter()
        self.removed: Counter[str] = Counter()

    def start(self) -> int:
        """Record the source and the run's start (in the child: the run's pid is the child's)."""
        self.run_id = int(self.storer.call("start", self.key, self.source))
        return self.run_id

    def add(self, records: Sequence[RawRecord]) -> list[Outcome]:
        """Store a batch (acknowledged once committed); the outcomes counted here too."""
        outcomes: list[Outcome] = self.storer.call("add", self.key, list(records))
        for outcome in outcomes:
            self.counts[outcome.status] += 1
            self.removed.update(outcome.removed)
        return outcomes

    def heartbeat(self) -> None:
        """Say the run is alive."""
        self.storer.call("heartbeat", self.key)

    def finish(self, **options: Any) -> RunSummary:
        """Finish the run in the child. Records this side counted failed (a batch whose answer
        never came) are added to the child's count, so the run closes nothing."""
        summary: RunSummary = self.storer.call("finish", self.key, self.counts[FAILED], options)
        return summary


def _serve(
    board: Board,
    connection: Connection,
    parent: int,
    make_ingest: Callable[[Board], Ingest],
    warm: Callable[[Board], None] | None,
) -> None:
    """The child's loop: one request at a time until "close" or the parent's end closes."""
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if "engine" in board.__dict__:
        board.engine.dispose(close=False)  # the parent's pooled connections are not ours
    ingest = make_ingest(board)
    ingest.start_workers()
    gc.freeze()
    runs: dict[int, SourceRun] = {}
    try:
        while True:
            if warm is not None and not connection.poll(0):
                # while the crawl has nothing for us yet (never before a request waiting:
                # the run's start must not wait for the warm-up)
                warm(board)
                warm = None
            try:
                op, args = connection.recv()
            except (EOFError, OSError):
                return
            if op == "close":
                connection.send(("ok", None))
                return
            try:
                value = _handle(ingest, runs, op, args)
            except Exception as exc:  # noqa: BLE001 - the caller's call raises it
                connection.send(("error", _sendable(exc)))
            else:
                connection.send(("ok", value))
    finally:
        ingest.close()


def warm_up(board: Board) -> None:
    """In the storing child, before its first batch: the database, the normalizer's tables and
    the index (loaded while the crawl process starts Scrapy, on the other core)."""
    from board.normalizing import WARM_UP, normalize_many

    for part in ("engine", "sessions", "read_sessions", "index"):
        getattr(board, part)
    normalize_many([WARM_UP])


def _handle(ingest: Ingest, runs: dict[int, SourceRun], op: str, args: tuple[Any, ...]) -> Any:
    if op == "start":
        key, source = args
        runs[key] = ingest.run(source)
        return runs[key].start()
    run = runs[args[0]]
    if op == "add":
        return run.add(args[1])
    if op == "heartbeat":
        return run.heartbeat()
    if op == "finish":
        failed, options = args[1], args[2]
        run.counts[FAILED] = max(run.counts[FAILED], failed)
        del runs[args[0]]
        return run.finish(**options)
    raise ValueError(f"unknown request {op!r}")


def _sendable(exc: Exception) -> Exception:
    """The exception itself when it pickles, else a RuntimeError with its text."""
    import pickle

    try:
        pickle.loads(pickle.dumps(exc))  # noqa: S301 - our own object, round-tripped
    except Exception:  # noqa: BLE001 - anything unpicklable becomes its text
        return RuntimeError(f"{type(exc).__name__}: {exc}")
    return exc
