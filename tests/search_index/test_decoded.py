"""Decoded postings files: what is written is read back exactly, whole or fractional weights."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage

from search_index import decoded


class _Segment:
    def make_filename(self, ext: str) -> str:
        return f"seg{ext}"

    def create_file(self, storage: FileStorage, ext: str):
        return storage.create_file(self.make_filename(ext))


def _read_back(tmp_path: Path, writer: decoded.DecodedWriter) -> decoded.Decoded:
    storage = FileStorage(str(tmp_path))
    writer.write(storage, _Segment())
    # inside a compound file, as segments are (assemble closes the file)
    CompoundStorage.assemble(storage.create_file("seg.cmp"), storage, ["seg.dpo"])
    compound = CompoundStorage(storage.open_file("seg.cmp"), use_mmap=True)
    opened = compound.open_file("seg.dpo")
    return decoded.Decoded(opened._buf)


@pytest.mark.parametrize("weights", ["whole", "fractional"])
def test_frequent_terms_read_back_exactly(tmp_path: Path, weights: str):
    rng = np.random.default_rng(7)
    writer = decoded.DecodedWriter(128)
    expected = {}
    for field_start in (1000, 5000):  # two fields, their terms further on in the file
        sizes = np.array([3, 200, 129, 128, 400])
        bounds = np.concatenate([[0], np.cumsum(sizes)])
        ids = np.concatenate([np.sort(rng.choice(5000, s, replace=False)) for s in sizes])
        values = rng.integers(1, 30, len(ids)).astype(np.float32)
        if weights == "fractional":
            values = values * np.float32(1.5)
        offsets = field_start + np.arange(len(sizes)) * 10
        writer.add_field(offsets, bounds, ids, values)
        for k, offset in enumerate(offsets.tolist()):
            if sizes[k] >= decoded.MIN_POSTINGS:
                expected[offset] = (
                    ids[bounds[k] : bounds[k + 1]],
                    values[bounds[k] : bounds[k + 1]],
                )
    found = _read_back(tmp_path, writer)
    assert found.bytes == (weights == "whole")
    for offset, (ids, values) in expected.items():
        got = found.get(offset)
        assert got is not None
        assert got[0].dtype == np.int32 and got[1].dtype == np.float32
        assert got[0].tolist() == ids.tolist() and got[1].tolist() == values.tolist()
    assert found.get(1000) is None  # a term of three postings is read from its blocks
    assert found.get(1001) is None and found.get(10**9) is None


def test_no_file_when_no_term_is_frequent(tmp_path: Path):
    storage = FileStorage(str(tmp_path))
    writer = decoded.DecodedWriter(128)
    writer.add_field(np.array([10]), np.array([0, 5]), np.arange(5), np.ones(5, np.float32))
    writer.write(storage, _Segment())
    assert not (tmp_path / "seg.dpo").exists()
