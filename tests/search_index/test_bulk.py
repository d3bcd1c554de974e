"""Builds without Whoosh's external sort: in-memory segments, parallel workers, the merge
policy of small commits, and old generations removed once no searcher holds them."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search_index import SearchIndex, SearchRequest
from search_index.bulk import TIER_COUNT
from search_index.codec import PackedCodec
from search_index.layout import PARTS
from search_index.schema import make_schema, to_fields
from search_index.writer import IndexWriter
from tests.search_index.conftest import posting, sample_postings

WORDS = [
    "cluster",
    "slurm",
    "python",
    "research",
    "computing",
    "director",
    "gpu",
    "data",
    "storage",
    "cloud",
]


def corpus(size: int) -> list[dict[str, Any]]:
    """Varied postings: words, dates, statuses and countries differ by number."""
    docs = []
    for n in range(size):
        words = " ".join(WORDS[(n * k) % len(WORDS)] for k in range(1, 8))
        docs.append(
            posting(
                f"d{n:05d}",
                f"{WORDS[n % len(WORDS)].title()} Lead {n}",
                description=f"{words} team {n % 13} position {words}",
                posted_on=date(2025, 1, 1) + timedelta(days=n % 300),
                status="closed" if n % 3 == 0 else "open",
                countries=["CA" if n % 2 else "US"],
            )
        )
    return docs


REQUESTS = [
    SearchRequest(q="research computing", per_page=50),
    SearchRequest(q="slurm", status="all", relevant="all", per_page=50),
    SearchRequest(q='"cluster slurm"', status="all", per_page=50),
    SearchRequest(q="", filters={"country": ["CA"]}, sort="newest", per_page=50),
    SearchRequest(q="gpu dat*", status="closed", per_page=50),
    SearchRequest(q="clustr", status="all"),
]


def results(ix: SearchIndex) -> list[dict[str, Any]]:
    return [ix.search(request).to_dict() for request in REQUESTS]


def whoosh_build(path: Path, docs: list[dict[str, Any]]) -> SearchIndex:
    """The same documents through Whoosh's own writer (its sorting pool), one process."""
    ix = SearchIndex(path)
    ix.update([docs[0]])  # creates the generation's two indexes
    generation = ix.layout.current()
    assert generation is not None
    for part in PARTS:
        whoosh_index.create_in(str(generation / part), make_schema())
        writer = whoosh_index.open_dir(str(generation / part)).writer(codec=PackedCodec())
        for doc in docs:
            if (part == "live") == (doc["status"] != "closed" and doc["relevant"]):
                writer.add_document(**to_fields(doc))
        writer.commit()
    ix.layout.bump_version()
    return ix


def test_parallel_build_answers_as_whoosh_own_writer(tmp_path: Path) -> None:
    docs = corpus(2400)
    fast = SearchIndex(tmp_path / "fast")
    fast.writer = IndexWriter(fast.layout, procs=2)
    assert fast.rebuild(docs, total=len(docs)) == len(docs)
    generation = fast.layout.current()
    assert generation is not None
    segments = whoosh_index.open_dir(str(generation / "live")).reader().leaf_readers()
    assert len(segments) == 2  # one per worker
    reference = whoosh_build(tmp_path / "whoosh", docs)
    assert results(fast) == results(reference)
    assert fast.metadata()["count"] == len(docs)


def test_documents_keep_their_input_order_across_workers(tmp_path: Path) -> None:
    docs = corpus(2400)
    ix = SearchIndex(tmp_path / "ix")
    ix.writer = IndexWriter(ix.layout, procs=2)
    ix.rebuild(docs, total=len(docs))
    generation = ix.layout.current()
    assert generation is not None
    with whoosh_index.open_dir(str(generation / "archive")).reader() as reader:
        stored = [fields["doc"]["id"] for _, fields in reader.iter_docs()]
    assert stored == [d["id"] for d in docs if d["status"] == "closed"]


def test_a_small_segment_limit_writes_several_segments_with_the_same_answers(
    tmp_path: Path,
) -> None:
    docs = corpus(600)
    small = SearchIndex(tmp_path / "small")
    small.writer = IndexWriter(small.layout, procs=1, limitmb=0.2)
    small.rebuild(docs, total=len(docs))
    generation = small.layout.current()
    assert generation is not None
    assert len(whoosh_index.open_dir(str(generation / "live")).reader().leaf_readers()) > 1
    whole = SearchIndex(tmp_path / "whole")
    whole.rebuild(docs, total=len(docs))
    assert results(small) == results(whole)


def test_small_commits_never_merge_the_big_segment(tmp_path: Path) -> None:
    docs = corpus(2500)
    ix = SearchIndex(tmp_path / "ix")
    ix.rebuild(docs, total=len(docs))
    generation = ix.layout.current()
    assert generation is not None

    def live_segments() -> list[tuple[str, int]]:
        ixl = whoosh_index.open_dir(str(generation / "live"))
        return [(s.segment_id(), s.doc_count_all()) for s in ixl._segments()]

    big = set(live_segments())  # the rebuild's segments
    assert sum(n for _, n in big) > 1500
    for n in range(TIER_COUNT + 2):
        ix.update([{**docs[3 * n + 1], "title": f"Revised Lead {n}"}])
        assert big <= set(live_segments())  # rewritten in place would change the id
    small = [s for s in live_segments() if s not in big]
    assert len(small) < TIER_COUNT  # the tier of one-document segments was merged
    found = ix.search(SearchRequest(q="revised", per_page=50))
    assert found.total == TIER_COUNT + 2
    assert ix.search(SearchRequest(q=docs[1]["title"].split()[-1])).total >= 1


def test_old_generation_removed_once_no_searcher_holds_it(tmp_path: Path) -> None:
    writer = SearchIndex(tmp_path / "ix")
    writer.rebuild(sample_postings())
    reader = SearchIndex(tmp_path / "ix")
    assert reader.search(SearchRequest(q="director")).total
    first = reader.layout.current()
    writer.rebuild(sample_postings())
    assert first is not None and first.is_dir()  # the reader still holds it
    assert reader.search(SearchRequest(q="director")).total  # moves to the new one
    assert not first.exists()
    assert [p.name for p in writer.layout.generations()] == [writer.layout.current_name()]


def test_generations_left_behind_go_at_the_next_write(tmp_path: Path) -> None:
    ix = SearchIndex(tmp_path / "ix")
    for _ in range(3):
        ix.rebuild(sample_postings())
    assert len(ix.layout.generations()) == 1  # nobody held the earlier ones
    ix.search(SearchRequest(q="director"))
    ix.rebuild(sample_postings())
    assert len(ix.layout.generations()) == 2  # held by this process's own searcher
    other = SearchIndex(tmp_path / "ix")
    other.update([posting("n1", "New Lead")])  # a write sweeps; the hold still stands
    assert len(ix.layout.generations()) == 2
    ix.search(SearchRequest(q="lead"))
    assert len(ix.layout.generations()) == 1


def test_field_lengths_read_at_once_are_whoosh_own(tmp_path: Path) -> None:
    # lengths small and large (Whoosh keeps a byte of each), fields without any, and last
    # documents without a description (the column stops before the segment's end)
    from whoosh.util.numeric import byte_to_length, length_to_byte

    from search_index.bulk import FastSegmentWriter, _doc_lengths

    texts = ["one", "two words", " ".join(["w"] * 5000), "research " * 300, "", ""]
    docs = [posting(f"L{n}", "Lead", description=text) for n, text in enumerate(texts)]
    ix = whoosh_index.create_in(str(tmp_path), make_schema())
    writer = FastSegmentWriter(ix)
    for doc in docs:
        writer.add_document(**to_fields(doc))
    writer.commit()
    with ix.reader() as reader:
        ((leaf, _),) = reader.leaf_readers()
        perdoc = leaf._perdoc
        for field in make_schema().names():
            found = _doc_lengths(perdoc, field, len(docs))
            whoosh = [leaf.doc_field_length(n, field) or 0 for n in range(len(docs))]
            assert (found.tolist() if found is not None else [0] * len(docs)) == whoosh, field
        described = _doc_lengths(perdoc, "description", len(docs))
        assert described is not None
        assert described.tolist()[3:] == [byte_to_length(length_to_byte(300)), 0, 0]
