"""Merging segments without a call per posting: a segment's postings read back a block at a
time, and several sources' postings of one field combined by one numpy sort.

Whoosh merges a segment into a new one by iterating its postings one `(field, term, doc,
weight, value)` tuple at a time; for the small segments incremental commits merge (see
bulk.SmallSegmentsOnly) that cost seconds a merge. Here each W3 block of the terms table is
unpickled whole (ids, weights, packed values), document numbers are mapped with an array
(deleted documents dropped), and the result is a `streams.Postings` per field, written by the
same block writer as new documents.
"""

from __future__ import annotations

import io
import pickle
import struct
import zlib
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo, W3TermsReader
from whoosh.system import unpack_ushort

from search_index.codec import PACKED
from search_index.streams import Postings

_LENGTH = struct.Struct("!i")


class Unsupported(Exception):
    """A segment this reader does not understand (Whoosh's own merge takes it)."""


def segment_postings(reader: Any, schema: Any, docnums: np.ndarray) -> dict[str, Postings]:
    """Every field's postings of a segment reader, documents renumbered by `docnums` (old ->
    new, -1 for a deleted document, whose postings are dropped)."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        raise Unsupported("not a W3 segment")
    postfile = terms._postfile
    postfile.seek(0)
    data = postfile.read()
    unmap = terms._fieldunmap
    fields: dict[str, _FieldReader] = {}
    for key, value in terms._tindex.items():
        fieldname = unmap[unpack_ushort(key[:2])[0]]
        if fieldname not in schema:
            continue
        found = fields.get(fieldname)
        if found is None:
            fixed = schema[fieldname].format.fixed_value_size()
            found = fields[fieldname] = _FieldReader(fixed)
        info = W3TermInfo.from_bytes(value)
        if info.is_inlined():
            raise Unsupported("inlined postings")
        offset, _ = info.extent()
        found.read_term(key[2:], data, offset)
    return {name: found.postings(docnums) for name, found in fields.items()}


class _FieldReader:
    """One field's postings of one segment, gathered block by block."""

    def __init__(self, fixed: int | None) -> None:
        self.fixed = fixed
        self.texts: list[bytes] = []
        self.sizes: list[int] = []
        self.block_sizes: list[int] = []
        self.deltas: list[int] = []
        self.weights: list[float] = []
        self.lengths = bytearray()
        self.blobs: list[bytes] = []

    def read_term(self, text: bytes, data: bytes, offset: int) -> None:
        if data[offset : offset + 4] != WHOOSH3_HEADER_MAGIC:
            raise Unsupported("bad postings header")
        stream = io.BytesIO(data)
        position = offset + 4
        total = 0
        while True:
            (length,) = _LENGTH.unpack_from(data, position)
            last = length < 0
            end = position + 4 + abs(length)
            stream.seek(position + 4)
            count, _, _, compression, _, _ = pickle.load(stream)  # noqa: S301 - our own index
            raw = data[stream.tell() : end]
            ids, weights, values = pickle.loads(zlib.decompress(raw) if compression else raw)  # noqa: S301
            if len(ids) != count:
                raise Unsupported("block size")
            self.deltas.extend(ids)
            if weights is None:
                self.weights.extend([1.0] * count)
            elif isinstance(weights, float | int):
                self.weights.extend([float(weights)] * count)
            else:
                self.weights.extend(weights)
            self._values(values, count)
            self.block_sizes.append(count)
            total += count
            position = end
            if last:
                break
        self.texts.append(text)
        self.sizes.append(total)

    def _values(self, values: Any, count: int) -> None:
        if self.fixed is None:
            if isinstance(values, tuple) and len(values) == 3 and values[0] == PACKED:
                if len(values[1]) != 4 * count:
                    raise Unsupported("empty values in a packed block")
                self.lengths += values[1]
                self.blobs.append(values[2])
                return
            if not isinstance(values, tuple) or len(values) != count:
                raise Unsupported("values")
            self.lengths += np.fromiter(map(len, values), np.uint32, count=count).tobytes()
            self.blobs.append(b"".join(values))
        elif self.fixed:
            if not isinstance(values, bytes) or len(values) != count * self.fixed:
                raise Unsupported("fixed-size values")
            self.blobs.append(values)

    def postings(self, docnums: np.ndarray) -> Postings:
        deltas = np.asarray(self.deltas, dtype=np.int64)
        block_sizes = np.asarray(self.block_sizes, dtype=np.int64)
        sums = np.cumsum(deltas)
        before = np.zeros(len(block_sizes), dtype=np.int64)  # the running sum before each block
        block_starts = np.cumsum(block_sizes) - block_sizes
        before[1:] = sums[block_starts[1:] - 1]
        ids = docnums[sums - np.repeat(before, block_sizes)]
        weights = np.asarray(self.weights, dtype=np.float32)
        blob = b"".join(self.blobs)
        lengths = offsets = None
        if self.fixed is None:
            lengths = np.frombuffer(bytes(self.lengths), dtype=np.uint32).astype(np.int64)
            offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
            np.cumsum(lengths, out=offsets[1:])
        sizes = np.asarray(self.sizes, dtype=np.int64)
        bounds = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=bounds[1:])
        found = Postings(self.texts, bounds, ids, weights, self.fixed, blob, lengths, offsets)
        keep = ids >= 0
        return found if keep.all() else select(found, keep)


def select(postings: Postings, keep: np.ndarray) -> Postings:
    """The postings where keep is true (terms left without any dropped)."""
    order = np.flatnonzero(keep)
    sizes = np.diff(postings.bounds)
    term_of = np.repeat(np.arange(len(sizes)), sizes)[order]
    kept = np.bincount(term_of, minlength=len(sizes))
    texts = [t for t, n in zip(postings.texts, kept.tolist(), strict=True) if n]
    bounds = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(kept[kept > 0], out=bounds[1:])
    return _reordered(postings, order, texts, bounds)


def combine(parts: list[Postings], fixed: int | None) -> Postings:
    """Several sources' postings of one field as one: terms in order, documents in order."""
    parts = [p for p in parts if len(p.texts)]
    if len(parts) == 1:
        return parts[0]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return Postings([], np.zeros(1, np.int64), empty, np.zeros(0, np.float32), fixed)
    texts = sorted(set().union(*(p.texts for p in parts)))
    rank = {text: n for n, text in enumerate(texts)}
    ranks = np.concatenate(
        [
            np.repeat(np.asarray([rank[t] for t in p.texts], np.int64), np.diff(p.bounds))
            for p in parts
        ]
    )
    ids = np.concatenate([p.ids for p in parts])
    order = np.lexsort((ids, ranks))
    sizes = np.bincount(ranks, minlength=len(texts))
    bounds = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(sizes, out=bounds[1:])
    joined = Postings(
        texts,
        bounds,
        ids,
        np.concatenate([p.weights for p in parts]),
        fixed,
        b"".join(p.blob for p in parts),
        np.concatenate([p.lengths for p in parts if p.lengths is not None])
        if fixed is None
        else None,
    )
    if fixed is None:
        assert joined.lengths is not None
        joined.offsets = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(joined.lengths, out=joined.offsets[1:])
    return _reordered(joined, order, texts, bounds)


def _reordered(postings: Postings, order: np.ndarray, texts: list[bytes], bounds: Any) -> Postings:
    """postings[order] (ids, weights and values) with new terms and bounds."""
    ids = postings.ids[order]
    weights = postings.weights[order]
    fixed = postings.fixed
    if fixed is None:
        assert postings.lengths is not None and postings.offsets is not None
        lengths = postings.lengths[order]
        offsets = np.zeros(len(order) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        starts = postings.offsets[:-1][order]
        gather = np.repeat(starts - offsets[:-1], lengths) + np.arange(int(offsets[-1]))
        blob = np.frombuffer(postings.blob, dtype=np.uint8)[gather].tobytes()
        return Postings(texts, bounds, ids, weights, None, blob, lengths, offsets)
    if fixed:
        rows = np.frombuffer(postings.blob, dtype=np.uint8).reshape(-1, fixed)
        return Postings(texts, bounds, ids, weights, fixed, rows[order].tobytes())
    return Postings(texts, bounds, ids, weights, 0)
