"""Whoosh's W3 codec, with each block's variable-size posting values packed into one string.

W3 pickles a block's values (word positions here) as a tuple of bytes objects with pickle
protocol 2, which spends tens of bytes on each: for descriptions that nearly tripled the index.
Here a block's values are one bytes string and an array of their lengths. Segments record the
codec that wrote them, so readers unpack what this codec packed.
"""

from __future__ import annotations

from array import array
from typing import Any

from whoosh.codec.whoosh3 import W3Codec, W3LeafMatcher, W3PostingsWriter

PACKED = "packed1"


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


class PackedCodec(W3Codec):
    """The codec every rcjobs index segment is written with."""

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
