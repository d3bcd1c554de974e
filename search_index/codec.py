"""Whoosh's W3 codec, with each block's variable-size posting values packed into one string.

W3 pickles a block's values (word positions here) as a tuple of bytes objects with pickle
protocol 2, which spends tens of bytes on each: for descriptions that nearly tripled the index.
Here a block's values are one bytes string and an array of their lengths. Segments record the
codec that wrote them, so readers unpack what this codec packed.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Callable
from hashlib import md5
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3LeafMatcher, W3PostingsWriter
from whoosh.filedb.filetables import OrderedHashWriter, _lengths, md5_hash

PACKED = "packed1"
#: Bytes of terms-table rows kept before they are written out (one write instead of three a row).
ROWS_BUFFER = 1 << 20


class PackedPostingsWriter(W3PostingsWriter):
    """W3's postings writer with variable-size values packed per block."""

    def _mini_values(self) -> Any:
        values = self._values
        if self._format.fixed_value_size() is None and values:
            lengths = array("I", (len(v) for v in values))
            return (PACKED, lengths.tobytes(), b"".join(values))
        return super()._mini_values()


class PackedLeafMatcher(W3LeafMatcher):
    """W3's postings reader that unpacks values packed by PackedPostingsWriter."""

    def _read_values(self) -> None:
        if self._data is None:
            self._read_data()
        packed = self._data[2]
        if isinstance(packed, tuple) and len(packed) == 3 and packed[0] == PACKED:
            lengths = array("I")
            lengths.frombytes(packed[1])
            blob, start, values = packed[2], 0, []
            for size in lengths:
                values.append(blob[start : start + size])
                start += size
            self._values = tuple(values)
            return
        super()._read_values()


def md5_low32(key: bytes) -> int:
    """Whoosh's md5_hash (the low 32 bits of the key's MD5) without its hex text."""
    return int.from_bytes(md5(key, usedforsecurity=False).digest()[12:], "big")


class TermsTableWriter(OrderedHashWriter):
    """Whoosh's terms table writer writing the same bytes with less Python per term: rows are
    joined and written together (no `tell` and three writes a row), and each of the 256 hash
    tables is packed in one call instead of a write per slot."""

    _pos: int
    _pending: list[bytes]
    _pending_bytes: int
    _hash: Callable[[bytes], int]

    @classmethod
    def adopt(cls, writer: OrderedHashWriter) -> None:
        """Turn a freshly created OrderedHashWriter (nothing added yet) into one of these."""
        writer.__class__ = cls
        assert isinstance(writer, TermsTableWriter)
        writer._pos = writer.dbfile.tell()
        writer._pending = []
        writer._pending_bytes = 0
        writer._hash = md5_low32 if writer.hashfn is md5_hash else writer.hashfn

    def add(self, key: bytes, value: bytes) -> None:
        """One row: keys must increase, as OrderedHashWriter requires."""
        if key <= self.lastkey:
            raise ValueError(f"Keys must increase: {self.lastkey!r}..{key!r}")
        pos = self._pos
        self.index.append(pos)
        head = _lengths.pack(len(key), len(value))
        self._pending += (head, key, value)
        hashed = self._hash(key)
        self.buckets[hashed & 255].append((hashed, pos))
        size = 8 + len(key) + len(value)
        self._pos = pos + size
        self._pending_bytes += size
        self.lastkey = key
        if self._pending_bytes >= ROWS_BUFFER:
            self._flush_rows()

    def _flush_rows(self) -> None:
        if self._pending:
            self.dbfile.write(b"".join(self._pending))
            self._pending = []
            self._pending_bytes = 0

    def tell(self) -> int:
        """The position the next row is written at."""
        self._flush_rows()
        return int(self.dbfile.tell())

    def _write_hashes(self) -> None:
        self._flush_rows()
        dbfile = self.dbfile
        pos = dbfile.tell()
        out = []
        for entries in self.buckets:
            numslots = 2 * len(entries)
            self.directory.append((pos, numslots))
            if not numslots:
                continue
            table: list[tuple[int, int] | None] = [None] * numslots
            for hashval, position in entries:  # linear probing, as HashWriter places them
                slot = (hashval >> 8) % numslots
                while table[slot] is not None:
                    slot = (slot + 1) % numslots
                table[slot] = (hashval, position)
            flat: list[int] = []
            for item in table:
                flat.extend(item or (0, 0))
            out.append(struct.pack("!" + "Iq" * numslots, *flat))
            pos += numslots * 12
        dbfile.write(b"".join(out))

    def close(self) -> Any:
        """Write the rows still held, then the tables (OrderedHashWriter.close)."""
        self._flush_rows()
        return super().close()


class PackedCodec(W3Codec):
    """The codec every rcjobs index segment is written with."""

    def field_writer(self, storage: Any, segment: Any) -> W3FieldWriter:
        """W3's field writer, its terms table written by TermsTableWriter."""
        writer = super().field_writer(storage, segment)
        TermsTableWriter.adopt(writer._tindex)
        return writer

    def postings_writer(self, dbfile: Any, byteids: bool = False) -> PackedPostingsWriter:
        """Postings with packed values."""
        return PackedPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )

    def postings_reader(
        self, dbfile: Any, terminfo: Any, format_: Any, term: Any = None, scorer: Any = None
    ) -> Any:
        """A matcher that reads packed values (inlined postings as W3 keeps them)."""
        if terminfo.is_inlined():
            return super().postings_reader(dbfile, terminfo, format_, term=term, scorer=scorer)
        offset, length = terminfo.extent()
        # Whoosh marks Matcher.copy abstract (without ABCMeta) and W3's leaf matcher, which this
        # extends, has none either: instantiating it is what W3Codec itself does.
        return PackedLeafMatcher(dbfile, offset, length, format_, term=term, scorer=scorer)  # type: ignore[abstract]
