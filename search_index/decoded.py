"""Decoded postings of a segment's frequent terms, written with the segment, read in place.

A W3 posting block is a zlib-compressed pickle of 128 ids and weights: decoding a term that
is in half the documents of a 100,000-posting index costs milliseconds, and a search of two
common words in a freshly forked worker spent most of its time there. When a segment is
written (`FastSegmentWriter`, rebuilds and incremental commits alike), the ids and weights of
every term of more than one block are also written as plain arrays in one more file of the
segment (`<segment id>.dpo`, inside its compound file). Readers take a term's arrays straight
from the memory map (numpy views, no copy: shared by every process through the page cache).
The W3 blocks stay the source of everything else; a segment without the file (written by
Whoosh's own writer or before this existed) is read from its blocks as before.

File: MAGIC, then little-endian int64 count of terms, count of postings and the block size,
how the weights are stored, then int64 postings-file offsets of the terms (ascending), int64
starts (one more than the terms), int32 ids and the weights (float32, or uint8 when every one
is a whole number below 256).
"""

from __future__ import annotations

import struct
from typing import Any

import numpy as np

from search_index.mapped import MappedFile

EXT = ".dpo"
MAGIC = b"RCD1"
_HEADER = struct.Struct("<4sqqqq")
#: How weights are stored: float32, or one byte each when every weight is a whole number
#: below 256 (term frequencies: read back exactly as the same float32 values).
FLOAT32, BYTE = 0, 1
#: Terms with at least this many postings in a segment get decoded arrays (more than a block).
MIN_POSTINGS = 129


class DecodedWriter:
    """Collects the decoded arrays of a segment's frequent terms, field by field."""

    def __init__(self, blocklimit: int) -> None:
        self.blocklimit = blocklimit
        self.offsets: list[np.ndarray] = []
        self.ids: list[np.ndarray] = []
        self.weights: list[np.ndarray] = []
        self.sizes: list[np.ndarray] = []

    def add_field(
        self, term_offsets: np.ndarray, bounds: np.ndarray, ids: np.ndarray, weights: np.ndarray
    ) -> None:
        """One field's terms: where each starts in the postings file, and their postings."""
        sizes = np.diff(bounds)
        keep = np.flatnonzero(sizes >= MIN_POSTINGS)
        if not len(keep):
            return
        self.offsets.append(np.asarray(term_offsets, dtype=np.int64)[keep])
        self.sizes.append(sizes[keep].astype(np.int64))
        starts, ends = bounds[:-1][keep], bounds[1:][keep]
        picked = np.concatenate([np.arange(s, e) for s, e in zip(starts, ends, strict=True)])
        self.ids.append(np.asarray(ids)[picked].astype("<i4"))
        self.weights.append(np.asarray(weights)[picked].astype("<f4"))

    def write(self, storage: Any, segment: Any) -> None:
        """Write the segment's file (none when no term qualified)."""
        if not self.offsets:
            return
        offsets = np.concatenate(self.offsets)
        sizes = np.concatenate(self.sizes)
        ids = np.concatenate(self.ids)
        weights = np.concatenate(self.weights)
        order = np.argsort(offsets, kind="stable")  # already ascending as written: a no-op
        if not np.array_equal(order, np.arange(len(order))):
            starts = np.cumsum(sizes) - sizes
            picked = np.concatenate(
                [np.arange(starts[i], starts[i] + sizes[i]) for i in order.tolist()]
            )
            offsets, sizes, ids, weights = (
                offsets[order],
                sizes[order],
                ids[picked],
                weights[picked],
            )
        starts = np.zeros(len(sizes) + 1, dtype="<i8")
        np.cumsum(sizes, out=starts[1:])
        code = FLOAT32
        whole = len(weights) and weights.min() >= 0 and weights.max() < 256
        if whole and np.array_equal(weights, np.round(weights)):
            code, weights = BYTE, weights.astype(np.uint8)
        handle = segment.create_file(storage, EXT)
        try:
            handle.write(_HEADER.pack(MAGIC, len(offsets), len(ids), self.blocklimit, code))
            handle.write(offsets.astype("<i8").tobytes())
            handle.write(starts.tobytes())
            handle.write(ids.tobytes())
            handle.write(weights.tobytes())
        finally:
            handle.close()


class Decoded:
    """A segment's decoded arrays, as numpy views of its memory-mapped file."""

    def __init__(self, buf: bytes | bytearray | memoryview) -> None:
        magic, terms, postings, self.blocklimit, code = _HEADER.unpack_from(buf, 0)
        if magic != MAGIC:
            raise ValueError("not a decoded postings file")
        at = _HEADER.size
        self.offsets = np.frombuffer(buf, dtype="<i8", count=terms, offset=at)
        at += 8 * terms
        self.starts = np.frombuffer(buf, dtype="<i8", count=terms + 1, offset=at)
        at += 8 * (terms + 1)
        self.ids = np.frombuffer(buf, dtype="<i4", count=postings, offset=at)
        at += 4 * postings
        self.bytes = code == BYTE
        kind = "u1" if self.bytes else "<f4"
        self.weights = np.frombuffer(buf, dtype=kind, count=postings, offset=at)

    def get(self, offset: int) -> tuple[np.ndarray, np.ndarray] | None:
        """(ids, weights) of the term whose blocks start at this postings-file offset."""
        index = int(np.searchsorted(self.offsets, offset))
        if index >= len(self.offsets) or int(self.offsets[index]) != offset:
            return None
        start, end = int(self.starts[index]), int(self.starts[index + 1])
        weights = self.weights[start:end]
        return self.ids[start:end], weights.astype(np.float32) if self.bytes else weights


_NONE = object()


def decoded_of(reader: Any) -> Decoded | None:
    """The decoded arrays of a segment reader's segment (opened once per reader), or None."""
    known = reader.__dict__.get("_rcjobs_decoded", _NONE)
    if known is not _NONE:
        return known if isinstance(known, Decoded) else None
    found: Decoded | None = None
    segment = getattr(reader, "_segment", None)
    storage = getattr(reader, "_storage", None)
    if segment is not None and storage is not None:
        name = segment.make_filename(EXT)
        try:
            if storage.file_exists(name):
                handle = storage.open_file(name)
                if isinstance(handle, MappedFile) and handle._buf is not None:
                    found = Decoded(handle._buf)
        except (OSError, ValueError, struct.error):
            found = None
    reader.__dict__["_rcjobs_decoded"] = found
    return found
