"""The single index writer: incremental writes, the applied-through watermark, rebuild and swap.

The index follows the database's change log: `apply` writes a batch of documents and deletes
and moves the generation's watermark (the last change id applied) from `expect` to `through`
in one step under the writer lock, refusing when another writer moved it first. A rebuild
builds a new generation beside the live one, records the watermark its documents were read
at, and swaps; the caller then catches up from there (which replaces replaying a journal).
"""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search_index.bulk import (
    PLAIN_BELOW,
    SMALL,
    FastSegmentWriter,
    SmallSegmentsOnly,
    build_segments,
)
from search_index.layout import BUILDING, PARTS, Layout
from search_index.overlay import in_memory
from search_index.schema import SCHEMA_VERSION, is_live, make_schema, to_fields
from search_index.streams import Vocabulary

log = logging.getLogger(__name__)
WATERMARK = "watermark"
Progress = Callable[[int, int | None], None]
#: Terms (and term pairs) an incremental writer's shared vocabulary holds before a fresh one.
VOCABULARY_MAX = 400_000
#: Segments of at most this many documents keep their reader between commits (SegmentReaders).
KEPT_SEGMENT_DOCS = SMALL


class IndexWriter:
    """Every write to one index directory goes through here, under one cross-process lock."""

    def __init__(
        self,
        layout: Layout,
        lock_timeout: float = 60.0,
        limitmb: float = 768,
        procs: int | None = None,
    ) -> None:
        self.layout = layout
        self.lock_timeout = lock_timeout
        self.limitmb = limitmb
        self.procs = procs or min(2, os.cpu_count() or 1)
        self._vocabulary: Vocabulary | None = None
        self._id_readers = SegmentReaders()

    # incremental

    def update(self, docs: Iterable[dict[str, Any]]) -> None:
        """Add or replace postings by id (creates the index when missing)."""
        batch = [doc for doc in docs if doc.get("id")]
        with self.layout.lock(self.lock_timeout):
            generation = self._ensure()
            self._apply(generation, batch, [])
            self._finish_write(generation, None)

    def delete(self, ids: Iterable[str]) -> None:
        """Remove postings by id."""
        doomed = [str(i) for i in ids if i]
        with self.layout.lock(self.lock_timeout):
            generation = self._ensure()
            self._apply(generation, [], doomed)
            self._finish_write(generation, None)

    def apply(
        self, docs: Iterable[dict[str, Any]], deletes: Iterable[str], expect: int, through: int
    ) -> bool:
        """Write a batch and move the watermark from `expect` to `through`; False (nothing
        written) when the live generation's watermark is not `expect` any more."""
        batch = [doc for doc in docs if doc.get("id")]
        doomed = [str(i) for i in deletes if i]
        with self.layout.lock(self.lock_timeout):
            generation = self._ensure()
            if watermark_of(self.layout.read_meta(generation)) != expect:
                return False
            self._apply(generation, batch, doomed)
            self._finish_write(generation, through)
        return True

    def watermark(self) -> int:
        """The last change id the live generation applied (0 when there is none)."""
        return watermark_of(self.layout.read_meta())

    def _ensure(self) -> Path:
        """The live generation, creating an empty one when there is none (lock held)."""
        generation = self.layout.current()
        if generation is not None:
            return generation
        name = self.layout.new_generation_name()
        generation = self.layout.root / name
        _create_parts(generation)
        self.layout.write_meta(
            generation, {WATERMARK: 0, "built_at": time.time(), "schema": SCHEMA_VERSION}
        )
        self.layout.set_current(name)
        return generation

    def _apply(self, generation: Path, docs: list[dict[str, Any]], deletes: list[str]) -> None:
        """Write one batch into a generation's two indexes (lock held), the cyclic collector
        paused meanwhile."""
        with collector_paused():
            self._write_parts(generation, docs, deletes)

    def _write_parts(
        self, generation: Path, docs: list[dict[str, Any]], deletes: list[str]
    ) -> None:
        latest = {str(doc["id"]): doc for doc in docs}
        ids = set(latest) | set(deletes)
        if not ids:
            return
        routed: dict[str, list[dict[str, Any]]] = {part: [] for part in PARTS}
        for ident, doc in latest.items():
            if not doc.get("hidden"):  # a hidden posting is removed from the index
                routed["live" if is_live(doc) else "archive"].append({**doc, "id": ident})
        for part in ("archive", "live"):
            ix = whoosh_index.open_dir(str(generation / part))
            segments = ix._segments()  # one read of the table of contents (the lock is held)
            with self._id_readers.of(ix, generation / part, segments) as readers:
                doomed = _holding(readers, ids)
            if not doomed and not routed[part]:
                continue
            merged = SmallSegmentsOnly.merging(segments)
            if len(routed[part]) + sum(s.doc_count_all() for s in merged) < PLAIN_BELOW:
                ix = in_memory(ix)  # a small segment: its working files in memory
            writer = FastSegmentWriter(
                ix, self._shared_vocabulary(), PLAIN_BELOW, timeout=self.lock_timeout
            )
            try:
                # What delete_by_term("id", ...) deletes, without a searcher and query per id (the
                # lock is held: the writer numbers the documents as the reader did).
                for docnum in doomed:
                    writer.delete_document(docnum)
                for doc in routed[part]:
                    writer.add_document(**to_fields(doc))
            except BaseException:
                writer.cancel()
                raise
            # A small commit merges only small segments: never the rebuild's big ones.
            writer.commit(mergetype=SmallSegmentsOnly())

    def _shared_vocabulary(self) -> Vocabulary:
        """The term numbers this writer's incremental segments share (lock held): kept
        between commits, so a follower's batches look their words up; a fresh one past
        VOCABULARY_MAX terms, so a long-running process does not grow without bound."""
        vocabulary = self._vocabulary
        if vocabulary is None or len(vocabulary.texts) > VOCABULARY_MAX:
            vocabulary = self._vocabulary = Vocabulary()
        return vocabulary

    def _finish_write(self, generation: Path, watermark: int | None) -> None:
        meta = self.layout.read_meta(generation)
        if watermark is not None:
            meta[WATERMARK] = watermark
        meta["updated_at"] = time.time()
        self.layout.write_meta(generation, meta)
        self.layout.bump_version()
        self.layout.sweep()  # generations the readers have left since the last swap

    # rebuild

    def rebuild(
        self,
        docs: Iterable[dict[str, Any]],
        total: int | None = None,
        progress: Progress | None = None,
        watermark: int = 0,
    ) -> int:
        """Build a fresh index beside the live one, then swap it in; the number indexed.

        `watermark` is the last change id committed before the documents were read: the new
        generation starts there, and catching up from it brings in whatever changed since."""
        with self.layout.build_lock():
            return self._rebuild(docs, total, progress, watermark)

    def _rebuild(
        self,
        docs: Iterable[dict[str, Any]],
        total: int | None,
        progress: Progress | None,
        watermark: int,
    ) -> int:
        root = self.layout.root
        root.mkdir(parents=True, exist_ok=True)
        name = self.layout.new_generation_name()
        build = root / f"{name}.building"
        with self.layout.lock(self.lock_timeout):
            self._clean_stale_builds()
            build.mkdir()
            (root / BUILDING).write_text(
                json.dumps({"dir": build.name, "pid": os.getpid()}), encoding="utf-8"
            )
        try:
            count = self._build(build, docs, total, progress)
            with self.layout.lock(self.lock_timeout):
                self.layout.write_meta(
                    build, {WATERMARK: watermark, "built_at": time.time(), "schema": SCHEMA_VERSION}
                )
                final = root / name
                os.rename(build, final)
                self.layout.set_current(name)
                with contextlib.suppress(FileNotFoundError):
                    (root / BUILDING).unlink()
                self.layout.bump_version()
                self.layout.sweep()  # the previous generation too, unless a reader holds it
        except BaseException:
            with contextlib.suppress(Exception), self.layout.lock(self.lock_timeout):
                marker = root / BUILDING
                if marker.exists() and build.name in marker.read_text(encoding="utf-8"):
                    marker.unlink()
            shutil.rmtree(build, ignore_errors=True)
            raise
        return count

    def _build(
        self,
        build: Path,
        docs: Iterable[dict[str, Any]],
        total: int | None,
        progress: Progress | None,
    ) -> int:
        """Index every document into build/live and build/archive (in parallel processes,
        each a contiguous share of the documents, their postings sorted in memory)."""
        _create_parts(build)
        count = 0

        def jobs() -> Iterator[tuple[str, dict[str, Any]]]:  # the workers make the fields
            nonlocal count
            for doc in docs:
                if not doc.get("id"):
                    continue
                count += 1
                if doc.get("hidden"):
                    continue
                yield ("live" if is_live(doc) else "archive"), doc

        def reported(done: int) -> None:
            if progress is not None:
                progress(count, total)

        procs = self.procs if total is None or total >= 2000 else 1
        build_segments(
            build,
            PARTS,
            jobs(),
            total,
            procs,
            reported,
            segment_bytes=int(self.limitmb * 1024 * 1024),
            prepare=to_fields,
        )
        if progress is not None:
            progress(count, total)
        return count

    def _clean_stale_builds(self) -> None:
        """Remove leftovers of rebuilds whose process died (both locks held)."""
        with contextlib.suppress(FileNotFoundError):
            (self.layout.root / BUILDING).unlink()
        for leftover in self.layout.root.glob("gen-*.building"):
            shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a batch is written (unless it is off already).
    A commit makes tens of thousands of short-lived tuples and bytes, all freed by reference
    counting; the collections they set off walk the young objects again and again, and now and
    then the whole heap of the process (about 300 ms in one holding 100k postings' texts)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class SegmentReaders:
    """Readers of the index's small segments, kept between commits (lock held): a segment's
    terms and postings never change once written, so a reader opened for one commit answers
    the next ones' id lookups. Readers of segments no longer in a part's table of contents
    (merged away, another generation) are closed when that part is next read. Only segments
    of at most KEPT_SEGMENT_DOCS documents are kept: a big one is opened for the call and
    closed after, so a process that stops writing never holds a replaced generation's large
    files on disk (at most its small segments', a few megabytes)."""

    def __init__(self) -> None:
        self._open: dict[str, dict[str, Any]] = {}  # part folder -> segment id -> reader

    @contextlib.contextmanager
    def of(
        self, ix: Any, folder: Path, segments: list[Any]
    ) -> Iterator[list[tuple[Any, Any, int]]]:
        """(reader, segment as the table of contents has it now, first document number) for
        each of the `segments` of the part in `folder` (its table of contents now), in order."""
        from whoosh.reading import SegmentReader

        key = str(folder)
        for other in [k for k in self._open if Path(k).parent != folder.parent]:
            self._close(self._open.pop(other).values())  # a previous generation's parts
        held = self._open.pop(key, {})
        kept: dict[str, Any] = {}
        passing: list[Any] = []
        out = []
        offset = 0
        for segment in segments:
            ident = segment.segment_id()
            reader = held.pop(ident, None)
            if reader is None:
                reader = SegmentReader(ix.storage, ix.schema, segment)
            if segment.doc_count_all() <= KEPT_SEGMENT_DOCS:
                kept[ident] = reader
            else:
                passing.append(reader)
            out.append((reader, segment, offset))
            offset += segment.doc_count_all()
        self._close(held.values())
        self._open[key] = kept
        try:
            yield out
        finally:
            self._close(passing)

    @staticmethod
    def _close(readers: Iterable[Any]) -> None:
        for reader in readers:
            with contextlib.suppress(Exception):
                reader.close()


def _holding(segments: list[tuple[Any, Any, int]], ids: Iterable[str]) -> list[int]:
    """The live document numbers of these posting ids (a term lookup per segment and id; a
    matcher only where the id is). Deletions are the current table of contents' (a kept
    reader's own may be older)."""
    keys = [ident.encode("utf-8") for ident in ids]
    found: list[int] = []
    for leaf, segment, offset in segments:
        deleted = segment.has_deletions()
        for key in keys:
            if ("id", key) in leaf:
                found.extend(
                    offset + docnum
                    for docnum in leaf.postings("id", key).all_ids()
                    if not (deleted and segment.is_deleted(docnum))
                )
    return found


def watermark_of(meta: dict[str, Any]) -> int:
    """The watermark recorded in a generation's metadata (0 when none: apply everything)."""
    try:
        return int(meta.get(WATERMARK) or 0)
    except (TypeError, ValueError):
        return 0


def _create_parts(generation: Path) -> None:
    schema = make_schema()
    for part in PARTS:
        (generation / part).mkdir(parents=True, exist_ok=True)
        whoosh_index.create_in(str(generation / part), schema)
