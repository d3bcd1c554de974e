"""The index directory on disk: generations, the CURRENT pointer, the version file, the lock.

index_dir/
  CURRENT            name of the live generation (replaced atomically with os.replace)
  VERSION            rewritten (os.replace, so a new inode) after every write: readers stat it
  write.lock         fcntl lock held by the one writer at a time, across processes
  BUILDING           a rebuild in progress: {"dir", "pid"}
  gen-<ns>-<pid>/    one generation: live/ (open and relevant) and archive/ (the rest),
                     two Whoosh indexes with the same schema, meta.json, and readers.lock:
                     every searcher reading the generation holds a shared flock on it, and
                     a generation older than the live one is removed (`sweep`) once an
                     exclusive flock on it succeeds, that is once no reader holds it
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

PARTS = ("live", "archive")
CURRENT = "CURRENT"
VERSION = "VERSION"
LOCK = "write.lock"
BUILDING = "BUILDING"
BUILD_LOCK = "build.lock"
META = "meta.json"
READERS = "readers.lock"
REMOVING = ".removing"


class IndexLocked(TimeoutError):
    """Another writer held the index lock for longer than the timeout."""


def write_atomic(path: Path, text: str) -> None:
    """Replace a small file atomically (write beside it, fsync, os.replace)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def fsync_dir(path: Path) -> None:
    """Flush a directory entry change (a rename) to disk."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class Layout:
    """Paths and small atomic files of one index directory."""

    _thread_locks: dict[str, threading.Lock] = {}

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        # version_token and current_token run on every search: os.stat of a str, no pathlib
        self._version_path = os.path.join(self.root, VERSION)
        self._current_path = os.path.join(self.root, CURRENT)

    def current_name(self) -> str | None:
        """The live generation's directory name, or None when there is none."""
        try:
            name = (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        return name or None

    def current(self) -> Path | None:
        """The live generation directory, when it exists."""
        name = self.current_name()
        if name is None:
            return None
        path = self.root / name
        return path if all((path / part).is_dir() for part in PARTS) else None

    def set_current(self, name: str) -> None:
        """Point CURRENT at a generation (atomic)."""
        write_atomic(self.root / CURRENT, name + "\n")
        fsync_dir(self.root)

    def version_token(self) -> tuple[int, int, int]:
        """Changes whenever any process wrote the index: (inode, mtime_ns, size) of VERSION."""
        try:
            st = os.stat(self._version_path)
        except FileNotFoundError:
            return (0, 0, 0)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def current_token(self) -> tuple[int, int, int]:
        """Changes whenever CURRENT is replaced (it is only ever written by os.replace): a stat,
        cheaper than reading it on every search."""
        try:
            st = os.stat(self._current_path)
        except (FileNotFoundError, NotADirectoryError):
            return (0, 0, 0)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def token(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """(version_token, current_token): what a searcher's version is keyed by."""
        return (self.version_token(), self.current_token())

    def bump_version(self) -> None:
        """Tell every process's searcher and cache that the index changed."""
        write_atomic(self.root / VERSION, f"{time.time_ns()} {uuid.uuid4().hex}\n")

    def read_meta(self, generation: Path | None = None) -> dict[str, Any]:
        """meta.json of a generation (the live one by default)."""
        generation = generation or self.current()
        if generation is None:
            return {}
        try:
            return json.loads((generation / META).read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            return {}

    def write_meta(self, generation: Path, meta: dict[str, Any]) -> None:
        """Replace meta.json of a generation."""
        write_atomic(generation / META, json.dumps(meta, sort_keys=True))

    def new_generation_name(self) -> str:
        """A fresh generation name that sorts after every existing one (even if the clock
        stands still or steps back)."""
        ns = time.time_ns()
        for path in self.root.glob("gen-*") if self.root.is_dir() else ():
            with contextlib.suppress(IndexError, ValueError):
                ns = max(ns, int(path.name.split("-")[1].split(".")[0]) + 1)
        return f"gen-{ns:020d}-{os.getpid()}"

    def generations(self) -> list[Path]:
        """Every complete generation directory, oldest first."""
        if not self.root.is_dir():
            return []
        return sorted(p for p in self.root.glob("gen-*") if p.is_dir() and "." not in p.name)

    # readers' holds on generations

    def hold(self, generation: Path) -> IO[bytes] | None:
        """A shared flock on a generation, kept while the returned file stays open (None when
        the generation is gone or being removed: read CURRENT again)."""
        try:
            handle = open(generation / READERS, "a+b")  # noqa: SIM115 - held by the caller
        except OSError:
            return None
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return None
        if not all((generation / part).is_dir() for part in PARTS):  # removed meanwhile
            handle.close()
            return None
        return handle

    def hold_current(self) -> tuple[Path | None, IO[bytes] | None]:
        """The live generation with a reader's hold on it (retrying across a swap)."""
        for _ in range(20):
            generation = self.current()
            if generation is None:
                return None, None
            handle = self.hold(generation)
            if handle is not None:
                return generation, handle
        return None, None

    @contextlib.contextmanager
    def holding(self) -> Iterator[Path | None]:
        """The live generation, held for the duration of the block (None when none)."""
        generation, handle = self.hold_current()
        try:
            yield generation
        finally:
            if handle is not None:
                handle.close()

    def sweep(self) -> int:
        """Remove every generation older than the live one that no reader holds; how many.

        Only older ones: a newer generation may be about to be swapped in. A generation is
        renamed aside while the exclusive flock is held, so a reader that gets its shared
        flock afterwards sees it gone and reads CURRENT again."""
        current = self.current_name()
        if current is None:
            return 0
        removed = 0
        for path in self.generations():
            if path.name >= current:
                continue
            try:
                handle = open(path / READERS, "a+b")  # noqa: SIM115 - closed below
            except OSError:
                continue
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue  # a reader still holds it
            try:
                aside = path.with_name(f"{path.name}{REMOVING}-{uuid.uuid4().hex[:8]}")
                os.rename(path, aside)
            except OSError:
                continue
            finally:
                handle.close()
            shutil.rmtree(aside, ignore_errors=True)
            removed += 1
        for leftover in self.root.glob(f"gen-*{REMOVING}-*"):  # of a process that died
            shutil.rmtree(leftover, ignore_errors=True)
        return removed

    @contextlib.contextmanager
    def lock(self, timeout: float = 60.0) -> Iterator[None]:
        """Hold the single-writer lock (threads and processes), retrying until timeout."""
        self.root.mkdir(parents=True, exist_ok=True)
        key = str(self.root.resolve())
        thread_lock = self._thread_locks.setdefault(key, threading.Lock())
        deadline = time.monotonic() + timeout
        if not thread_lock.acquire(timeout=max(timeout, 0.001)):
            raise IndexLocked(f"search index {self.root} is locked by another writer")
        try:
            with open(self.root / LOCK, "a+b") as handle:
                delay = 0.01
                while True:
                    try:
                        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                        break
                    except BlockingIOError:
                        if time.monotonic() >= deadline:
                            raise IndexLocked(
                                f"search index {self.root} is locked by another writer"
                            ) from None
                        time.sleep(delay)
                        delay = min(delay * 2, 0.25)
                try:
                    yield
                finally:
                    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
        finally:
            thread_lock.release()

    @contextlib.contextmanager
    def build_lock(self) -> Iterator[None]:
        """Held for a whole rebuild; the kernel drops it if the builder dies."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / BUILD_LOCK, "a+b") as handle:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise IndexLocked(f"a rebuild of {self.root} is already running") from None
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
