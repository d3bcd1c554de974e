"""A small commit's working files in memory (search_index.overlay): the same segment on disk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from search_index import SearchIndex, SearchRequest
from search_index.bulk import FastSegmentWriter
from search_index.overlay import in_memory
from search_index.schema import make_schema, to_fields
from tests.search_index.test_streams import digest, documents


def write(path: Path, docs: list[dict[str, Any]], memory: bool) -> list[tuple[int, str]]:
    path.mkdir()
    ix = whoosh_index.create_in(str(path), make_schema())
    for batch in (docs, docs[:4]):  # the second commit deletes one and merges with the first
        target = in_memory(ix) if memory else ix
        writer = FastSegmentWriter(target)
        if batch is not docs:
            writer.delete_document(1)
        for doc in batch:
            writer.add_document(**to_fields({**doc, "id": doc["id"] + str(len(batch))}))
        writer.commit(optimize=batch is not docs)
    return digest(path)


def test_a_segment_written_in_memory_is_the_one_written_on_disk(tmp_path: Path) -> None:
    docs = documents()
    assert write(tmp_path / "memory", docs, True) == write(tmp_path / "disk", docs, False)


def test_only_the_compound_segment_and_the_table_of_contents_reach_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    created: list[str] = []
    real_create = FileStorage.create_file

    def recording(self: FileStorage, name: str, **kwargs: Any) -> Any:
        created.append(name)
        return real_create(self, name, **kwargs)

    real_temp = FileStorage.temp_storage

    def no_temp_folders(self: FileStorage, name: str | None = None) -> Any:
        created.append(f"temp folder {name}")
        return real_temp(self, name)

    monkeypatch.setattr(FileStorage, "create_file", recording)
    monkeypatch.setattr(FileStorage, "temp_storage", no_temp_folders)
    writer = FastSegmentWriter(in_memory(ix))
    for doc in documents()[:5]:
        writer.add_document(**to_fields(doc))
    writer.commit()
    assert created and all(n.endswith(".seg") or n.startswith("_MAIN_") for n in created)
    left = {p.name for p in tmp_path.iterdir() if p.suffix not in (".seg", ".toc")}
    assert left <= {"MAIN_WRITELOCK"}  # the lock file Whoosh leaves, as on disk
    created.clear()
    writer = FastSegmentWriter(ix)  # on disk: the working files and folders Whoosh makes
    for doc in documents()[:5]:
        writer.add_document(**to_fields(doc))
    writer.commit()
    assert any(n.endswith(".trm") for n in created) and any("temp" in n for n in created)


def test_a_cancelled_commit_in_memory_leaves_nothing_behind(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    before = sorted(p.name for p in tmp_path.iterdir())
    writer = FastSegmentWriter(in_memory(ix))
    for doc in documents()[:3]:
        writer.add_document(**to_fields(doc))
    writer.cancel()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "MAIN_WRITELOCK") == before


def test_updates_small_and_large_are_all_searchable(tmp_path: Path) -> None:
    from tests.search_index.conftest import posting

    ix = SearchIndex(tmp_path / "ix")
    ix.update([posting(f"a{n}", "Cluster Lead") for n in range(3)])  # in memory
    ix.update([posting(f"b{n}", "Storage Lead") for n in range(1_000)])  # on disk
    ix.update([posting("a1", "Quantum Lead")])
    found = ix.search(SearchRequest(q="lead", per_page=1))
    assert found.total == 1_003
    assert {h.id for h in ix.search(SearchRequest(q="quantum")).hits} == {"a1"}
    assert ix.search(SearchRequest(q="cluster")).total == 2


def test_a_segment_in_memory_that_would_not_be_assembled_is_refused(tmp_path: Path) -> None:
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    with pytest.raises(ValueError, match="assembled"):
        FastSegmentWriter(in_memory(ix), compound=False)
    writer = FastSegmentWriter(ix, compound=False)  # on disk its files stay as they are
    writer.cancel()
