"""The search index of postings: Whoosh underneath, derived from the database, rebuilt by swap.

from search_index import SearchIndex, SearchRequest, SearchResult

index = SearchIndex(Path("instance/index"))
index.rebuild(documents, total=n, progress=callback, watermark=last_change_id)
index.apply(changed_documents, deleted_ids, expect=index.watermark(), through=last_change_id)
result = index.search(SearchRequest(q="hpc director", filters={"country": ["CA"]}))

Documents come from search_index.documents.posting_document (the index's contract); the
watermark is the last change-log id applied (board.indexing feeds the index from the log).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search_index import mapped
from search_index.layout import PARTS, IndexLocked, Layout
from search_index.schema import SCHEMA_VERSION
from search_index.searcher import Hit, Searcher, SearchRequest, SearchResult
from search_index.writer import IndexWriter, watermark_of

mapped.install()  # segment files read in place from their memory maps, not copied

__all__ = ["Hit", "IndexLocked", "SearchIndex", "SearchRequest", "SearchResult"]

#: Searches run by warm(): the default view, words, a phrase, a prefix, a misspelling (the
#: suggester), the newest-first and all-postings views with a filter. The phrase's second word
#: is in no index: it goes through the phrase's code (parser, positional field, candidates)
#: without reading positions, which serve only the phrase they were read for (its result is
#: memoised per phrase): '"research computing"' read those of most documents, 19 of the
#: master's CPU ms at 10k postings and 170-220 at 100k, for that one search.
WARM_REQUESTS = (
    SearchRequest(),
    SearchRequest(q="research computing director"),
    SearchRequest(q='"research zzwarmzz"'),
    SearchRequest(q="comput*"),
    SearchRequest(q="reserch"),
    SearchRequest(sort="newest", filters={"country": ["CA"]}, status="all", relevant="all"),
)


class SearchIndex:
    """One index directory: the single writer, a searcher, and the watermark it applied through."""

    def __init__(self, index_dir: Path, lock_timeout: float = 60.0) -> None:
        self.index_dir = Path(index_dir)
        self.layout = Layout(self.index_dir)
        self.writer = IndexWriter(self.layout, lock_timeout=lock_timeout)
        self.searcher = Searcher(self.layout)
        #: Writes this process made through this object (see version_token's `writes`).
        self.writes = 0

    def exists(self) -> bool:
        """Whether a complete index of the current schema is in place (else it needs a rebuild)."""
        generation = self.layout.current()
        if generation is None:
            return False
        return self.layout.read_meta(generation).get("schema") == SCHEMA_VERSION

    def outdated(self) -> bool:
        """Whether the index in place is of an older schema version (the next catch-up
        rebuilds it; until then it is searched as it is)."""
        return self.layout.current() is not None and not self.exists()

    def update(self, docs: Iterable[dict[str, Any]]) -> None:
        """Add or replace postings by id, incrementally (creates the index when missing)."""
        try:
            self.writer.update(docs)
        finally:
            self.writes += 1

    def delete(self, ids: Iterable[str]) -> None:
        """Remove postings by id."""
        try:
            self.writer.delete(ids)
        finally:
            self.writes += 1

    def apply(
        self, docs: Iterable[dict[str, Any]], deletes: Iterable[str], expect: int, through: int
    ) -> bool:
        """Write documents and deletes, moving the watermark from `expect` to `through`;
        False, writing nothing, when another writer moved the watermark first."""
        try:
            return self.writer.apply(docs, deletes, expect=expect, through=through)
        finally:
            self.writes += 1

    def watermark(self) -> int:
        """The last change id applied to the live index (0 when missing or never set)."""
        return self.writer.watermark()

    def rebuild(
        self,
        docs: Iterable[dict[str, Any]],
        total: int | None = None,
        progress: Callable[[int, int | None], None] | None = None,
        watermark: int = 0,
    ) -> int:
        """Build a fresh index beside the live one and swap it in atomically; how many read."""
        try:
            return self.writer.rebuild(docs, total=total, progress=progress, watermark=watermark)
        finally:
            self.writes += 1

    def versions(self) -> dict[str, int]:
        """Indexed posting id -> the posting version its document was made from."""
        with self.layout.holding() as generation:
            return _versions(generation)

    def metadata(self) -> dict[str, Any]:
        """{"count", "watermark", "live", "archive", "generation", ...}; count 0 when missing."""
        with self.layout.holding() as generation:
            return self._metadata(generation)

    def _metadata(self, generation: Path | None) -> dict[str, Any]:
        if generation is None:
            return {"count": 0, "watermark": 0, "exists": False}
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
            "watermark": watermark_of(meta),
            "exists": True,
            "generation": generation.name,
            **counts,
        }

    def warm(self) -> None:
        """Load what searches need before the first request (before forking workers, so they
        share it): the views' arrays and facets, then a few searches through every code path."""
        try:
            self.searcher.warm()
            for request in WARM_REQUESTS:
                self.searcher.search(request)
        except (OSError, whoosh_index.EmptyIndexError):
            self.searcher.reset()  # a missing or swapped index: the first search opens it
        self.searcher.forget_results()

    def after_fork(self) -> None:
        """In a forked child: reopen the index's files, keeping what the parent read."""
        self.searcher.after_fork()

    def version_token(self) -> tuple[object, ...]:
        """Changes whenever any process wrote the index (two stats, no reading).

        A caller may read it once and pass it to several searches and caches (a web request
        does: one version for the whole answer); `writes` tells it when this process wrote
        the index since (the token read before is then stale)."""
        return self.layout.token()

    def search(
        self, request: SearchRequest, token: tuple[object, ...] | None = None
    ) -> SearchResult:
        """Search; an index that is missing or unreadable gives an empty result. `token`: the
        version_token the caller read (else read here)."""
        for attempt in range(3):
            try:
                return self.searcher.search(request, token if attempt == 0 else None)
            except (OSError, whoosh_index.EmptyIndexError):
                # a generation swapped out between opening and reading it: reopen and retry
                if attempt == 2:
                    raise
                self.searcher.reset()
        raise AssertionError("unreachable")


def _versions(generation: Path | None) -> dict[str, int]:
    """Indexed posting id -> version, for one generation."""
    found: dict[str, int] = {}
    if generation is None:
        return found
    for part in PARTS:
        try:
            ix = whoosh_index.open_dir(str(generation / part))
        except (OSError, whoosh_index.EmptyIndexError):
            continue
        with ix.reader() as reader:
            for _, stored in reader.iter_docs():
                doc = stored.get("doc") or {}
                found[str(doc.get("id"))] = int(doc.get("version") or 0)
    return found
