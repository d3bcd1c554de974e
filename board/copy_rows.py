"""New rows written by PostgreSQL's COPY instead of a multi-row INSERT (psycopg 3).

A batch's new postings and links (board.new_postings) go in as one COPY each: the rows are
streamed, with no SQL text of 30 parameters a row for the driver to convert and the server to
parse. What is written is what the INSERT wrote: each value goes through the column type's
own bind processor (a JSON column's value through the same serializer), the columns left out
get their Python-side column defaults as a Core INSERT gives them, and the others their server
defaults. Ids a caller needs back (no RETURNING with COPY) are drawn from the column's
sequence first, in one query, ascending in row order as the INSERT's were.

An error of the driver is raised as SQLAlchemy's (DBAPIError), so retries and the fallback
to record-by-record storing (board.ingest) see it as they see any statement's.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

__all__ = ["available", "copy", "next_ids"]


def available(session: Session) -> bool:
    """Whether the session writes to PostgreSQL through psycopg 3 (COPY can be used)."""
    dialect = session.get_bind().dialect
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


def next_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` new ids from the sequence of `table`'s id column, ascending."""
    rows = session.execute(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table.name, "n": count},
    )
    return sorted(int(ident) for ident in rows.scalars())


def copy(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """COPY `rows` (dicts with the same keys) into `table`, in order, in the session's
    transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    given = list(rows[0])
    defaults = [
        column
        for column in table.columns
        if column.name not in rows[0] and column.default is not None and not column.primary_key
    ]
    names = given + [column.name for column in defaults]
    processors = [_processor(table, name, dialect) for name in names]
    statement = f"COPY {_quoted(table, dialect)} ({', '.join(_names(names, dialect))}) FROM STDIN"
    driver = connection.connection.driver_connection
    assert driver is not None  # noqa: S101 - a live connection of this session
    with (
        _as_sqlalchemy_errors(statement),
        driver.cursor() as cursor,
        cursor.copy(statement) as stream,
    ):
        for row in rows:
            values = [row[name] for name in given] + [_default(c) for c in defaults]
            stream.write_row(
                [v if p is None else p(v) for p, v in zip(processors, values, strict=True)]
            )


def _processor(table: Table, name: str, dialect: Any) -> Any:
    return table.c[name].type.dialect_impl(dialect).bind_processor(dialect)


def _default(column: Any) -> Any:
    """The Python-side default a Core INSERT gives a column it was not given."""
    default = column.default
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return default.arg(None)  # SQLAlchemy wraps a callable to take the execution context
    raise ValueError(f"no Python-side default to copy for {column}")


def _quoted(table: Table, dialect: Any) -> str:
    return str(dialect.identifier_preparer.format_table(table))


def _names(names: list[str], dialect: Any) -> list[str]:
    return [str(dialect.identifier_preparer.quote(name)) for name in names]


@contextmanager
def _as_sqlalchemy_errors(statement: str) -> Iterator[None]:
    import psycopg

    try:
        yield
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from exc
