"""The single writer: incremental updates, rebuild-and-swap, crashes, caches, concurrency."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from search_index import IndexLocked, SearchIndex, SearchRequest
from search_index.layout import BUILDING, CURRENT
from tests.search_index.conftest import posting, sample_postings

REPO = Path(__file__).resolve().parents[2]


def ids(index: SearchIndex, q: str = "", **kwargs: Any) -> set[str]:
    """Ids of the hits for a query."""
    return {h.id for h in index.search(SearchRequest(q=q, per_page=100, **kwargs)).hits}


def test_apply_creates_index_and_records_its_watermark(tmp_path: Path) -> None:
    ix = SearchIndex(tmp_path / "ix")
    assert not ix.exists() and ix.watermark() == 0
    assert ix.apply([posting("u1", "HPC Director", version=7)], [], expect=0, through=7)
    assert ix.exists()
    meta = ix.metadata()
    assert meta["count"] == 1 and meta["watermark"] == 7 == ix.watermark()
    assert ids(ix, "hpc") == {"u1"}
    assert ix.versions() == {"u1": 7}


def test_apply_refuses_a_stale_watermark_and_writes_nothing(index: SearchIndex) -> None:
    assert index.watermark() == 9
    assert not index.apply([posting("x1", "Quantum Lead")], ["a1"], expect=5, through=12)
    assert index.watermark() == 9
    assert "x1" not in ids(index, "quantum") and "a1" in ids(index)
    assert index.apply([posting("x1", "Quantum Lead")], ["a1"], expect=9, through=12)
    assert index.watermark() == 12
    assert "x1" in ids(index, "quantum") and "a1" not in ids(index)


def test_update_replaces_by_id(index: SearchIndex) -> None:
    index.update([posting("a1", "Chief Bioinformatics Officer")])
    assert ids(index, "bioinformatics") == {"a1"}
    assert "a1" not in ids(index, "cluster")
    assert index.metadata()["count"] == 9


def test_update_moves_between_live_and_archive(index: SearchIndex) -> None:
    closed = posting("a1", "Director, Research Computing", status="closed")
    index.update([closed])
    assert "a1" not in ids(index)
    assert "a1" in ids(index, status="closed")
    index.update([posting("a1", "Director, Research Computing")])
    assert "a1" in ids(index) and "a1" not in ids(index, status="closed")
    assert index.metadata()["count"] == 9


def test_delete(index: SearchIndex) -> None:
    index.delete(["a1", "c1", "missing"])
    assert "a1" not in ids(index, status="all", relevant="all")
    assert index.metadata()["count"] == 7


def test_cache_invalidated_by_writes_from_another_instance(index: SearchIndex) -> None:
    first = index.search(SearchRequest(q="bioinformatics"))
    assert first.total == 0
    assert index.search(SearchRequest(q="bioinformatics")) is first  # served from cache
    other = SearchIndex(index.index_dir)  # as another process would
    other.update([posting("b1", "Bioinformatics Lead")])
    assert index.search(SearchRequest(q="bioinformatics")).total == 1


def test_cache_invalidated_by_write_in_another_process(index: SearchIndex) -> None:
    assert index.search(SearchRequest(q="bioinformatics")).total == 0
    script = (
        "import sys, datetime; sys.path.insert(0, sys.argv[2]);"
        "from search_index import SearchIndex;"
        "from tests.search_index.conftest import posting;"
        "SearchIndex(sys.argv[1]).update([posting('b9', 'Bioinformatics Manager')])"
    )
    subprocess.run([sys.executable, "-c", script, str(index.index_dir), str(REPO)], check=True)
    assert ids(index, "bioinformatics") == {"b9"}


def test_rebuild_swaps_generation(index: SearchIndex, docs: list[dict[str, Any]]) -> None:
    before = index.metadata()["generation"]
    index.rebuild(docs[:3], total=3, watermark=3)
    meta = index.metadata()
    assert meta["generation"] != before
    assert meta["count"] == 3 and meta["watermark"] == 3
    assert ids(index) == {"a1", "a2", "a3"}


def test_rebuild_reports_progress(tmp_path: Path, docs: list[dict[str, Any]]) -> None:
    seen: list[tuple[int, int | None]] = []
    SearchIndex(tmp_path / "ix").rebuild(
        docs, total=len(docs), progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (len(docs), len(docs))


def test_searches_answer_during_rebuild(index: SearchIndex) -> None:
    answers: list[set[str]] = []

    def slow_docs() -> Any:
        for i, doc in enumerate(sample_postings()):
            if i == 4:
                answers.append(ids(SearchIndex(index.index_dir), "hpc"))
                answers.append(ids(index, "hpc"))
            yield {**doc, "title": doc["title"] + " Rebuilt"}

    index.rebuild(slow_docs())
    assert answers == [{"a1", "a3"}, {"a1", "a3"}]
    assert ids(index, "rebuilt") == {"a1", "a2", "a3", "a4", "a5", "a6"}


def test_crash_mid_rebuild_leaves_old_index(index: SearchIndex) -> None:
    def exploding() -> Any:
        yield posting("z1", "Only In New Index")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        index.rebuild(exploding())
    assert ids(index, "hpc") == {"a1", "a3"}
    assert ids(index, "only") == set()
    assert not (index.index_dir / BUILDING).exists()
    assert not list(index.index_dir.glob("*.building"))
    index.update([posting("z2", "After The Crash")])
    assert ids(index, "crash") == {"z2"}


def test_killed_rebuild_leftovers_are_ignored(index: SearchIndex) -> None:
    stale = index.index_dir / "gen-00000000000000000001-999999.building"
    (stale / "live").mkdir(parents=True)
    (index.index_dir / BUILDING).write_text(json.dumps({"dir": stale.name, "pid": 2**22 + 7}))
    index.update([posting("k1", "Kubernetes Lead")])
    assert ids(index, "kubernetes") == {"k1"}
    index.rebuild(sample_postings())
    assert not stale.exists()
    assert ids(index, "kubernetes") == set()


def test_a_rebuild_starts_at_its_own_watermark_whatever_was_written_meanwhile(
    index: SearchIndex,
) -> None:
    def docs_with_concurrent_write() -> Any:
        for i, doc in enumerate(sample_postings()):
            if i == 3:
                other = SearchIndex(index.index_dir)
                written = posting("w1", "Written During Rebuild")
                assert other.apply([written], [], expect=9, through=10)
                assert ids(other, "written") == {"w1"}  # the live index has it at once
            yield doc

    index.rebuild(docs_with_concurrent_write(), watermark=9)
    # The new generation holds what was read at change 9; catching up from 9 (board.indexing)
    # brings change 10 in again, so nothing written during a rebuild is lost by the swap.
    assert index.watermark() == 9
    assert ids(index, "written") == set()


def test_corrupt_pointer_means_missing(tmp_path: Path) -> None:
    ix = SearchIndex(tmp_path / "ix")
    ix.index_dir.mkdir()
    (ix.index_dir / CURRENT).write_text("gen-does-not-exist\n")
    assert not ix.exists()
    assert ix.search(SearchRequest(q="x")).total == 0


def test_lock_timeout(tmp_path: Path) -> None:
    ix = SearchIndex(tmp_path / "ix", lock_timeout=0.2)
    ix.update([posting("l1", "Lead")])
    held = threading.Event()
    release = threading.Event()

    def holder() -> None:
        with ix.layout.lock():
            held.set()
            release.wait(5)

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(5)
    try:
        with pytest.raises(IndexLocked):
            ix.update([posting("l2", "Lead Two")])
    finally:
        release.set()
        thread.join()
    ix.update([posting("l2", "Lead Two")])
    assert ix.metadata()["count"] == 2


WRITER = """
import sys
sys.path.insert(0, sys.argv[3])
from search_index import SearchIndex
from tests.search_index.conftest import posting
ix = SearchIndex(sys.argv[1])
for n in range(10):
    ix.update([posting(f"{sys.argv[2]}-{n}", f"Concurrent {sys.argv[2]} Lead")])
"""


def test_concurrent_writer_processes(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    SearchIndex(path).update([posting("seed", "Seed")])
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(REPO)], env=env)
        for name in ("p", "q", "r")
    ]
    for proc in procs:
        assert proc.wait(timeout=120) == 0
    ix = SearchIndex(path)
    assert ix.metadata()["count"] == 31
    assert len(ids(ix, "concurrent")) == 30


def test_hidden_postings_leave_the_index(index: SearchIndex) -> None:
    index.update([posting("a1", "Director, Research Computing", hidden=True)])
    assert "a1" not in ids(index, status="all", relevant="all")
    index.rebuild([*sample_postings(), posting("h1", "Hidden Director", hidden=True)])
    assert "h1" not in ids(index, "hidden", status="all", relevant="all")


def test_searcher_reopens_only_after_a_write(index: SearchIndex) -> None:
    index.search(SearchRequest(q="hpc"))
    state = index.searcher.state()
    index.search(SearchRequest(q="director"))
    assert index.searcher.state() is state
    index.update([posting("r1", "Reopen Lead")])
    assert index.searcher.state() is not state


def test_threads_search_while_another_writes(index: SearchIndex) -> None:
    failures: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                result = index.search(SearchRequest(q="lead", status="all", relevant="all"))
                assert result.total >= 1
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        for n in range(8):
            index.update([posting(f"t{n}", f"Threaded Lead {n}")])
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert failures == []
    assert len(ids(index, "threaded")) == 8


def test_one_rebuild_at_a_time(index: SearchIndex) -> None:
    def rebuild_inside() -> Any:
        with pytest.raises(IndexLocked):
            SearchIndex(index.index_dir).rebuild(sample_postings())
        yield from sample_postings()

    index.rebuild(rebuild_inside())
    assert index.metadata()["count"] == 9


def test_incremental_writes_share_a_bounded_vocabulary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search_index import writer as writer_module

    ix = SearchIndex(tmp_path / "ix")
    assert ix.apply([posting("v1", "HPC Director")], [], expect=0, through=1)
    shared = ix.writer._vocabulary
    assert shared is not None and "hpc" in shared.numbers
    assert ix.apply([posting("v2", "Quantum Chemistry Lead")], [], expect=1, through=2)
    assert ix.writer._vocabulary is shared  # the numbers go on from the last commit
    assert ids(ix, "hpc") == {"v1"} and ids(ix, "quantum chemistry") == {"v2"}
    monkeypatch.setattr(writer_module, "VOCABULARY_MAX", 1)
    assert ix.apply([posting("v3", "Data Steward")], [], expect=2, through=3)
    assert ix.writer._vocabulary is not shared  # past the bound: a fresh one
    assert ids(ix, "data steward") == {"v3"} and ids(ix, "director") == {"v1"}


def block_compressions(segment_reader: Any, field: str) -> set[int]:
    """The zlib levels of every postings block of a field in one segment (0: uncompressed)."""
    import pickle

    from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC

    terms = segment_reader._terms
    found: set[int] = set()
    for text in segment_reader.lexicon(field):
        info = terms.term_info(field, text)
        offset, length = info.extent()
        raw = terms._postfile.get(offset, length[0] if isinstance(length, tuple) else length)
        assert raw[:4] == WHOOSH3_HEADER_MAGIC
        position = 4
        while position < len(raw):
            size = int.from_bytes(raw[position : position + 4], "big", signed=True)
            info_tuple = pickle.loads(raw[position + 4 : position + 4 + abs(size)])  # noqa: S301
            found.add(info_tuple[3])
            position += 4 + abs(size)
    return found


def test_small_incremental_segments_are_left_uncompressed_until_merged(tmp_path: Path) -> None:
    from whoosh import index as whoosh_index
    from whoosh.reading import SegmentReader

    ix = SearchIndex(tmp_path / "ix")
    long_text = " ".join(f"cluster storage scheduler gpu w{n}" for n in range(40))
    for batch in range(11):  # the eleventh commit of 100 writes the ten before it with its own
        docs = [
            posting(f"p{batch}-{n}", "Research Computing Lead", description=long_text)
            for n in range(100)
        ]
        ix.update(docs)
        if batch == 0:
            generation = ix.layout.current()
            assert generation is not None
            live = whoosh_index.open_dir(str(generation / "live"))
            (segment,) = live._segments()
            reader = SegmentReader(live.storage, live.schema, segment)
            assert block_compressions(reader, "description") == {0}
            reader.close()
    found = ix.search(SearchRequest(q="scheduler", per_page=1))
    assert found.total == 1100
    generation = ix.layout.current()
    assert generation is not None
    live = whoosh_index.open_dir(str(generation / "live"))
    levels = {}
    for segment in live._segments():
        reader = SegmentReader(live.storage, live.schema, segment)
        levels[segment.doc_count_all()] = block_compressions(reader, "description")
        reader.close()
    assert list(levels) == [1100]  # one segment: the merge of the ten and the eleventh batch
    assert levels[1100] - {0}  # the merge compressed the blocks it wrote


def test_readers_kept_between_commits_find_each_id_once_through_merges_and_rebuilds(
    tmp_path: Path,
) -> None:
    from whoosh import index as whoosh_index

    ix = SearchIndex(tmp_path / "ix")
    held = ix.writer._id_readers
    before: set[str] = set()
    for round_ in range(23):  # two merges of ten small segments on the way
        ix.update([posting(f"k{n}", f"Cluster Lead revision{round_}") for n in range(5)])
        generation = ix.layout.current()
        assert generation is not None
        # a reader for each segment the commit started from, none for one merged away before
        assert set(held._open[str(generation / "live")]) == before
        live = whoosh_index.open_dir(str(generation / "live"))
        before = {segment.segment_id() for segment in live._segments()}
    assert ids(ix, "cluster") == {f"k{n}" for n in range(5)}
    assert ix.search(SearchRequest(q="cluster", per_page=100)).total == 5
    assert ids(ix, "revision22") == {f"k{n}" for n in range(5)}
    assert not ids(ix, "revision21")
    ix.rebuild([posting(f"k{n}", "Storage Lead") for n in range(5)])
    ix.update([posting("k0", "Quantum Lead")])
    assert ids(ix, "storage") == {f"k{n}" for n in range(1, 5)}
    assert ids(ix, "quantum") == {"k0"}
    generation = ix.layout.current()
    assert generation is not None
    assert {Path(k).parent for k in held._open} == {generation}  # the old generation's closed


def test_an_id_another_writer_replaced_is_found_where_it_is_now(tmp_path: Path) -> None:
    first = SearchIndex(tmp_path / "ix")
    first.update([posting("m1", "Cluster Lead")])
    first.update([posting("m1", "Cluster Lead"), posting("m2", "Cluster Lead")])  # reads kept
    other = SearchIndex(tmp_path / "ix")  # another process's writer, as far as files go
    other.update([posting("m1", "Storage Lead")])
    other.delete(["m1"])
    other.update([posting("m1", "Quantum Lead")])
    first.update([posting("m1", "Scheduler Lead")])  # its kept readers predate all that
    assert ids(first, "scheduler") == {"m1"}
    assert ids(first, "lead") == {"m1", "m2"}
    assert first.search(SearchRequest(q="lead", per_page=10)).total == 2


def test_the_collector_is_paused_while_a_batch_is_written_and_left_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from search_index import bulk

    seen: list[bool] = []
    real_commit = bulk.FastSegmentWriter.commit

    def commit(self: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real_commit(self, *args, **kwargs)

    monkeypatch.setattr(bulk.FastSegmentWriter, "commit", commit)
    ix = SearchIndex(tmp_path / "ix")
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        ix.update([posting("g1", "Cluster Lead")])
        assert seen == [False] and gc.isenabled()
        gc.disable()
        ix.delete(["g1"])  # a caller that turned it off keeps it off
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
        else:
            gc.disable()
    assert not ids(ix, "cluster")


def test_a_big_segment_is_read_for_the_commit_and_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from search_index import writer as writer_module

    monkeypatch.setattr(writer_module, "KEPT_SEGMENT_DOCS", 3)
    ix = SearchIndex(tmp_path / "ix")
    ix.update([posting(f"b{n}", "Storage Lead") for n in range(5)])  # a segment of 5: big here
    ix.update([posting("s1", "Cluster Lead")])
    ix.update([posting("b1", "Quantum Lead"), posting("s1", "Scheduler Lead")])
    generation = ix.layout.current()
    assert generation is not None
    kept = ix.writer._id_readers._open[str(generation / "live")]
    sizes = sorted(reader.doc_count_all() for reader in kept.values())
    assert sizes == [1]  # the one-posting segment's reader, not the five-posting one's
    assert ids(ix, "storage") == {"b0", "b2", "b3", "b4"}
    assert ids(ix, "quantum") == {"b1"} and ids(ix, "scheduler") == {"s1"}
    assert not ids(ix, "cluster")
