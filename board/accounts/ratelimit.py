"""Rate-limit counters in a SQLite file, shared by every worker process of one machine.

Flask-Limiter's memory storage keeps counters per process, so under gunicorn's several workers
each limit would be multiplied by the number of workers. Without Redis, the limits live here:
the file's URI and its table; the `limits` storage that reads and writes it is
board.accounts.ratestore's SQLiteStorage (imported with Flask-Limiter, when a limit is first
checked: board.accounts.lazylimit).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

SCHEME = "rcjobs-sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS counters (key TEXT PRIMARY KEY, count INTEGER, expiry REAL)"


def storage_uri(path: Path) -> str:
    """The storage URI of a counters file."""
    return f"{SCHEME}://{Path(path).resolve().as_posix()}"


def counters_path(uri: str) -> Path:
    """The counters file a storage URI names."""
    return Path(unquote(urlsplit(uri or "").path))


def create_counters(path: Path) -> None:
    """Make the counters file (and its folder) when missing; raise OSError or sqlite3.Error
    when it cannot be."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with connect(path) as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(_SCHEMA)


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection for one operation (in autocommit mode), closed afterwards."""
    with closing(sqlite3.connect(path, timeout=5.0, isolation_level=None)) as db:
        yield db
