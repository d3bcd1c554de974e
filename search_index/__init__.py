"""The search index of postings: Whoosh underneath, derived from the database, rebuilt by swap.

from search_index import SearchIndex, SearchRequest, SearchResult

index = SearchIndex(Path("instance/index"))
index.rebuild(documents, total=n, progress=callback, stamp=stamp)
index.update(changed_documents, stamp=stamp)
result = index.search(SearchRequest(q="hpc director", filters={"country": ["CA"]}))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search_index.layout import PARTS, IndexLocked, Layout
from search_index.schema import SCHEMA_VERSION
from search_index.searcher import Hit, Searcher, SearchRequest, SearchResult
from search_index.writer import IndexWriter

__all__ = ["Hit", "IndexLocked", "SearchIndex", "SearchRequest", "SearchResult"]


class SearchIndex:
    """One index directory: the single writer, a searcher, and metadata for lag detection."""

    def __init__(self, index_dir: Path, lock_timeout: float = 60.0) -> None:
        self.index_dir = Path(index_dir)
        self.layout = Layout(self.index_dir)
        self.writer = IndexWriter(self.layout, lock_timeout=lock_timeout)
        self.searcher = Searcher(self.layout)

    def exists(self) -> bool:
        """Whether a complete index of the current schema is in place (else it needs a rebuild)."""
        generation = self.layout.current()
        if generation is None:
            return False
        return self.layout.read_meta(generation).get("schema") == SCHEMA_VERSION

    def update(self, docs: Iterable[dict[str, Any]], stamp: str | None = None) -> None:
        """Add or replace postings by id, incrementally (creates the index when missing)."""
        self.writer.update(docs, stamp=stamp)

    def delete(self, ids: Iterable[str], stamp: str | None = None) -> None:
        """Remove postings by id."""
        self.writer.delete(ids, stamp=stamp)

    def rebuild(
        self,
        docs: Iterable[dict[str, Any]],
        total: int | None = None,
        progress: Callable[[int, int | None], None] | None = None,
        stamp: str | None = None,
    ) -> None:
        """Build a fresh index beside the live one and swap it in atomically."""
        self.writer.rebuild(docs, total=total, progress=progress, stamp=stamp)

    def metadata(self) -> dict[str, Any]:
        """{"count", "stamp", "live", "archive", "generation", ...}; count 0 when missing."""
        generation = self.layout.current()
        if generation is None:
            return {"count": 0, "stamp": None, "exists": False}
        meta = self.layout.read_meta(generation)
        counts = {}
        for part in PARTS:
            try:
                counts[part] = whoosh_index.open_dir(str(generation / part)).doc_count()
            except (OSError, whoosh_index.EmptyIndexError):
                counts[part] = 0
        return {
            **meta,
            "count": sum(counts.values()),
            "stamp": meta.get("stamp"),
            "exists": True,
            "generation": generation.name,
            **counts,
        }

    def search(self, request: SearchRequest) -> SearchResult:
        """Search; an index that is missing or unreadable gives an empty result."""
        for attempt in range(3):
            try:
                return self.searcher.search(request)
            except (OSError, whoosh_index.EmptyIndexError):
                # a generation swapped out between opening and reading it: reopen and retry
                if attempt == 2:
                    raise
                self.searcher.reset()
        raise AssertionError("unreachable")
