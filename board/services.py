"""The Board: settings, database and search index wired together for the CLI, crawl and web."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from board import store
from board.config import Settings, load_settings
from board.db import DatabaseError, make_engine, make_session_factory, session_scope

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
        """The session factory."""
        return make_session_factory(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work that commits on success."""
        with session_scope(self.sessions) as session:
            yield session

    @cached_property
    def index(self) -> SearchIndex:
        """The Whoosh index (derived from the database)."""
        from search_index import SearchIndex

        self.settings.ensure_dirs()
        return SearchIndex(self.settings.index_dir)

    def init_db(self) -> str | None:
        """Create or upgrade the schema; the revision it ends at."""
        from board import migrate

        try:
            migrate.upgrade(self.engine)
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

    def reindex(self, public_ids: Iterable[str]) -> int:
        """Bring the index up to date for some postings (one writer, incremental)."""
        ids = list(dict.fromkeys(public_ids))
        if not ids:
            return 0
        with self.session() as session:
            docs = store.documents_for(session, ids)
            stamp = store.index_stamp(session)
        shown = [doc for doc in docs if not doc.get("hidden")]
        gone = set(ids) - {doc["id"] for doc in shown}  # hidden by the editor: not searchable
        if gone:
            self.index.delete(sorted(gone))
        self.index.update(shown, stamp=stamp)
        return len(shown)

    def rebuild_index(self, progress: Callable[[int, int | None], None] | None = None) -> int:
        """Build a fresh index from the database beside the live one and swap it in."""
        with self.session() as session:
            total = store.count_postings(session)
            stamp = store.index_stamp(session)
            self.index.rebuild(
                store.iter_documents(session), total=total, progress=progress, stamp=stamp
            )
        return total

    def index_is_current(self) -> bool:
        """Whether the index exists and was built from the database as it is now."""
        if not self.index.exists():
            return False
        with self.session() as session:
            stamp = store.index_stamp(session)
        return self.index.metadata().get("stamp") == stamp


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__
