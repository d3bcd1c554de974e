"""The Board: settings, database and search index wired together for the CLI, crawl and web."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from board import changelog
from board.config import Settings, load_settings
from board.db import DatabaseError, make_engine, make_session_factory, session_scope, writer

if TYPE_CHECKING:
    from search_index import SearchIndex

log = logging.getLogger(__name__)


class Board:
    """One installation of rcjobs: where its database and index live."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or load_settings()

    @cached_property
    def engine(self) -> Engine:
        """The SQLAlchemy engine."""
        if self.settings.database_url.startswith("sqlite:///"):
            self.settings.ensure_dirs()
        return make_engine(self.settings.database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        """Write sessions: on SQLite each transaction takes the write lock at BEGIN."""
        factory = make_session_factory(writer(self.engine))
        changelog.install(factory)
        return factory

    @cached_property
    def read_sessions(self) -> sessionmaker[Session]:
        """Read-only sessions: they never take SQLite's write lock (web pages, the index)."""
        factory = make_session_factory(self.engine)
        changelog.install(factory)
        return factory

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A write unit of work that commits on success (and writes the change log)."""
        with session_scope(self.sessions) as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A read-only unit of work."""
        with session_scope(self.read_sessions) as session:
            yield session

    @cached_property
    def index(self) -> SearchIndex:
        """The Whoosh index (derived from the database)."""
        from search_index import SearchIndex

        self.settings.ensure_dirs()
        return SearchIndex(self.settings.index_dir)

    def after_fork(self) -> None:
        """In a forked child: drop (without closing) the parent's pooled connections and
        reopen the index's files (keeping what the parent read into memory, shared), so no
        connection or file opened before the fork is used after it."""
        if "engine" in self.__dict__:
            self.engine.dispose(close=False)
        if "index" in self.__dict__:
            self.index.after_fork()

    def init_db(self) -> str | None:
        """Create or upgrade the schema; the revision it ends at."""
        from board import migrate

        try:
            migrate.upgrade(writer(self.engine))
            return migrate.current_revision(self.engine)
        except OperationalError as exc:
            raise DatabaseError(f"cannot reach the database: {_first_line(exc)}") from exc

    def check_db(self) -> None:
        """Raise DatabaseError (one line) when the database is unreachable or not initialised."""
        from board import migrate

        try:
            revision = migrate.current_revision(self.engine)
        except (OperationalError, ProgrammingError) as exc:
            raise DatabaseError(f"cannot reach the database: {_first_line(exc)}") from exc
        if revision is None:
            raise DatabaseError("the database has no tables yet: run `rcjobs init` first")


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__
