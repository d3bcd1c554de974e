"""Engines, sessions and transaction retry for SQLite (default) and PostgreSQL.

SQLite: WAL (readers never block the writer), a busy timeout, and every write transaction
opened with BEGIN IMMEDIATE. A deferred transaction that reads and then writes must upgrade its
read lock; when another writer committed in between, SQLite answers "database is locked" at
once, without waiting for the busy timeout, and that lost records under concurrent writers.
BEGIN IMMEDIATE takes the write lock up front, where the busy timeout does wait. Read-only
sessions keep a plain (deferred) BEGIN and never take the write lock. pysqlite's own
transaction handling is switched off (isolation_level=None) so these BEGINs are the only ones,
as SQLAlchemy's SQLite documentation describes.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from board.errors import DatabaseError

__all__ = [
    "DatabaseError",
    "StorageUnavailable",
    "is_retryable",
    "make_engine",
    "make_session_factory",
    "session_scope",
    "storage_problem",
    "with_retry",
    "writer",
]

#: Seconds a SQLite writer waits for the write lock before "database is locked".
BUSY_TIMEOUT = 30.0
#: The execution option that picks SQLite's BEGIN mode for a connection.
BEGIN_MODE = "rcjobs_sqlite_begin"
T = TypeVar("T")


class StorageUnavailable(DatabaseError):
    """The database cannot take writes (disk full, read-only, gone): retrying will not help."""


def make_engine(url: str) -> Engine:
    """An engine for the URL: reads by default; `writer(engine)` for write transactions."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True)
        if parsed.get_backend_name() == "postgresql":
            event.listen(engine, "connect", _postgres_connect)
        return engine
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT})
    on_disk = parsed.database not in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT * 1000)}")
        if on_disk:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(BEGIN_MODE, "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


#: PostgreSQL 14+ built with lz4: long values (descriptions, the normalized record, a link's
#: raw record) are compressed with lz4 instead of pglz when stored, several times cheaper for
#: the server to write (and to read back); the values themselves are the same. A no-op on a
#: server without it.
_LZ4_TOAST = (
    "SELECT set_config('default_toast_compression', 'lz4', false) FROM pg_settings"
    " WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
)


def _postgres_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(_LZ4_TOAST)
    cursor.close()
    dbapi_connection.commit()  # a session setting made in a transaction lasts once committed


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions take SQLite's write lock at BEGIN."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{BEGIN_MODE: "IMMEDIATE"})


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


# -- errors and retry -----------------------------------------------------------------------

_SQLITE_RETRY = ("database is locked", "database table is locked", "database schema has changed")
_SQLITE_FATAL = {
    "database or disk is full": "the disk is full",
    "attempt to write a readonly database": "the database is read-only",
    "unable to open database file": "the database file cannot be opened",
    "disk i/o error": "a disk I/O error",
    "readonly database": "the database is read-only",
}
#: PostgreSQL SQLSTATEs worth retrying: serialization failure, deadlock, lost connections.
_PG_RETRY = {"40001", "40P01", "08000", "08003", "08006", "08001", "08004", "57P01"}
_PG_FATAL = {
    "53100": "the database server's disk is full",
    "53200": "the database server is out of memory",
    "25006": "the database is read-only",
    "57P03": "the database server is not accepting connections",
}


def _sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None) or exc
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().lower()


def is_retryable(exc: BaseException) -> bool:
    """Whether the transaction may succeed when run again (lock contention, lost connection)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    state = _sqlstate(exc)
    if state is not None:
        return state in _PG_RETRY
    text = _message(exc)
    return any(part in text for part in _SQLITE_RETRY)


def storage_problem(exc: BaseException) -> str | None:
    """A one-line reason when the database cannot take writes at all (disk full, read-only)."""
    state = _sqlstate(exc)
    if state in _PG_FATAL:
        return _PG_FATAL[state]
    text = _message(exc)
    for part, reason in _SQLITE_FATAL.items():
        if part in text:
            return reason
    if isinstance(exc, OSError) and exc.errno is not None:
        return f"{exc.strerror or exc} ({getattr(exc, 'filename', '') or 'storage'})"
    return None


def with_retry(
    factory: sessionmaker[Session],
    work: Callable[[Session], T],
    *,
    attempts: int = 8,
    delay: float = 0.05,
    sleep: Callable[[float], None] = time.sleep,
    retry_also: Callable[[BaseException], bool] | None = None,
) -> T:
    """Run `work` in a transaction of its own, again (with backoff) when it may succeed then
    (`is_retryable`, or `retry_also` for a caller's own cases).

    Raises StorageUnavailable for a database that cannot take writes, and the last error when
    the attempts run out.
    """
    for attempt in range(1, attempts + 1):
        try:
            with session_scope(factory) as session:
                return work(session)
        except Exception as exc:
            problem = storage_problem(exc)
            if problem is not None:
                raise StorageUnavailable(f"cannot write the database: {problem}") from exc
            again = is_retryable(exc) or (retry_also is not None and retry_also(exc))
            if attempt == attempts or not again:
                raise
            sleep(delay * (2 ** (attempt - 1)) * (0.5 + random.random()))  # jitter
    raise AssertionError("unreachable")
