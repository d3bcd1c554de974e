"""A small commit's working files kept in memory: only its finished segment reaches the disk.

Whoosh writes a new segment as a dozen files (terms, postings, each per-document column), two
temporary folders, then copies them into the segment's compound file and deletes them. For
an update of a few postings those creations, listings and deletions are a large part of the
commit. `MemoryOverlay` is the index folder's storage with the new segment's own files
(`<index>_<segment id>.<ext>`) and the temporary folders kept in memory; the compound segment
(`.seg`) and the table of contents (`_<index>_<generation>.toc`, written under a temporary
name and renamed) go to disk as before. Reading, listing, locking and deleting see both.
"""

from __future__ import annotations

import copy
from typing import Any

from whoosh.filedb.filestore import FileStorage, RamStorage, Storage

#: A segment's compound file: the one file of the new segment written to disk.
COMPOUND_EXT = ".seg"


class MemoryOverlay(Storage):
    """A FileStorage whose new segment files (but the compound one) stay in memory."""

    def __init__(self, disk: FileStorage, indexname: str) -> None:
        self.disk = disk
        self.prefix = f"{indexname}_"
        self.ram = RamStorage()
        self.folder = disk.folder
        self.supports_mmap = disk.supports_mmap
        self.readonly = False

    def _holder(self, name: str) -> Storage:
        return self.ram if name in self.ram.files else self.disk

    def create_file(self, name: str, **kwargs: Any) -> Any:
        """A segment's file in memory; its compound file and anything else on disk."""
        if name.startswith(self.prefix) and not name.endswith(COMPOUND_EXT):
            return self.ram.create_file(name, **kwargs)
        return self.disk.create_file(name, **kwargs)

    def open_file(self, name: str, **kwargs: Any) -> Any:
        """The file where it is."""
        return self._holder(name).open_file(name, **kwargs)

    def list(self) -> list[str]:
        """Both the folder's files and the ones in memory."""
        return [*self.disk.list(), *self.ram.list()]

    def file_exists(self, name: str) -> bool:
        """In memory or on disk."""
        return name in self.ram.files or self.disk.file_exists(name)

    def file_length(self, name: str) -> int:
        """Its size where it is."""
        return int(self._holder(name).file_length(name))

    def file_modified(self, name: str) -> float:
        """Its time where it is."""
        return float(self._holder(name).file_modified(name))

    def delete_file(self, name: str) -> None:
        """Deleted where it is."""
        self._holder(name).delete_file(name)

    def rename_file(self, oldname: str, newname: str, safe: bool = False) -> None:
        """Renamed where it is (the commit renames nothing between the two)."""
        self._holder(oldname).rename_file(oldname, newname, safe=safe)

    def lock(self, name: str) -> Any:
        """The folder's own lock files."""
        return self.disk.lock(name)

    def temp_storage(self, name: str | None = None) -> RamStorage:
        """Temporary files in memory too."""
        return RamStorage()

    def close(self) -> None:
        """Nothing the folder's storage would not do."""
        self.disk.close()


def in_memory(ix: Any) -> Any:
    """A copy of a Whoosh index object whose storage is a MemoryOverlay of its own."""
    overlaid = copy.copy(ix)
    overlaid.storage = MemoryOverlay(ix.storage, ix.indexname)
    return overlaid
