"""Read a segment's files in place from the compound file's memory map, without a copy.

Whoosh maps each segment's compound file (`.seg`) and opens the files inside it as
`BufferFile`s over slices of the map, but a `BufferFile` wraps its slice in an `io.BytesIO`,
which copies it: opening a segment reader copied its whole terms and postings files into the
process's own memory (about 5 ms a file for a 100,000-posting index, on every open), and every
forked web worker, reopening its readers, held its own copy. A `MappedFile` reads the slice
where it is: the bytes stay in the page cache, shared by every process that maps the file, and
opening a reader costs a few small reads.

`install()` (run when `search_index` is imported) makes `CompoundStorage.open_file` return
`MappedFile`s; what is read is the same bytes. Segment files are never written after their
segment is committed (a merge writes new ones; removed files stay mapped until closed), so
reading them in place is safe.
"""

from __future__ import annotations

import os
from typing import Any

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

#: Bytes a peek returns at most (a posting block's header pickle is a few dozen).
PEEK = 512


class _Cursor:
    """A read-only file over a memoryview (what pickle.load and StructFile read through)."""

    __slots__ = ("buf", "pos", "size")

    def __init__(self, buf: memoryview) -> None:
        self.buf = buf
        self.pos = 0
        self.size = len(buf)

    def read(self, n: int | None = -1) -> bytes:
        pos = self.pos
        end = self.size if n is None or n < 0 else min(pos + n, self.size)
        if end <= pos:
            return b""
        self.pos = end
        return bytes(self.buf[pos:end])

    def peek(self, n: int = 1) -> bytes:
        """Up to PEEK bytes from the position, not moving it: pickle.load reads a pickle from
        what it peeked (then skips what it used) instead of calling read for every opcode."""
        pos = self.pos
        return bytes(self.buf[pos : pos + min(max(n, 1), PEEK)])

    def readinto(self, target: Any) -> int:
        out = memoryview(target).cast("B")
        pos = self.pos
        count = max(min(len(out), self.size - pos), 0)
        out[:count] = self.buf[pos : pos + count]
        self.pos = pos + count
        return count

    def readline(self, limit: int | None = -1) -> bytes:
        pos = self.pos
        end = self.size if limit is None or limit < 0 else min(pos + limit, self.size)
        stop = pos
        while stop < end:  # a line is rare here (pickle protocol 0 only): byte at a time is fine
            stop += 1
            if self.buf[stop - 1] == 0x0A:
                break
        self.pos = stop
        return bytes(self.buf[pos:stop])

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_CUR:
            offset += self.pos
        elif whence == os.SEEK_END:
            offset += self.size
        if offset < 0:
            raise ValueError(f"negative seek position {offset}")
        self.pos = offset
        return offset

    def tell(self) -> int:
        return self.pos

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        self.buf = memoryview(b"")
        self.size = self.pos = 0


class MappedFile(BufferFile):
    """A BufferFile over a slice of a memory map that reads the slice in place."""

    def __init__(self, buf: memoryview, name: str | None = None) -> None:
        self._buf = buf
        self._name = name
        self.onclose = None
        self.is_real = False
        self.is_closed = False
        cursor = _Cursor(buf)
        self.file = cursor  # type: ignore[assignment]  # read-only, what StructFile reads
        # StructFile's readers call self.read/seek/tell: straight to the cursor, no relay.
        self.read = cursor.read  # type: ignore[method-assign]
        self.seek = cursor.seek  # type: ignore[method-assign]
        self.tell = cursor.tell  # type: ignore[method-assign]
        self.readline = cursor.readline  # type: ignore[method-assign]


def _open_file(self: compound.CompoundStorage, name: str, *args: Any, **kwargs: Any) -> Any:
    if self._source is None:
        return _original_open_file(self, name, *args, **kwargs)
    if self.is_closed:
        raise compound.StorageError("Storage was closed")
    offset, length = self.range(name)
    return MappedFile(memoryview(self._source)[offset : offset + length], name=name)


_original_open_file = compound.CompoundStorage.open_file


def install() -> None:
    """Make compound segment files open as MappedFiles (idempotent)."""
    compound.CompoundStorage.open_file = _open_file  # type: ignore[method-assign]
