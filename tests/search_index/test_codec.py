"""The terms table writer writes byte for byte what Whoosh's OrderedHashWriter writes."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

from search_index import codec


def rows(count: int) -> list[tuple[bytes, bytes]]:
    """Increasing keys of varied lengths and values (empty ones too)."""
    return [
        (b"\x00\x03" + f"term{n:06d}".encode() + b"x" * (n % 7), bytes([n % 251]) * (n % 40))
        for n in range(count)
    ]


def write(storage: FileStorage, name: str, fast: bool, items: list[tuple[bytes, bytes]]) -> bytes:
    writer = OrderedHashWriter(storage.create_file(name))
    if fast:
        codec.TermsTableWriter.adopt(writer)
    writer.extras["fieldmap"] = {"title": 3}
    for key, value in items:
        writer.add(key, value)
    writer.close()
    return (Path(storage.folder) / name).read_bytes()


@pytest.mark.parametrize("count", [0, 1, 300, 5000])
def test_the_same_bytes_as_whooshs_writer(tmp_path: Path, monkeypatch, count: int):
    monkeypatch.setattr(codec, "ROWS_BUFFER", 4096)  # rows written out several times
    storage = FileStorage(str(tmp_path))
    items = rows(count)
    mine = write(storage, "fast.trm", True, items)
    assert mine == write(storage, "whoosh.trm", False, items)
    reader = OrderedHashReader(storage.open_file("fast.trm"), len(mine))
    assert list(reader.items()) == items
    if items:
        assert reader[items[-1][0]] == items[-1][1]
    reader.close()


def test_keys_must_still_increase(tmp_path: Path):
    storage = FileStorage(str(tmp_path))
    writer = OrderedHashWriter(storage.create_file("t.trm"))
    codec.TermsTableWriter.adopt(writer)
    writer.add(b"b", b"1")
    with pytest.raises(ValueError):
        writer.add(b"a", b"2")
    writer.close()


def test_md5_low32_is_whooshs_md5_hash() -> None:
    import random

    from whoosh.filedb.filetables import md5_hash

    from search_index.codec import md5_low32

    rng = random.Random(3)
    keys = [b"", b"\x00\x01cluster"] + [rng.randbytes(rng.randint(1, 40)) for _ in range(2_000)]
    assert [md5_low32(k) for k in keys] == [md5_hash(k) for k in keys]
