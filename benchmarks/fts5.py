"""The baseline: the same postings in SQLite FTS5 (bm25), facet counts in SQL."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from search_index.analysis import SYNONYM_FORMS

FACET_KEYS = {
    "country": "countries",
    "region": "regions",
    "role": "role",
    "technical": "technical",
    "sector": "sector",
    "institution": "institution_slug",
    "institution_type": "institution_type",
    "remote": "remote",
}


def _match_word(word: str) -> str:
    """An FTS5 term, or its synonyms ORed (the same vocabulary our index knows)."""
    forms = SYNONYM_FORMS.get(word.lower())
    if not forms:
        return f'"{word}"'
    return "(" + " OR ".join([f'"{word}"'] + [f'"{form}"' for form in forms]) + ")"


class Fts5Baseline:
    """Postings in one SQLite file: an FTS5 table, a postings table and a facet table."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(str(path))
        self.db.executescript(
            """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE postings(
                rowid INTEGER PRIMARY KEY, id TEXT, title TEXT, status TEXT, relevant INTEGER,
                posted TEXT, closes TEXT);
            CREATE VIRTUAL TABLE postings_fts USING fts5(
                title, institution, location, description, tokenize='porter unicode61');
            CREATE TABLE facets(doc INTEGER, facet TEXT, value TEXT);
            """
        )

    def build(self, docs: Iterable[dict[str, Any]]) -> int:
        """Insert every posting; the number inserted."""
        count = 0
        with self.db:
            for rowid, doc in enumerate(docs, start=1):
                self.db.execute(
                    "INSERT INTO postings VALUES (?,?,?,?,?,?,?)",
                    (
                        rowid,
                        doc["id"],
                        doc["title"],
                        doc["status"],
                        int(doc["relevant"]),
                        str(doc["posted_on"] or ""),
                        str(doc["closes_on"] or ""),
                    ),
                )
                self.db.execute(
                    "INSERT INTO postings_fts(rowid, title, institution, location, description)"
                    " VALUES (?,?,?,?,?)",
                    (
                        rowid,
                        doc["title"],
                        doc["institution"],
                        doc["location_text"],
                        doc["description"],
                    ),
                )
                rows = []
                for facet, key in FACET_KEYS.items():
                    value = doc.get(key)
                    values = value if isinstance(value, list) else [value]
                    rows += [(rowid, facet, str(v)) for v in values if v]
                self.db.executemany("INSERT INTO facets VALUES (?,?,?)", rows)
                count += 1
            self.db.execute("CREATE INDEX facets_value ON facets(facet, value, doc)")
            self.db.execute("CREATE INDEX facets_doc ON facets(doc)")
            self.db.execute("CREATE INDEX postings_view ON postings(status, relevant)")
        return count

    def search(
        self, q: str, filters: dict[str, list[str]], status: str = "open", limit: int = 20
    ) -> tuple[int, list[str], dict[str, list[tuple[str, int]]]]:
        """(total, top ids, facet counts) for a query, filters and the open+relevant view."""
        where = ["1=1"]
        args: list[Any] = []
        if status == "open":
            # unary + keeps SQLite from driving a full-text query by the status index
            where.append("+p.status = 'open' AND +p.relevant = 1")
        for facet, values in filters.items():
            marks = ",".join("?" * len(values))
            where.append(
                f"p.rowid IN (SELECT doc FROM facets WHERE facet = ? AND value IN ({marks}))"  # noqa: S608 - placeholders only
            )
            args += [facet, *values]
        match = " AND ".join(_match_word(w) for w in re.findall(r"\w+", q))
        if len(q) > 2 and q.startswith('"') and q.endswith('"'):  # FTS5's own phrase syntax
            match = '"' + " ".join(re.findall(r"\w+", q)) + '"'

        if match:
            source = "postings_fts CROSS JOIN postings p ON p.rowid = postings_fts.rowid"
            where.insert(0, "postings_fts MATCH ?")
            args.insert(0, match)
            order = "bm25(postings_fts, 3.0, 1.5, 1.2, 1.0)"
        else:
            source = "postings p"
            order = "p.posted DESC"
        condition = " AND ".join(where)
        top = [
            row[0]
            for row in self.db.execute(
                f"SELECT p.id FROM {source} WHERE {condition} ORDER BY {order} LIMIT ?",  # noqa: S608 - built from fixed fragments
                (*args, limit),
            )
        ]
        hits = f"SELECT p.rowid FROM {source} WHERE {condition}"  # noqa: S608 - fixed fragments
        total = self.db.execute(f"SELECT count(*) FROM ({hits})", args).fetchone()[0]  # noqa: S608
        facets: dict[str, list[tuple[str, int]]] = {}
        for facet, value, count in self.db.execute(
            f"SELECT facet, value, count(*) FROM facets WHERE doc IN ({hits})"  # noqa: S608
            " GROUP BY facet, value ORDER BY facet, count(*) DESC",
            args,
        ):
            facets.setdefault(facet, []).append((value, count))
        return total, top, facets

    def close(self) -> None:
        """Close the database."""
        self.db.close()
