"""The `limits` storage of the rate-limit counters file (board.accounts.ratelimit): one short
write transaction per hit. Imported with Flask-Limiter (board.accounts.lazylimit loads it
first, so the storage's scheme is registered when the Limiter reads its URI)."""

from __future__ import annotations

import sqlite3
import time

from limits.storage import Storage

from board.accounts.ratelimit import SCHEME, connect, counters_path, create_counters


class SQLiteStorage(Storage):
    """Fixed-window counters in a SQLite file (one short write transaction per hit)."""

    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **_: object) -> None:
        """Open (and create) the counters file named by the URI's path."""
        super().__init__(uri, wrap_exceptions=wrap_exceptions)
        self.path = counters_path(uri or "")
        create_counters(self.path)

    @property
    def base_exceptions(self) -> type[Exception]:
        """What a failing file raises."""
        return sqlite3.Error

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        """Add to a counter (starting a new window when it expired); the new count."""
        now = time.time()
        with connect(self.path) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("DELETE FROM counters WHERE key = ? AND expiry <= ?", (key, now))
                db.execute(
                    "INSERT INTO counters (key, count, expiry) VALUES (?, ?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET count = count + excluded.count",
                    (key, amount, now + expiry),
                )
                (count,) = db.execute("SELECT count FROM counters WHERE key = ?", (key,)).fetchone()
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return int(count)

    def _value(self, column: str, key: str) -> float | None:
        """A live counter's column (count or expiry); None when it has expired or never was."""
        with connect(self.path) as db:
            row = db.execute(
                f"SELECT {column} FROM counters WHERE key = ? AND expiry > ?",  # noqa: S608 - column is ours
                (key, time.time()),
            ).fetchone()
        return row[0] if row else None

    def get(self, key: str) -> int:
        """A counter's value in its current window."""
        return int(self._value("count", key) or 0)

    def get_expiry(self, key: str) -> float:
        """When the counter's window ends (now when there is none)."""
        expiry = self._value("expiry", key)
        return float(expiry) if expiry is not None else time.time()

    def check(self) -> bool:
        """Whether the file answers."""
        try:
            with connect(self.path) as db:
                db.execute("SELECT 1")
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        """Forget every counter; how many there were."""
        with connect(self.path) as db:
            return db.execute("DELETE FROM counters").rowcount

    def clear(self, key: str) -> None:
        """Forget one counter."""
        with connect(self.path) as db:
            db.execute("DELETE FROM counters WHERE key = ?", (key,))
