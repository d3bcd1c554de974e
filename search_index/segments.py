"""Per-segment arrays read once from Whoosh: postings, facet bitsets, dates and field lengths.

A Whoosh segment never changes once written (deletions are a separate set), so everything here
is cached by segment id and survives index writes that leave the segment in place.
"""

from __future__ import annotations

import bisect
import io
import pickle
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.util.numeric import byte_to_length

from search_index import facetcache
from search_index.codec import PACKED
from search_index.decoded import decoded_of
from search_index.schema import FACETS, CompactPositions

LENGTH_TABLE = np.array([byte_to_length(i) or 0 for i in range(256)], dtype=np.float32)
EMPTY_IDS = np.zeros(0, dtype=np.int32)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)
_BLOCK_SIZE = struct.Struct("!i")  # a W3 block's length (negative: the term's last block)


def bits_from_ids(ids: np.ndarray, size: int) -> int:
    """A Python int with bit i set for each doc number i in ids."""
    if len(ids) == 0:
        return 0
    flags = np.zeros(size, dtype=bool)
    flags[ids] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def ids_from_bits(bits: int, size: int) -> np.ndarray:
    """Doc numbers of the set bits of a bitset, ascending."""
    if not bits:
        return EMPTY_IDS
    # nonzero() of bools is several times faster than of bytes
    return flags_from_bits(bits, size).nonzero()[0].astype(np.int32)


def flags_from_bits(bits: int, size: int) -> np.ndarray:
    """A bool per doc number: whether its bit is set."""
    nbytes = (size + 7) // 8
    raw = np.frombuffer(bits.to_bytes(nbytes, "little"), dtype=np.uint8)
    return np.unpackbits(raw, bitorder="little")[:size].view(bool)


def _raw_matcher(reader: Any, field: str, text: str) -> Any:
    matcher = reader.postings(field, text)
    return (
        getattr(matcher, "child", matcher)
        if type(matcher).__name__ == "FilterMatcher"
        else (matcher)
    )


def read_postings(reader: Any, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
    """(doc ids, weights) of a term in one segment, deleted documents included."""
    if not reader.doc_frequency(field, text):
        return EMPTY_IDS, EMPTY_WEIGHTS
    found = _read_blocks(reader, field, text)
    if found is not None:
        return found
    matcher = _raw_matcher(reader, field, text)
    ids: list[int] = []
    weights: list[float] = []
    if hasattr(matcher, "_read_ids") and hasattr(matcher, "_next_block"):
        # Whole blocks at a time: the public id()/next() API costs a call per posting.
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
    return np.asarray(ids, dtype=np.int32), np.asarray(weights, dtype=np.float32)


def _read_blocks(reader: Any, field: str, text: str) -> tuple[np.ndarray, np.ndarray] | None:
    """What read_postings reads, straight from the term's W3 blocks: each block's header and
    data unpickled, the ids' deltas summed by numpy for the whole term (Whoosh's matcher
    decodes them a posting at a time). None where the postings are not plain W3 blocks."""
    terms = getattr(reader, "_terms", None)
    if terms is None or not hasattr(terms, "term_info") or not hasattr(terms, "_postfile"):
        return None
    try:
        info = terms.term_info(field, reader._text_to_bytes(field, text))
    except Exception:  # noqa: BLE001 - any surprise: Whoosh's own matcher reads it
        return None
    if info.is_inlined() or not hasattr(info, "extent"):
        return None
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes keeps struct.unpack's tuple
        length = length[0]
    decoded = decoded_of(reader)
    ready = decoded.get(offset) if decoded is not None else None
    if ready is not None:
        return _as_filtered(reader, ready[0], ready[1], decoded.blocklimit)  # type: ignore[union-attr]
    raw = terms._postfile.get(offset, length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        return None
    stream = io.BytesIO(raw)
    deltas: list[int] = []
    weights: list[float] = []
    starts: list[int] = []
    last_ids: list[int] = []
    position = 4
    while True:
        size = _BLOCK_SIZE.unpack_from(raw, position)[0]
        final = size < 0
        end = position + 4 + abs(size)
        stream.seek(position + 4)
        count, last_id, _, compression, _, _ = pickle.load(stream)  # noqa: S301 - the index's own
        data = raw[stream.tell() : end]
        if compression:
            data = zlib.decompress(data)
        ids, block_weights, _ = pickle.loads(data)  # noqa: S301 - the index's own block
        if len(ids) != count:
            return None
        starts.append(len(deltas))
        last_ids.append(last_id)
        deltas.extend(ids)
        if block_weights is None:
            weights.extend([1.0] * count)
        elif isinstance(block_weights, float):
            weights.extend([block_weights] * count)
        else:
            weights.extend(block_weights)
        if final or end >= len(raw):
            break
        position = end
    out = np.asarray(deltas, dtype=np.int64)
    if len(starts) > 1:  # each block's first id is absolute: make it a delta from the last
        out[starts[1:]] -= np.asarray(last_ids[:-1], dtype=np.int64)
    ids = np.cumsum(out).astype(np.int32)
    return _as_filtered(reader, ids, np.asarray(weights, dtype=np.float32), starts)


def _as_filtered(
    reader: Any, ids: np.ndarray, weights: np.ndarray, blocks: list[int] | int
) -> tuple[np.ndarray, np.ndarray]:
    """A term's postings as the matcher read them: Whoosh's deletion filter first skips the
    term's leading deleted postings, and the block it stops in is read whole (blocks: where
    each block starts, or the block size)."""
    deleted = reader.deleted_docs_set if reader.has_deletions() else None
    if not deleted:
        return ids, weights
    skip = 0
    while skip < len(ids) and int(ids[skip]) in deleted:
        skip += 1
    if skip == len(ids):
        return EMPTY_IDS, EMPTY_WEIGHTS
    if not skip:
        return ids, weights
    if isinstance(blocks, int):
        cut = (skip // blocks) * blocks
    else:
        cut = blocks[bisect.bisect_right(blocks, skip) - 1]
    return ids[cut:], weights[cut:]


def read_positions(reader: Any, field: str, text: str, wanted: np.ndarray) -> dict[int, list[int]]:
    """Word positions of a term in some documents (ascending doc ids) of one segment."""
    out: dict[int, list[int]] = {}
    if not len(wanted) or not reader.doc_frequency(field, text):
        return out
    matcher = _raw_matcher(reader, field, text)
    decode = matcher.format.decode_positions
    if not (hasattr(matcher, "_read_ids") and hasattr(matcher, "_maxid")):
        wanted_set = {int(d) for d in wanted}
        while matcher.is_active():
            if matcher.id() in wanted_set:
                out[matcher.id()] = list(matcher.value_as("positions"))
            matcher.next()
        return out
    for ids, hit in _wanted_blocks(matcher, wanted):
        matcher._read_values()
        values = matcher._values
        for i in hit:
            out[int(ids[i])] = decode(values[i])
    return out


def _wanted_blocks(matcher: Any, wanted: np.ndarray) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Whole posting blocks at a time, those holding a wanted document (ascending): each
    block's doc ids and where the wanted ones are among them, while the matcher stands on that
    block (its values still to read). Blocks that end before the next wanted one are skipped
    unread."""
    low = 0
    while matcher.is_active() and low < len(wanted):
        if matcher._maxid < wanted[low]:
            matcher._next_block()
            continue
        matcher._read_ids()
        ids = np.asarray(matcher._ids, dtype=np.int64)
        at = np.searchsorted(wanted, ids).clip(max=len(wanted) - 1)  # both ascend
        hit = np.flatnonzero(wanted[at] == ids)
        if len(hit):
            yield ids, hit
        low = int(np.searchsorted(wanted, ids[-1], side="right"))
        matcher._next_block()


EMPTY_PAIRS = np.zeros(0, dtype=np.int64)


def read_position_pairs(
    reader: Any, field: str, text: str, wanted: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """What read_positions finds, flattened: (doc ids, positions) as int64 arrays, one entry
    per occurrence (ascending doc ids, then positions), the positions decoded in bulk."""
    if not len(wanted) or not reader.doc_frequency(field, text):
        return EMPTY_PAIRS, EMPTY_PAIRS
    matcher = _raw_matcher(reader, field, text)
    if not (
        isinstance(matcher.format, CompactPositions)
        and hasattr(matcher, "_read_ids")
        and hasattr(matcher, "_maxid")
    ):
        found = read_positions(reader, field, text, wanted)
        owners = [doc for doc, positions in found.items() for _ in positions]
        flat = [p for positions in found.values() for p in positions]
        return np.asarray(owners, dtype=np.int64), np.asarray(flat, dtype=np.int64)
    docs: list[np.ndarray] = []
    sizes: list[np.ndarray] = []
    chunks: list[np.ndarray] = []
    for ids, hit in _wanted_blocks(matcher, wanted):
        docs.append(ids[hit])
        size, chunk = _block_values(matcher, hit)
        sizes.append(size)
        chunks.append(chunk)
    if not docs:
        return EMPTY_PAIRS, EMPTY_PAIRS
    return _decode_compact(
        matcher.format, np.concatenate(docs), np.concatenate(sizes), np.concatenate(chunks)
    )


def _block_values(matcher: Any, hit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The sizes of some postings' values in the current block, and their bytes end to end
    (cut from the block's packed string without a bytes object per posting)."""
    if matcher._data is None:
        matcher._read_data()
    packed = matcher._data[2]
    if isinstance(packed, tuple) and len(packed) == 3 and packed[0] == PACKED:
        lengths = np.frombuffer(packed[1], dtype=np.uint32).astype(np.int64)
        blob = np.frombuffer(packed[2], dtype=np.uint8)
        size = lengths[hit]
        starts = (np.cumsum(lengths) - lengths)[hit]
        before = np.cumsum(size) - size
        picked = np.repeat(starts - before, size) + np.arange(int(size.sum()), dtype=np.int64)
        return size, blob[picked]
    matcher._read_values()
    values = [matcher._values[i] for i in hit.tolist()]
    size = np.fromiter(map(len, values), np.int64, len(values))
    return size, np.frombuffer(b"".join(values), dtype=np.uint8)


def _decode_compact(
    fmt: CompactPositions, docs: np.ndarray, sizes: np.ndarray, blob: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """CompactPositions values (their sizes, their bytes end to end) of these documents as
    (doc ids, positions) arrays: all the 16-bit deltas summed in one go (values of 32-bit
    deltas, rare, one by one)."""
    code_at = (np.cumsum(sizes) - sizes)[sizes > 0]  # each value's first byte: its type code
    if not (blob[code_at] == ord("H")).all():
        ends = np.cumsum(sizes)
        raw = blob.tobytes()
        values = [raw[int(e - n) : int(e)] for n, e in zip(sizes, ends, strict=True)]
        decoded = [fmt.decode_positions(v) for v in values]
        counts = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
        flat = np.fromiter((p for one in decoded for p in one), dtype=np.int64)
        return np.repeat(docs, counts), flat
    counts = (sizes - 1).clip(min=0) // 2
    deltas = np.delete(blob, code_at).view(np.uint16)
    totals = np.cumsum(deltas, dtype=np.int64)
    before = np.concatenate(([0], totals))[np.cumsum(counts) - counts]  # sum before each value
    positions = totals - np.repeat(before, counts)
    return np.repeat(docs, counts), positions


def _column(reader: Any, name: str, column: Any, dtype: str, size: int) -> np.ndarray:
    """A whole numeric column of a segment reader as an array (see perdoc_column)."""
    return perdoc_column(getattr(reader, "_perdoc", None), name, column, dtype, size)


def perdoc_column(perdoc: Any, name: str, column: Any, dtype: str, size: int) -> np.ndarray:
    """A whole numeric column of a per-document reader as an array, zeros when it has none
    (block read, falling back to per-document)."""
    out = np.zeros(size, dtype=dtype)
    if perdoc is None or not perdoc.has_column(name):
        return out
    creader = perdoc.column_reader(name, column)
    try:
        count = min(creader._count, size)
        raw = creader._dbfile.get(creader._basepos, count * creader._fixedlen)
        values = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder(">"))
        out[:count] = values[:count]
        if creader._default:
            out[count:] = creader._default
    except AttributeError:
        out[:] = [creader[i] for i in range(size)]
    return out


class SegmentData:
    """Cached arrays of one Whoosh segment; `facets_file` (search_index.facetcache) keeps its
    facet bitsets between starts."""

    def __init__(self, reader: Any, facets_file: Path | None = None) -> None:
        self.reader = reader
        self.size = reader.doc_count_all()
        self.lock = threading.Lock()
        self.facets = self._kept_facets(facets_file) if facets_file else self._read_facets()
        self.posted = self._date_column("posted")
        self.closes = self._date_column("closes")
        self.salary_usd = self._date_column("salary_usd")
        self._lengths: dict[str, np.ndarray] = {}
        self._spell: dict[str, int] | None = None

    def _kept_facets(self, path: Path) -> dict[str, dict[str, int]]:
        fields = [field for _, field in FACETS.values()]
        found = facetcache.load(path, fields, self.size)
        if found is None:
            found = self._read_facets()
            facetcache.store(path, fields, self.size, found)
        return found

    def _read_facets(self) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {}
        for _, field in FACETS.values():
            values: dict[str, int] = {}
            for raw in self.reader.lexicon(field):
                value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                ids, _ = read_postings(self.reader, field, value)
                values[value] = bits_from_ids(ids, self.size)
            facets[field] = values
        return facets

    def _date_column(self, name: str) -> np.ndarray:
        from whoosh import columns

        return _column(self.reader, name, columns.NumericColumn("i"), "i4", self.size)

    def lengths(self, field: str) -> np.ndarray:
        """Approximate token count of a text field for every document."""
        found = self._lengths.get(field)
        if found is None:
            from whoosh.codec.whoosh3 import LENGTHS_COLUMN

            codes = _column(self.reader, f"_{field}_len", LENGTHS_COLUMN, "u1", self.size)
            found = self._lengths[field] = LENGTH_TABLE[codes]
        return found

    def spelling(self) -> dict[str, int]:
        """Unstemmed words of titles, institutions, places and summaries, with doc counts."""
        if self._spell is None:
            self._spell = {
                (w.decode("utf-8") if isinstance(w, bytes) else w): freq
                for w, freq in self._iter_spell()
            }
        return self._spell

    def _iter_spell(self) -> Any:
        for raw in self.reader.lexicon("spell"):
            yield raw, self.reader.doc_frequency("spell", raw)


def alive_bits(reader: Any, size: int) -> int:
    """Bitset of a segment's documents that are not deleted (deletions as of this reader)."""
    everything = (1 << size) - 1
    if not reader.has_deletions():
        return everything
    found = getattr(reader, "deleted_docs_set", None)
    if found is None:
        found = [d for d in range(size) if reader.is_deleted(d)]
    deleted = np.fromiter(found, dtype=np.int32)
    return everything & ~bits_from_ids(deleted, size)


class PostingCache:
    """A byte-bounded LRU of (segment, field, term) -> (ids, weights, bitset)."""

    def __init__(self, max_bytes: int = 96 * 1024 * 1024, max_phrases: int = 4096) -> None:
        self.max_bytes = max_bytes
        self.max_phrases = max_phrases
        self.phrases: OrderedDict[tuple[Any, ...], int] = OrderedDict()
        self.bytes = 0
        self.items: OrderedDict[tuple[Any, ...], tuple[tuple[np.ndarray, np.ndarray, int], int]]
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(
        self, segment: SegmentData, key: Any, field: str, text: str
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """Postings of a term in a segment, read through the cache."""
        full = (key, field, text)
        with self.lock:
            found = self.items.get(full)
            if found is not None:
                self.items.move_to_end(full)
                return found[0]
        with segment.lock:
            ids, weights = read_postings(segment.reader, field, text)
        entry = (ids, weights, bits_from_ids(ids, segment.size))
        size = ids.nbytes + weights.nbytes + (segment.size // 8 if len(ids) else 0) + 200
        with self.lock:
            if full not in self.items:
                self.items[full] = (entry, size)
                self.bytes += size
            while self.bytes > self.max_bytes and len(self.items) > 1:
                _, (_, old_size) = self.items.popitem(last=False)
                self.bytes -= old_size
        return entry

    def phrase(self, key: tuple[Any, ...]) -> int | None:
        """A remembered phrase's bitset within one segment, if any."""
        with self.lock:
            found = self.phrases.get(key)
            if found is not None:
                self.phrases.move_to_end(key)
            return found

    def remember_phrase(self, key: tuple[Any, ...], bits: int) -> None:
        """Keep a phrase's bitset within one segment (segments never change)."""
        with self.lock:
            self.phrases[key] = bits
            while len(self.phrases) > self.max_phrases:
                self.phrases.popitem(last=False)

    def clear(self) -> None:
        """Forget everything (the segments were replaced by a rebuild)."""
        with self.lock:
            self.items.clear()
            self.phrases.clear()
            self.bytes = 0
