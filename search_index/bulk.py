"""Whoosh segments written from memory: no external sort, posting blocks written whole.

Whoosh's SegmentWriter puts every posting in a sorting pool (a tuple each, spilled to sorted
runs on disk past `limitmb` and merged back in pure Python) and then writes them one
`add_posting` call at a time. Here a segment's postings are kept by field and term as arrays
while documents are added, and written a block (128 postings) at a time when the segment is
finished: the same files the W3/packed codec writes, read by the same readers.

`FastSegmentWriter` is the writer (incremental commits use it too); `SmallSegmentsOnly` is
their merge policy (a small commit never rewrites a big segment); `build_part_segments` builds
whole indexes in parallel worker processes, each writing segments of a contiguous range of the
documents, so the finished index has the documents in input order.
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import shutil
import traceback
from array import array
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from search_index.codec import PackedCodec

#: Bytes of postings a segment keeps in memory before it is written out and another begun.
SEGMENT_BYTES = 768 * 1024 * 1024
#: Documents a worker receives at a time.
CHUNK = 200
#: Segments of at most this many documents are "small"; see SmallSegmentsOnly.
SMALL = 2_000
#: Small segments of one size tier that trigger a merge of that tier.
TIER_COUNT = 10
_EMPTY = b""


class _Term:
    """The postings of one term in one segment, in document order."""

    __slots__ = ("ids", "sorted", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []
        self.sorted = True


class MemoryPool:
    """A segment's postings by field and term (Whoosh's pool interface, for merges)."""

    def __init__(self) -> None:
        self.fields: dict[str, dict[bytes, _Term]] = {}
        self.bytes = 0
        self.fieldnames: set[str] = set()

    def add(self, item: tuple[str, bytes, int, float, bytes | None]) -> None:
        """One posting (field, term, docnum, weight, value), as Whoosh's merges add them."""
        fieldname, text, docnum, weight, value = item
        table = self.fields.get(fieldname)
        if table is None:
            table = self.fields[fieldname] = {}
            self.fieldnames.add(fieldname)
        entry = table.get(text)
        if entry is None:
            entry = table[text] = _Term()
            self.bytes += 120 + len(text)
        elif entry.ids and docnum < entry.ids[-1]:
            entry.sorted = False
        entry.ids.append(docnum)
        entry.weights.append(weight)
        entry.values.append(value or _EMPTY)
        self.bytes += 16 + (len(value) + 33 if value else 0)

    def iter_postings(self) -> Iterable[tuple[str, bytes, int, float, bytes]]:
        """Every posting in (field, term, docnum) order."""
        for fieldname in sorted(self.fields):
            table = self.fields[fieldname]
            for text in sorted(table):
                entry = table[text]
                for docnum, weight, value in sorted(
                    zip(entry.ids, entry.weights, entry.values, strict=True)
                ):
                    yield fieldname, text, docnum, weight, value

    def cleanup(self) -> None:
        """Forget everything."""
        self.fields.clear()
        self.bytes = 0


def _plain(schema: Any) -> bool:
    """Whether every field can take the fast path (no term vectors, no separate spelling)."""
    return all(not field.vector and not field.separate_spelling() for _, field in schema.items())


class FastSegmentWriter(SegmentWriter):
    """A SegmentWriter whose new segment's postings stay in memory until it is written."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        kwargs.setdefault("codec", PackedCodec())
        super().__init__(ix, **kwargs)
        self.pool = MemoryPool()
        self._fast = _plain(self.schema)

    def add_document(self, **fields: Any) -> None:
        """Index one document (Whoosh's add_document with postings straight into the pool)."""
        if not self._fast or "_boost" in fields or any(k.startswith("_") for k in fields):
            super().add_document(**fields)
            return
        self._check_state()
        schema = self.schema
        self._check_fields(schema, fields)
        perdoc = self.perdocwriter
        pool = self.pool
        docnum = self.docnum
        perdoc.start_doc(docnum)
        added = 0
        try:
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    table = pool.fields.get(fieldname)
                    if table is None:
                        table = pool.fields[fieldname] = {}
                        pool.fieldnames.add(fieldname)
                    scorable = field.scorable
                    for text, freq, weight, vbytes in field.index(value):
                        entry = table.get(text)
                        if entry is None:
                            entry = table[text] = _Term()
                            added += 120 + len(text)
                        entry.ids.append(docnum)
                        entry.weights.append(weight)
                        entry.values.append(vbytes)
                        added += 16 + (len(vbytes) + 33 if vbytes else 0)
                        if scorable:
                            length += freq
                perdoc.add_field(fieldname, field, value if field.stored else None, length)
                column = field.column_type
                if column:
                    perdoc.add_column_value(fieldname, column, field.to_column_value(value))
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        pool.bytes += added
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        """Write the pool's postings, a block at a time (what Whoosh writes a posting at a time)."""
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        writer = self.fieldwriter
        size = self.docnum
        try:
            for fieldname in sorted(self.pool.fields):
                table = self.pool.fields[fieldname]
                fieldobj = self.schema[fieldname]
                doc_lengths = _doc_lengths(lengths, fieldname, size)
                writer.start_field(fieldname, fieldobj)
                for text in sorted(table):
                    writer.start_term(text)
                    _write_term(writer._postwriter, table[text], doc_lengths)
                    writer.finish_term()
                writer.finish_field()
            writer.close()
        finally:
            if lengths is not None:
                lengths.close()


def _doc_lengths(lengths: Any, fieldname: str, size: int) -> list[int] | None:
    """Each document's stored (quantized) length of a field, 0 when none; None: no lengths."""
    if lengths is None:
        return None
    reader = lengths.doc_field_length_reader(fieldname)
    found = [reader(docnum) or 0 for docnum in range(size)]
    return found if any(found) else None


def _write_term(postwriter: Any, entry: _Term, doc_lengths: list[int] | None) -> None:
    """One term's postings into W3's postings writer, a whole block per call."""
    ids, weights, values = entry.ids, entry.weights, entry.values
    if not entry.sorted:
        order = sorted(range(len(ids)), key=ids.__getitem__)
        ids = array("I", (ids[i] for i in order))
        weights = array("f", (weights[i] for i in order))
        values = [values[i] for i in order]
    limit = postwriter._blocklimit
    count = len(ids)
    for start in range(0, count, limit):
        if start:
            postwriter._write_block()  # a full block, as add_posting writes it
        end = min(start + limit, count)
        block_ids = ids[start:end]
        block_weights = weights[start:end]
        postwriter._ids = block_ids
        postwriter._weights = block_weights
        postwriter._values = [v for v in values[start:end] if v]
        postwriter._maxweight = max(0.0, max(block_weights))
        if doc_lengths is not None:
            found = [n for n in map(doc_lengths.__getitem__, block_ids) if n]
            postwriter._minlength = min(found) if found else None
            postwriter._maxlength = max(found) if found else 0


class SmallSegmentsOnly:
    """Merge policy of incremental commits: merge small segments of one size tier once there
    are TIER_COUNT of them (100 documents, 1,000...), never a segment over SMALL documents."""

    def __call__(self, writer: Any, segments: Sequence[Any]) -> list[Any]:
        """The segments kept as they are; the merged ones are added to the writer."""
        from whoosh.reading import SegmentReader

        tiers: dict[int, list[Any]] = {}
        for segment in segments:
            count = segment.doc_count_all()
            if count <= SMALL:
                tier = len(str(max(count, 1)))  # 1-9, 10-99, 100-999, 1000-SMALL
                tiers.setdefault(tier, []).append(segment)
        doomed: list[Any] = []
        for tier in sorted(tiers):
            if len(tiers[tier]) >= TIER_COUNT:
                doomed.extend(tiers[tier])
        if not doomed:
            return list(segments)
        gone = {id(s) for s in doomed}
        for segment in doomed:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            try:
                writer.add_reader(reader)
            finally:
                reader.close()
        return [s for s in segments if id(s) not in gone]


# -- whole builds -----------------------------------------------------------------------------

Job = tuple[str, dict[str, Any]]  # (part, Whoosh fields)


class _PartBuilder:
    """Segments of one index directory written by one process, in document order."""

    def __init__(self, path: Path, segment_bytes: int) -> None:
        self.ix = whoosh_index.open_dir(str(path))
        self.segment_bytes = segment_bytes
        self.writer: FastSegmentWriter | None = None
        self.done: list[Any] = []

    def add(self, fields: dict[str, Any]) -> None:
        if self.writer is None:
            self.writer = FastSegmentWriter(self.ix, _lk=False)
        self.writer.add_document(**fields)
        if self.writer.pool.bytes >= self.segment_bytes:
            self.close()

    def close(self) -> list[Any]:
        writer, self.writer = self.writer, None
        if writer is not None and writer.doc_count():
            self.done.append(writer._finalize_segment())
        if writer is not None:
            # Its temporary folder is shared with the other workers' writers: _commit removes it.
            writer.is_closed = True
        return self.done


def _build_range(
    root: Path, parts: Sequence[str], jobs: Iterable[Sequence[Job]], segment_bytes: int
) -> dict[str, list[Any]]:
    builders = {part: _PartBuilder(root / part, segment_bytes) for part in parts}
    for chunk in jobs:
        for part, fields in chunk:
            builders[part].add(fields)
    return {part: builder.close() for part, builder in builders.items()}


def _worker(
    number: int, root: Path, parts: Sequence[str], inbox: Any, outbox: Any, segment_bytes: int
) -> None:  # pragma: no cover - runs in a child process (covered through build_segments)
    def chunks() -> Iterable[Sequence[Job]]:
        while True:
            chunk = inbox.get()
            if chunk is None:
                return
            yield chunk

    try:
        outbox.put((number, "ok", _build_range(root, parts, chunks(), segment_bytes)))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises
        outbox.put((number, "error", traceback.format_exc()))


def build_segments(
    root: Path,
    parts: Sequence[str],
    jobs: Iterable[Job],
    total: int | None,
    procs: int,
    progress: Callable[[int], None] | None = None,
    segment_bytes: int = SEGMENT_BYTES,
) -> dict[str, list[Any]]:
    """Index (part, fields) jobs into fresh indexes root/<part>, then commit each with its
    segments in document order; the segments by part. With procs > 1 and a known total,
    worker k indexes the k-th contiguous share of the documents."""
    if procs <= 1 or not total or total < procs * CHUNK:
        segments = _build_range(root, parts, _chunked(jobs, progress), segment_bytes)
        _commit(root, segments)
        return segments
    context = multiprocessing.get_context("fork")
    outbox = context.Queue()
    inboxes = [context.Queue() for _ in range(procs)]
    workers = [
        context.Process(
            target=_worker,
            args=(k, root, parts, inboxes[k], outbox, segment_bytes),
            daemon=True,
        )
        for k in range(procs)
    ]
    for worker in workers:
        worker.start()
    results: dict[int, dict[str, list[Any]]] = {}
    try:
        share = -(-total // procs)
        current = 0
        sent = 0
        for chunk in _chunked(jobs, progress):
            while current < procs - 1 and sent >= share * (current + 1):
                inboxes[current].put(None)
                current += 1
            inboxes[current].put(chunk)
            sent += len(chunk)
        for k in range(current, procs):
            inboxes[k].put(None)
        for k in range(procs):
            inboxes[k].close()
        pending = set(range(procs))
        while pending:
            try:
                number, status, value = outbox.get(timeout=1.0)
            except queue_module.Empty:
                dead = [k for k in pending if not workers[k].is_alive()]
                if dead and outbox.empty():
                    raise RuntimeError(f"index build worker {dead[0]} died") from None
                continue
            if status != "ok":
                raise RuntimeError(f"index build worker failed:\n{value}")
            results[number] = value
            pending.discard(number)
    finally:
        for worker in workers:
            worker.join(timeout=5)
            if worker.is_alive():
                worker.terminate()
    segments = {part: [s for k in sorted(results) for s in results[k][part]] for part in parts}
    _commit(root, segments)
    return segments


def _chunked(jobs: Iterable[Job], progress: Callable[[int], None] | None) -> Iterable[list[Job]]:
    chunk: list[Job] = []
    count = 0
    for job in jobs:
        chunk.append(job)
        if len(chunk) >= CHUNK:
            count += len(chunk)
            yield chunk
            chunk = []
            if progress is not None:
                progress(count)
    if chunk:
        yield chunk


def _commit(root: Path, segments: dict[str, list[Any]]) -> None:
    """Write each part's table of contents with its segments (the build's one commit)."""
    from whoosh.index import TOC

    for part, found in segments.items():
        for temporary in (root / part).glob("*.tmp"):
            shutil.rmtree(temporary, ignore_errors=True)
        ix = whoosh_index.open_dir(str(root / part))
        info = ix._read_toc()
        TOC(info.schema, list(found), info.generation + 1).write(ix.storage, ix.indexname)
