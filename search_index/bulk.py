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

import numpy as np
from whoosh import columns as whoosh_columns
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.writing import SegmentWriter

from search_index.codec import PackedCodec
from search_index.decoded import DecodedWriter
from search_index.merging import Unsupported, combine, segment_postings
from search_index.overlay import MemoryOverlay
from search_index.segments import LENGTH_TABLE, perdoc_column
from search_index.streams import (
    EXISTENCE,
    PAIRS,
    Postings,
    Stream,
    Vocabulary,
    stream_kind,
    stream_postings,
    write_postings,
)

#: Bytes of postings a segment keeps in memory before it is written out and another begun.
SEGMENT_BYTES = 768 * 1024 * 1024
#: Documents a worker receives at a time.
CHUNK = 200
#: Segments of at most this many documents are "small"; see SmallSegmentsOnly.
SMALL = 2_000
#: Small segments of one size tier that trigger a merge of that tier.
TIER_COUNT = 10
#: What a token costs while its segment is filled and written (the numpy sort's arrays).
TOKEN_BYTES = 24
#: Incremental segments of fewer documents than this are written without zlib (and their
#: working files kept in memory until the segment is assembled, overlay.py): their blocks
#: are small (a median of ~135 bytes), so deflate's set-up (~15 µs a call) is most of what
#: zlib costs an update, and saves about a third of such a segment's size. A merge that
#: writes 1,000 documents or more compresses them again; at most nine segments of each size
#: tier below it wait for their merge (about 900 documents with batches of 100, under 10,000
#: at worst).
PLAIN_BELOW = 1_000
_EMPTY = b""


class _Term:
    """The postings of one term in one segment, as Whoosh adds them."""

    __slots__ = ("ids", "values", "weights")

    def __init__(self) -> None:
        self.ids = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []


class MemoryPool:
    """A segment's postings: streams of term numbers by field (documents added here), and by
    field and term as Whoosh's tuples (Whoosh's pool interface: merged segments, other field
    types)."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.fields: dict[str, dict[bytes, _Term]] = {}
        self.streams: dict[str, Stream] = {}
        self.merged: dict[str, list[Postings]] = {}  # segments merged in
        self.vocabulary = vocabulary if vocabulary is not None else Vocabulary()
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
        entry.ids.append(docnum)
        entry.weights.append(weight)
        entry.values.append(value or _EMPTY)
        self.bytes += 16 + (len(value) + 33 if value else 0)

    def stream(self, fieldname: str) -> Stream:
        """The stream of a field (created when first used)."""
        found = self.streams.get(fieldname)
        if found is None:
            found = self.streams[fieldname] = Stream()
            self.fieldnames.add(fieldname)
        return found

    def cleanup(self) -> None:
        """Forget everything."""
        self.fields.clear()
        self.streams.clear()
        self.merged.clear()
        self.vocabulary = Vocabulary()
        self.bytes = 0


def _plain(schema: Any) -> bool:
    """Whether every field can take the fast path (no term vectors, no separate spelling)."""
    return all(not field.vector and not field.separate_spelling() for _, field in schema.items())


class FastSegmentWriter(SegmentWriter):
    """A SegmentWriter whose new segment's postings stay in memory until it is written."""

    def __init__(
        self,
        ix: Any,
        vocabulary: Vocabulary | None = None,
        plain_below: int = 0,
        **kwargs: Any,
    ) -> None:
        """`vocabulary`: term numbers to go on from (one the caller keeps between segments,
        so the numbers of a text's words are looked up, not worked out, segment after
        segment); a fresh one when None. Only term numbers present in the segment are
        written, so a vocabulary may be larger than any one segment's. A segment of fewer than
        `plain_below` documents is written without compressing its blocks (readers see each
        block's compression in its header); larger ones as the codec compresses them."""
        kwargs.setdefault("codec", PackedCodec())
        super().__init__(ix, **kwargs)
        if isinstance(self.storage, MemoryOverlay) and not self.compound:
            self.cancel()  # its files would never leave memory
            raise ValueError("a segment written in memory must be assembled into a .seg file")
        self.plain_below = plain_below
        self.pool = MemoryPool(vocabulary)
        self._fast = _plain(self.schema)
        self._kinds = {name: stream_kind(field) for name, field in self.schema.items()}
        # per field: (field, stream kind, indexed, stored, column type)
        self._plan = {
            name: (field, self._kinds[name], field.indexed, field.stored, field.column_type)
            for name, field in self.schema.items()
        }

    def add_document(self, **fields: Any) -> None:
        """Index one document: its text analysed once into term numbers (streams.py)."""
        if not self._fast or any(k.startswith("_") for k in fields):
            super().add_document(**fields)
            return
        self._check_state()
        schema = self.schema
        self._check_fields(schema, fields)
        perdoc = self.perdocwriter
        pool = self.pool
        vocabulary = pool.vocabulary
        plan = self._plan
        docnum = self.docnum
        analysed: dict[str, list[int]] = {}  # text -> its word numbers (titles and their pairs)
        perdoc.start_doc(docnum)
        added = 0
        try:
            for fieldname in sorted(fields):
                value = fields[fieldname]
                if value is None:
                    continue
                field, kind, indexed, stored, column = plan[fieldname]
                length = 0
                if indexed:
                    if kind == EXISTENCE and isinstance(value, str | list | tuple | set):
                        numbers = vocabulary.value_numbers(value)
                        pool.stream(fieldname).add(docnum, numbers, ())
                        added += TOKEN_BYTES * len(numbers) + 12
                    elif kind is not None and kind != EXISTENCE and isinstance(value, str):
                        words = analysed.get(value)
                        if words is None:
                            words = analysed[value] = vocabulary.word_numbers(value)
                        stream = pool.stream(fieldname)
                        if kind == PAIRS:
                            stream.add(docnum, vocabulary.pair_numbers(words), ())
                        else:
                            synonyms = vocabulary.synonym_numbers(words)
                            stream.add(docnum, words, synonyms)
                            length = len(words) - words.count(-1) + len(synonyms)
                        added += TOKEN_BYTES * len(words) + 12
                    else:
                        freqs = self._add_tuples(fieldname, field, value)
                        length = freqs if field.scorable else 0
                if stored or length:  # add_field does nothing else
                    perdoc.add_field(fieldname, field, value if stored else None, length)
                if column:
                    perdoc.add_column_value(fieldname, column, field.to_column_value(value))
        except ValueError:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        pool.bytes += added
        self._added = True
        self.docnum += 1

    def _add_tuples(self, fieldname: str, field: Any, value: Any) -> int:
        """A field of another type: Whoosh's postings into the pool; the sum of frequencies."""
        pool = self.pool
        pool.fields.setdefault(fieldname, {})
        pool.fieldnames.add(fieldname)
        total = 0
        for text, freq, weight, vbytes in field.index(value):
            pool.add((fieldname, text, self.docnum, weight, vbytes))
            total += freq
        return total

    def _flush_segment(self) -> None:
        """Write the pool's postings, a block at a time (what Whoosh writes a posting at a time)."""
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        writer = self.fieldwriter
        size = self.docnum
        pool = self.pool
        decoded = DecodedWriter(self.codec._blocklimit)
        compression = 0 if size < self.plain_below else None
        try:
            for fieldname in sorted(set(pool.fields) | set(pool.streams) | set(pool.merged)):
                fieldobj = self.schema[fieldname]
                doc_lengths = _doc_lengths(lengths, fieldname, size)
                postings = self._field_postings(fieldname, fieldobj)
                writer.start_field(fieldname, fieldobj)
                offsets = write_postings(writer, postings, doc_lengths, compression)
                decoded.add_field(offsets, postings.bounds, postings.ids, postings.weights)
                writer.finish_field()
            writer.close()
            decoded.write(self.storage, self.newsegment)
        finally:
            if lengths is not None:
                lengths.close()

    def _field_postings(self, fieldname: str, fieldobj: Any) -> Postings:
        """Every term's postings of one field in this segment: new documents' streams, merged
        segments, and Whoosh's tuples."""
        pool = self.pool
        fixed = fieldobj.format.fixed_value_size()
        sources: list[Postings] = []
        stream = pool.streams.get(fieldname)
        if stream is not None:
            kind = self._kinds[fieldname]
            assert kind is not None
            encode = getattr(fieldobj.format, "encode", None)
            sources.append(stream_postings(stream, kind, pool.vocabulary, encode))
        sources.extend(pool.merged.get(fieldname, ()))
        table = pool.fields.get(fieldname)
        if table:
            terms = {
                text: Postings.from_tuples(text, entry.ids, entry.weights, entry.values, fixed)
                for text, entry in table.items()
            }
            sources.append(Postings.joined(terms, fixed))
        return combine(sources, fixed)

    def add_reader(self, reader: Any) -> None:
        """Merge a segment in: its stored fields document by document (Whoosh), its postings a
        block at a time (merging.py; Whoosh's tuples for a segment that cannot be read so)."""
        self._check_state()
        size = reader.doc_count_all()
        docnums = np.full(size, -1, dtype=np.int64)
        if reader.has_deletions():
            live = [d for d in range(size) if not reader.is_deleted(d)]
        else:
            live = list(range(size))
        docnums[live] = self.docnum + np.arange(len(live), dtype=np.int64)
        try:
            found = segment_postings(reader, self.schema, docnums)
        except Unsupported:
            super().add_reader(reader)
            return
        fieldnames = set(self.schema.names()) | {
            name for name in reader.indexed_field_names() if name in self.schema
        }
        self.write_per_doc(fieldnames, reader)
        for fieldname, postings in found.items():
            self.pool.merged.setdefault(fieldname, []).append(postings)
            self.pool.fieldnames.add(fieldname)
            self.pool.bytes += postings.nbytes()
        self._added = True

    def write_per_doc(self, fieldnames: set[str], reader: Any) -> dict[int, int] | None:
        """Whoosh's write_per_doc with each field's length column resolved once (Whoosh looks
        it up, a stat of its file, for every document and field)."""
        schema = self.schema
        if fieldobj_vectors(schema, fieldnames):
            return super().write_per_doc(fieldnames, reader)
        docmap: dict[int, int] | None = {} if reader.has_deletions() else None
        perdoc = getattr(reader, "_perdoc", None)
        length_readers: dict[str, Any] = {}
        columns_ = {}
        for fieldname in fieldnames:
            fieldobj = schema[fieldname]
            if perdoc is not None and hasattr(perdoc, "doc_field_length_reader"):
                length_readers[fieldname] = perdoc.doc_field_length_reader(fieldname)
            coltype = fieldobj.column_type
            if coltype and reader.has_column(fieldname):
                creader = reader.column_reader(fieldname, coltype)
                if isinstance(creader, whoosh_columns.TranslatingColumnReader):
                    creader = creader.raw_column()
                columns_[fieldname] = creader
        pdw = self.perdocwriter
        for docnum, stored in reader.iter_docs():
            if docmap is not None:
                docmap[docnum] = self.docnum
            pdw.start_doc(self.docnum)
            for fieldname in fieldnames | {s for s in stored if s in schema}:
                fieldobj = schema[fieldname]
                get = length_readers.get(fieldname)
                length = get(docnum) if get else reader.doc_field_length(docnum, fieldname)
                pdw.add_field(fieldname, fieldobj, stored.get(fieldname), length)
                if fieldname in columns_:
                    pdw.add_column_value(
                        fieldname, fieldobj.column_type, columns_[fieldname][docnum]
                    )
            pdw.finish_doc()
            self.docnum += 1
        return docmap


def fieldobj_vectors(schema: Any, fieldnames: set[str]) -> bool:
    """Whether any of the fields keeps term vectors (then Whoosh's own write_per_doc)."""
    return any(schema[name].vector for name in fieldnames if name in schema)


def _doc_lengths(lengths: Any, fieldname: str, size: int) -> np.ndarray | None:
    """Each document's stored (quantized) length of a field, 0 when none; None: no lengths.
    The length column's bytes are read at once and looked up as Whoosh's reader does."""
    name = _lenfield(fieldname)
    if lengths is None or not lengths.has_column(name):  # no document has a length here
        return None
    codes = perdoc_column(lengths, name, LENGTHS_COLUMN, "u1", size)
    found = LENGTH_TABLE[codes].astype(np.int64)
    return found if found.any() else None


class SmallSegmentsOnly:
    """Merge policy of incremental commits: merge small segments of one size tier once there
    are TIER_COUNT of them (100 documents, 1,000...), never a segment over SMALL documents."""

    @staticmethod
    def merging(segments: Sequence[Any]) -> list[Any]:
        """The segments a commit on these would merge."""
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
        return doomed

    def __call__(self, writer: Any, segments: Sequence[Any]) -> list[Any]:
        """The segments kept as they are; the merged ones are added to the writer."""
        from whoosh.reading import SegmentReader

        doomed = self.merging(segments)
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

Job = tuple[str, Any]  # (part, a document `prepare` turns into Whoosh fields)
Prepare = Callable[[Any], dict[str, Any]]


def _as_fields(item: Any) -> dict[str, Any]:
    """The default `prepare`: the job already holds Whoosh fields."""
    fields: dict[str, Any] = item
    return fields


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
    root: Path,
    parts: Sequence[str],
    jobs: Iterable[Sequence[Job]],
    segment_bytes: int,
    prepare: Prepare,
) -> dict[str, list[Any]]:
    builders = {part: _PartBuilder(root / part, segment_bytes) for part in parts}
    for chunk in jobs:
        for part, item in chunk:
            builders[part].add(prepare(item))
    return {part: builder.close() for part, builder in builders.items()}


def _worker(
    number: int,
    root: Path,
    parts: Sequence[str],
    inbox: Any,
    outbox: Any,
    segment_bytes: int,
    prepare: Prepare,
) -> None:  # pragma: no cover - runs in a child process (covered through build_segments)
    def chunks() -> Iterable[Sequence[Job]]:
        while True:
            chunk = inbox.get()
            if chunk is None:
                return
            yield chunk

    try:
        found = _build_range(root, parts, chunks(), segment_bytes, prepare)
        outbox.put((number, "ok", found))
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
    prepare: Prepare = _as_fields,
) -> dict[str, list[Any]]:
    """Index (part, item) jobs into fresh indexes root/<part>, then commit each with its
    segments in document order; the segments by part. `prepare` turns an item into Whoosh
    fields where it is indexed (in the workers, so the process reading the documents only
    reads them). With procs > 1 and a known total, worker k indexes the k-th contiguous
    share of the documents."""
    if procs <= 1 or not total or total < procs * CHUNK:
        segments = _build_range(root, parts, _chunked(jobs, progress), segment_bytes, prepare)
        _commit(root, segments)
        return segments
    context = multiprocessing.get_context("fork")
    outbox = context.Queue()
    inboxes = [context.Queue() for _ in range(procs)]
    workers = [
        context.Process(
            target=_worker,
            args=(k, root, parts, inboxes[k], outbox, segment_bytes, prepare),
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
