"""The posting change log: a row for every posting change, in the transaction that made it.

Writers call `mark(session, posting, kind)` (board.ingest does, for every way in); a safety net
marks any other posting whose stored fields changed. When the session commits, one
`posting_changes` row per changed posting is inserted and the posting's `version` set to its
id, as the last statements of the transaction.

Followers (`board.indexing.catch_up`, later each web node) remember the last id they applied
and read `changes_after(session, that_id)`. That is only safe when ids become visible in id
order; see `_lock_commit_order`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    Table,
    TextClause,
    bindparam,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import set_committed_value

from board.clock import utcnow
from board.models import CHANGE_NEW, CHANGE_UPDATE, Posting, PostingChange

#: The advisory-lock key that orders change-log inserts on PostgreSQL ("rcjobs" in ASCII).
CHANGE_LOG_LOCK = 0x7263_6A6F_6273
#: Posting columns whose change alone is not a change of the posting (seen again; the version).
BOOKKEEPING = frozenset({"last_seen", "version"})
_PENDING = "rcjobs.changes"
_CHANGES = cast(Table, PostingChange.__table__)
_POSTINGS = cast(Table, Posting.__table__)


def mark(session: Session, posting: Any, kind: str) -> None:
    """Record that `posting` changed (new, update, close, hide...) in this transaction."""
    session.info.setdefault(_PENDING, {})[posting] = kind


def _mark_implicit(session: Session, posting: Posting, kind: str) -> None:
    """Mark a posting changed unless a writer already said how."""
    session.info.setdefault(_PENDING, {}).setdefault(posting, kind)


def install(factory: sessionmaker[Session]) -> None:
    """Have every session of `factory` write the change log when it commits."""
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_end", _after_transaction_end)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """The safety net: a new posting, or one whose stored fields changed, is a change."""
    for obj in session.new:
        if isinstance(obj, Posting):
            _mark_implicit(session, obj, CHANGE_NEW)
    for obj in session.dirty:
        if isinstance(obj, Posting) and _fields_changed(obj):
            _mark_implicit(session, obj, CHANGE_UPDATE)


def _fields_changed(posting: Posting) -> bool:
    state = inspect(posting)
    for attr in state.mapper.column_attrs:
        if attr.key in BOOKKEEPING:
            continue
        added, _, deleted = state.attrs[attr.key].history
        if added and (not deleted or list(added) != list(deleted)):
            return True
    added, _, deleted = state.attrs["institution"].history
    return bool(added) and list(added) != list(deleted)


def _before_commit(session: Session) -> None:
    """Insert the change rows last, so ids follow commit order (see _lock_commit_order)."""
    if session.in_nested_transaction():
        return  # a savepoint: the outer commit writes the log
    session.flush()
    pending: dict[Any, str] = session.info.pop(_PENDING, {})
    rows = [(p, kind) for p, kind in pending.items() if _stored(session, p)]
    if not rows:
        return
    _lock_commit_order(session)
    now = utcnow()
    # Core INSERTs, ids back in row order (no ORM objects to track), then every posting's
    # version set by one executemany UPDATE (an ORM posting's attribute set as committed, so
    # the commit's flush has nothing left to write for it).
    if session.get_bind().dialect.name == "postgresql":
        ids = _insert_and_version(session, rows, now)
    else:
        statement = insert(_CHANGES).returning(_CHANGES.c.id, sort_by_parameter_order=True)
        values = [
            {"posting_id": p.id, "public_id": p.public_id, "kind": kind, "created_at": now}
            for p, kind in rows
        ]
        ids = [int(ident) for ident in session.execute(statement, values).scalars().all()]
        versions = [
            {"posting": posting.id, "version": ident}
            for (posting, _), ident in zip(rows, ids, strict=True)
        ]
        by_id = update(_POSTINGS).where(_POSTINGS.c.id == bindparam("posting"))
        session.execute(by_id.values(version=bindparam("version")), versions)
    for (posting, _), ident in zip(rows, ids, strict=True):
        if isinstance(posting, Posting):
            set_committed_value(posting, "version", ident)
        else:  # a row a batch INSERTed itself (board.new_postings)
            posting.version = ident


@cache
def _insert_and_version_statement() -> TextClause:
    """PostgreSQL: the change rows and the postings' versions in one statement (arrays, not a
    parameter per value: the same SQL text every time). Ids are drawn in array order, as the
    INSERT ... SELECT ... ORDER BY that SQLAlchemy's sorted RETURNING relies on draws them.
    Built on first use: the PostgreSQL dialect's types (its ARRAY) cost about 15 ms to import,
    which an SQLite installation (and a web node's start) never needs."""
    from sqlalchemy.dialects.postgresql import ARRAY

    return text(
        """
        WITH change AS (
            INSERT INTO posting_changes (posting_id, public_id, kind, created_at)
            SELECT r.posting_id, r.public_id, r.kind, :created_at
            FROM unnest(:posting_ids, :public_ids, :kinds)
                WITH ORDINALITY AS r(posting_id, public_id, kind, n)
            ORDER BY r.n
            RETURNING id, posting_id
        )
        UPDATE postings SET version = change.id FROM change
        WHERE postings.id = change.posting_id
        RETURNING change.posting_id, change.id
        """
    ).bindparams(
        bindparam("posting_ids", type_=ARRAY(Integer)),
        bindparam("public_ids", type_=ARRAY(String)),
        bindparam("kinds", type_=ARRAY(String)),
        bindparam("created_at", type_=DateTime()),
    )


def _insert_and_version(session: Session, rows: list[tuple[Any, str]], now: Any) -> list[int]:
    """The change ids of `rows` (postings, each once), in row order (PostgreSQL)."""
    found = session.execute(
        _insert_and_version_statement(),
        {
            "posting_ids": [p.id for p, _ in rows],
            "public_ids": [p.public_id for p, _ in rows],
            "kinds": [kind for _, kind in rows],
            "created_at": now,
        },
    )
    by_posting = {int(posting): int(change) for posting, change in found}
    return [by_posting[p.id] for p, _ in rows]


def _stored(session: Session, posting: Any) -> bool:
    """Whether a marked posting is in the database now: an ORM posting persistent in this
    session, or a row a batch INSERTed (board.new_postings.NewPosting, with its id)."""
    if isinstance(posting, Posting):
        return posting in session and inspect(posting).persistent
    return getattr(posting, "id", None) is not None


def _lock_commit_order(session: Session) -> None:
    """Make change ids visible in id order.

    On PostgreSQL two transactions can take ids 10 and 11 and commit 11 first; a follower that
    read through 11 would then never see 10. Taking one transaction-scoped advisory lock just
    before the change rows are inserted (the last statements before COMMIT) means ids are
    drawn and committed one writer at a time, so commit order is id order. The lock is held
    only for those inserts and the commit, not for the work before them. Tracking gaps in the
    reader instead would need a timeout to tell a slow transaction from a rolled-back one.
    SQLite needs nothing: its writers hold the one write lock from BEGIN IMMEDIATE to COMMIT.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHANGE_LOG_LOCK})


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction committed or rolled back
        session.info.pop(_PENDING, None)


# -- reading --------------------------------------------------------------------------------


def changes_after(session: Session, after: int, limit: int = 500) -> Sequence[tuple[int, int]]:
    """(change id, posting id) of the changes after `after`, oldest first, at most `limit`."""
    rows = session.execute(
        select(PostingChange.id, PostingChange.posting_id)
        .where(PostingChange.id > after)
        .order_by(PostingChange.id)
        .limit(limit)
    ).all()
    return [(int(change), int(posting)) for change, posting in rows]


def latest_change(session: Session) -> int:
    """The newest change id (0 when the log is empty)."""
    return int(session.scalar(select(func.max(PostingChange.id))) or 0)
