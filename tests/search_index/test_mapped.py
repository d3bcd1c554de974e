"""Segment files are read in place from the compound file's memory map, as the same bytes."""

from __future__ import annotations

import io
import os
import pickle
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.structfile import BufferFile

from search_index import SearchIndex, SearchRequest, mapped
from search_index.decoded import decoded_of
from tests.search_index.conftest import posting, sample_postings


def _compound_storages(index: SearchIndex) -> list:
    generation = index.layout.current()
    assert generation is not None
    found = []
    for part in ("live", "archive"):
        ix = whoosh_index.open_dir(str(generation / part))
        for segment in ix._segments():
            if segment.is_compound():
                found.append(segment.open_compound_file(ix.storage))
    return found


def test_every_file_of_a_segment_reads_as_the_same_bytes_without_a_copy(tmp_path: Path):
    index = SearchIndex(tmp_path / "index")
    docs = sample_postings()
    index.rebuild(docs, total=len(docs))
    index.update([posting("n1", "Research Cloud Architect")])  # a small segment too
    storages = _compound_storages(index)
    assert storages
    for storage in storages:
        for name in storage.list():
            offset, length = storage.range(name)
            expected = bytes(storage._source[offset : offset + length])
            opened = storage.open_file(name)
            assert isinstance(opened, mapped.MappedFile)
            assert opened.read() == expected
            opened.seek(0)
            halves = opened.read(length // 2) + opened.read()
            assert halves == expected and opened.tell() == length
            assert opened.get(1, 3) == expected[1:4]
            opened.close()
        storage.close()


def test_the_cursor_reads_like_a_bytes_file():
    data = pickle.dumps({"a": [1, 2, 3], "b": "x" * 300}) + b"line one\nline two\ntail"
    cursor = mapped._Cursor(memoryview(data))
    reference = io.BytesIO(data)
    # S301: our own bytes, pickled just above
    expected = pickle.load(reference)  # noqa: S301
    assert pickle.load(cursor) == expected  # type: ignore[arg-type]  # noqa: S301
    assert cursor.tell() == reference.tell()
    assert cursor.readline() == reference.readline()
    assert cursor.readline(4) == reference.readline(4)
    buffer, expected = bytearray(5), bytearray(5)
    assert cursor.readinto(buffer) == reference.readinto(expected) and buffer == expected
    assert cursor.seek(-3, os.SEEK_END) == reference.seek(-3, os.SEEK_END)
    assert cursor.read(10) == reference.read(10) == b"ail"
    assert cursor.read(1) == reference.read(1) == b""
    assert cursor.seek(2) == 2 and cursor.seek(3, os.SEEK_CUR) == 5
    assert cursor.peek(4) == data[5:9] and cursor.tell() == 5  # a peek does not move
    assert cursor.peek(1 << 20) == data[5 : 5 + mapped.PEEK]
    with pytest.raises(ValueError):
        cursor.seek(-1)


def test_searches_answer_the_same_as_through_whoosh_copies(tmp_path: Path, monkeypatch):
    index = SearchIndex(tmp_path / "index")
    docs = sample_postings()
    index.rebuild(docs, total=len(docs))
    requests = [
        SearchRequest(q="research computing"),
        SearchRequest(q='"research software"', status="all", relevant="all"),
        SearchRequest(q="comput*", filters={"country": ["CA"]}),
        SearchRequest(q="reserch"),
    ]
    mine = [index.search(r).to_dict() for r in requests]
    monkeypatch.setattr(mapped.compound.CompoundStorage, "open_file", mapped._original_open_file)
    copied = SearchIndex(tmp_path / "index")
    assert [copied.search(r).to_dict() for r in requests] == mine
    storage = _compound_storages(copied)[0]
    name = storage.list()[0]
    opened = storage.open_file(name)
    assert isinstance(opened, BufferFile) and not isinstance(opened, mapped.MappedFile)
    opened.close()
    storage.close()


def test_postings_read_from_blocks_are_what_whooshs_matcher_reads(tmp_path: Path, monkeypatch):
    from search_index import segments

    index = SearchIndex(tmp_path / "index")
    docs = [
        posting(f"p{n:03d}", ["Director of HPC", "Research Software Lead", "Data Manager"][n % 3])
        for n in range(400)  # terms of several 128-posting blocks
    ]
    index.rebuild(docs, total=len(docs))
    index.update([posting("p001", "GPU Cluster Architect")])  # a deletion in the big segment
    generation = index.layout.current()
    assert generation is not None
    compared = blocks = from_file = 0
    for part in ("live", "archive"):
        reader = whoosh_index.open_dir(str(generation / part)).reader()
        for leaf, _ in reader.leaf_readers():
            decoded = decoded_of(leaf)
            for field, raw in leaf.all_terms():
                text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                if field in ("posted", "closes", "salary_usd") or not isinstance(text, str):
                    continue
                found = segments._read_blocks(leaf, field, text)
                assert found is not None
                # every posting, deleted documents included (the term's own matcher, unfiltered)
                tbytes = leaf._text_to_bytes(field, text)
                matcher = leaf._terms.matcher(field, tbytes, leaf.schema[field].format)
                ids, weights = [], []
                while matcher.is_active():
                    ids.append(matcher.id())
                    weights.append(matcher.weight())
                    matcher.next()
                deleted = leaf.deleted_docs_set if leaf.has_deletions() else set()
                alive = [(d, w) for d, w in zip(ids, weights, strict=True) if d not in deleted]
                shown = zip(found[0].tolist(), found[1].tolist(), strict=True)
                assert [(d, w) for d, w in shown if d not in deleted] == [
                    (d, float(np.float32(w))) for d, w in alive
                ], (field, text)
                with monkeypatch.context() as patched:  # the block reader read_postings had
                    patched.setattr(segments, "_read_blocks", lambda *_: None)
                    before = segments.read_postings(leaf, field, text)
                assert [a.tolist() for a in before] == [a.tolist() for a in found]
                compared += 1
                blocks += len(ids) > 128
                if decoded is not None:  # the term's arrays written with the segment
                    offset = leaf._terms.term_info(field, tbytes).extent()[0]
                    from_file += decoded.get(offset) is not None
        reader.close()
    assert compared > 100 and blocks > 5 and from_file == blocks
