"""Every row of every table as JSON Lines, loaded back without loss (backups, moving databases).

The tables come from the SQLAlchemy metadata (board.all_models), in foreign-key order, so a
table added by a later issue is exported with no change here. The file:

    {"format": "rcjobs-export", "version": 1, "revision": "0004", "tables": ["institutions", ...]}
    {"table": "institutions", "row": {"id": 1, "slug": "...", ...}}
    ...
    {"end": true, "counts": {"institutions": 12, ...}}

Values are JSON: timestamps and dates in ISO 8601 (naive UTC, as stored), JSON columns as they
are, ids as stored. `load` takes such a file into an empty database at the same schema revision
in one transaction (a truncated or inconsistent file loads nothing), keeps every id, and moves
PostgreSQL's id sequences past the loaded ids. `digests` gives a count and a checksum per table
that do not depend on the database engine, so a copy can be compared with its original.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any

from sqlalchemy import Column, Connection, Engine, Table, func, select, text, types

from board.db import writer

FORMAT = "rcjobs-export"
VERSION = 1
BATCH = 1000


class ExportError(ValueError):
    """A file that is not an rcjobs export, or a database that cannot take it; says why."""


@dataclass
class LoadReport:
    """What a load wrote, per table."""

    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)


def tables() -> list[Table]:
    """Every rcjobs table, parents before the tables that refer to them."""
    from board import all_models  # noqa: F401 - registers every table on the metadata
    from board.models import Base

    return list(Base.metadata.sorted_tables)


def _order(table: Table) -> list[Column[Any]]:
    return list(table.primary_key.columns) or list(table.columns)


# -- values ----------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A column value as JSON (what `decode` turns back into the same value)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def decode(column: Column[Any], value: Any) -> Any:
    """A JSON value back into what the column stores."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, types.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, types.Date):
        return date.fromisoformat(value)
    if isinstance(kind, types.LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, types.Numeric) and not isinstance(kind, types.Float):
        return Decimal(value)
    return value


def encode_row(table: Table, row: Any) -> dict[str, Any]:
    """One row (a Row or mapping) as a JSON object of its columns."""
    mapping = row._mapping if hasattr(row, "_mapping") else row
    return {column.name: encode(mapping[column.name]) for column in table.columns}


# -- reading ---------------------------------------------------------------------------------


def _snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see one moment of the database."""
    connection = engine.connect()
    if engine.dialect.name == "postgresql":
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
    return connection


def iter_rows(connection: Connection, table: Table) -> Iterator[dict[str, Any]]:
    """The table's rows, encoded, in primary-key order, streamed."""
    result = connection.execution_options(yield_per=BATCH).execute(
        select(table).order_by(*_order(table))
    )
    for row in result:
        yield encode_row(table, row)


def revision_of(connection: Connection) -> str | None:
    """The Alembic revision the database is at (None when it has none)."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def lines(engine: Engine, counts: dict[str, int] | None = None) -> Iterator[str]:
    """The export of the whole database, line by line (each ends in a newline), streamed from
    one snapshot; `counts` is filled with the rows per table as they go."""
    counts = {} if counts is None else counts
    with _snapshot(engine) as connection, connection.begin():
        every = tables()
        header = {
            "format": FORMAT,
            "version": VERSION,
            "revision": revision_of(connection),
            "tables": [t.name for t in every],
        }
        yield json.dumps(header) + "\n"
        for table in every:
            counts[table.name] = 0
            for row in iter_rows(connection, table):
                yield json.dumps({"table": table.name, "row": row}, ensure_ascii=False) + "\n"
                counts[table.name] += 1
        yield json.dumps({"end": True, "counts": counts}) + "\n"


def dump(engine: Engine, out: IO[str]) -> dict[str, int]:
    """Write the whole database to `out` as an export; rows written per table."""
    counts: dict[str, int] = {}
    for line in lines(engine, counts):
        out.write(line)
    out.flush()
    return counts


def digests(engine: Engine) -> dict[str, tuple[int, str]]:
    """Per table: (rows, sha256 of the rows in key order), the same on SQLite and PostgreSQL."""
    found: dict[str, tuple[int, str]] = {}
    with _snapshot(engine) as connection, connection.begin():
        for table in tables():
            digest = hashlib.sha256()
            count = 0
            for row in iter_rows(connection, table):
                digest.update(json.dumps(row, sort_keys=True, ensure_ascii=False).encode())
                digest.update(b"\n")
                count += 1
            found[table.name] = (count, digest.hexdigest())
    return found


# -- writing ---------------------------------------------------------------------------------


def check_empty(connection: Connection) -> None:
    """ExportError naming the first table that holds rows."""
    for table in tables():
        count = connection.scalar(select(func.count()).select_from(table))
        if count:
            raise ExportError(
                f"the database is not empty: {table.name} has {count} row(s);"
                " load an export only into a new database"
            )


def read_header(line: str) -> dict[str, Any]:
    """The export's first line, checked."""
    try:
        header = json.loads(line.lstrip("\ufeff"))
    except json.JSONDecodeError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ExportError("not an rcjobs export (its first line is not an rcjobs-export header)")
    if header.get("version") != VERSION:
        raise ExportError(f"export format version {header.get('version')!r} is not {VERSION}")
    return header


def load(
    engine: Engine, lines: Iterable[str], progress: Callable[[str, int], None] | None = None
) -> LoadReport:
    """Load an export into an empty database at the export's schema revision (one transaction)."""
    stream = iter(lines)
    header = read_header(next(stream, ""))
    known = {t.name: t for t in tables()}
    counts: dict[str, int] = {}
    with writer(engine).begin() as connection:
        revision = revision_of(connection)
        if revision is None:
            raise ExportError("the database has no tables yet: run `rcjobs init` first")
        if header.get("revision") != revision:
            raise ExportError(
                f"the export is of schema revision {header.get('revision')!r}, the database of"
                f" {revision!r}: load it with the rcjobs version that wrote it"
            )
        check_empty(connection)
        pending: dict[str, list[dict[str, Any]]] = {}
        trailer: dict[str, Any] | None = None
        for number, line in enumerate(stream, start=2):
            if not line.strip():
                continue
            if trailer is not None:
                raise ExportError(f"line {number}: rows after the end of the export")
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ExportError(f"line {number}: not valid JSON: {exc.msg}") from None
            if not isinstance(entry, dict):
                raise ExportError(f"line {number}: expected a JSON object")
            if entry.get("end") is True:
                trailer = entry
                continue
            table = known.get(str(entry.get("table")))
            row = entry.get("row")
            if table is None or not isinstance(row, dict):
                raise ExportError(f"line {number}: unknown table {entry.get('table')!r}")
            unknown = set(row) - set(table.columns.keys())
            if unknown:
                raise ExportError(
                    f"line {number}: {table.name} has no column(s) {', '.join(sorted(unknown))}"
                )
            _flush_others(connection, known, pending, keep=table.name)
            batch = pending.setdefault(table.name, [])
            batch.append({name: decode(table.columns[name], value) for name, value in row.items()})
            counts[table.name] = counts.get(table.name, 0) + 1
            if len(batch) >= BATCH:
                _insert(connection, table, batch)
                if progress:
                    progress(table.name, counts[table.name])
        _flush_others(connection, known, pending, keep=None)
        if trailer is None:
            raise ExportError("the export ends before its last line: the file is incomplete")
        expected = {k: int(v) for k, v in (trailer.get("counts") or {}).items() if v}
        if expected != counts:
            raise ExportError(f"the export says it holds {expected} rows, but it has {counts}")
        reset_sequences(connection)
    return LoadReport(revision, counts)


def _flush_others(
    connection: Connection,
    known: dict[str, Table],
    pending: dict[str, list[dict[str, Any]]],
    keep: str | None,
) -> None:
    """Insert what is pending for every table but `keep` (rows arrive table by table)."""
    for name in [n for n in pending if n != keep]:
        _insert(connection, known[name], pending.pop(name))


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    if rows:
        connection.execute(table.insert(), rows)
        rows.clear()


def copy(
    source: Engine, target: Engine, progress: Callable[[str, int], None] | None = None
) -> LoadReport:
    """Copy every row of `source` into the empty `target` (same revision), one transaction:
    the export's lines streamed straight into `load`, so a move and a backup share each step."""
    return load(target, lines(source), progress=progress)


def reset_sequences(connection: Connection) -> None:
    """On PostgreSQL, move each serial id's sequence past the largest id (SQLite needs none)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables():
        for column in table.primary_key.columns:
            if not isinstance(column.type, types.Integer):
                continue
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence is None:
                continue
            top = select(func.max(column)).scalar_subquery()
            connection.execute(select(func.setval(sequence, func.coalesce(top, 0) + 1, False)))
