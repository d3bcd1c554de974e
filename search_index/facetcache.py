"""A segment's facet bitsets kept on disk beside it, so a start reads them instead of every
facet value's postings (about 40% of `SearchIndex.warm` at 10k postings).

A Whoosh segment never changes once written and its facet bitsets (search_index.segments:
deleted documents included, deletions are applied apart) depend only on its files, so one file
per segment stays right for as long as the segment exists. The file is named after the segment
(`MAIN_<segid>.facets`), so Whoosh deletes it with the segment's own files when a merge
drops the segment. Its header names the format, the facet fields and the segment's size; a file
that does not match (or cannot be read) is ignored and the bitsets are read from the postings.
Writing is best effort: a read-only or full disk costs only the time the file would save.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

#: The first line of every file; a change of layout or of what a bitset means bumps it.
MAGIC = b"rcjobs-facets 1\n"
_LENGTH = 4  # bytes of the header's length, little-endian

Facets = dict[str, dict[str, int]]


def cache_path(folder: Path, segment_id: str) -> Path:
    """Where a segment's facet bitsets are kept."""
    return folder / f"{segment_id}.facets"


def load(path: Path, fields: list[str], size: int) -> Facets | None:
    """The bitsets stored at `path` for these fields and segment size, or None."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(MAGIC) + _LENGTH
    if not data.startswith(MAGIC) or len(data) < start:
        return None
    end = start + int.from_bytes(data[len(MAGIC) : start], "little")
    try:
        header = json.loads(data[start:end])
    except ValueError:
        return None
    if header.get("size") != size or header.get("fields") != fields:
        return None
    facets: Facets = {}
    view = memoryview(data)
    position = end
    for field, entries in zip(fields, header["values"], strict=True):
        values: dict[str, int] = {}
        for value, length in entries:
            values[value] = int.from_bytes(view[position : position + length], "little")
            position += length
        facets[field] = values
    return facets if position == len(data) else None


def store(path: Path, fields: list[str], size: int, facets: Facets) -> None:
    """Keep the bitsets at `path` (written whole, then renamed into place); errors ignored."""
    chunks: list[bytes] = []
    values = []
    for field in fields:
        entries = []
        for value, bits in facets[field].items():
            raw = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
            entries.append([value, len(raw)])
            chunks.append(raw)
        values.append(entries)
    header = json.dumps({"size": size, "fields": fields, "values": values}).encode()
    # A dot first: Whoosh's cleaning skips the file while it is written.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(MAGIC + len(header).to_bytes(_LENGTH, "little") + header)
            handle.writelines(chunks)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
