"""A segment's facet bitsets kept on disk (search_index.facetcache) are the ones read from its
postings, follow index writes, and a file that does not match is read afresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from search_index import SearchIndex, SearchRequest, facetcache
from search_index.schema import FACETS

from .conftest import posting

FIELDS = [field for _, field in FACETS.values()]


def answers(index: SearchIndex) -> list[Any]:
    """Facet counts and hits of a few searches, from a fresh searcher."""
    found = []
    requests = [
        SearchRequest(),
        SearchRequest(q="research", filters={"country": ["CA"]}),
        SearchRequest(q="director", status="all", filters={"role": ["manager"]}),
    ]
    for request in requests:
        result = index.search(request)
        found.append((result.total, [h.id for h in result.hits], result.facets))
    return found


def kept_files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.facets"))


def test_kept_facets_give_the_same_answers_and_follow_writes(
    index: SearchIndex, tmp_path: Path
) -> None:
    root = tmp_path / "index"
    first = answers(index)  # reads the postings and keeps the bitsets
    assert kept_files(root)
    again = SearchIndex(root)  # a new start: the bitsets come from the files
    assert answers(again) == first
    again.update([posting("z9", "Director of HPC", countries=["DE"], role="director")])
    after = answers(again)
    fresh = SearchIndex(root)
    assert answers(fresh) == after
    for path in kept_files(root):  # every kept file is one of a segment still on disk
        assert [p for p in path.parent.glob(path.stem + ".*") if p.suffix != ".facets"]


def test_a_file_that_does_not_match_is_read_afresh(index: SearchIndex, tmp_path: Path) -> None:
    root = tmp_path / "index"
    first = answers(index)
    for path in kept_files(root):
        path.write_bytes(facetcache.MAGIC + b"\x05\x00\x00\x00{bad")
    assert answers(SearchIndex(root)) == first
    for path in kept_files(root):  # rewritten whole
        assert path.stat().st_size > 20


def test_round_trip(tmp_path: Path) -> None:
    facets = {field: {"a": 0, "b": 5, "c": 1 << 200} for field in FIELDS}
    path = facetcache.cache_path(tmp_path, "MAIN_abc")
    facetcache.store(path, FIELDS, 201, facets)
    assert facetcache.load(path, FIELDS, 201) == facets
    assert facetcache.load(path, FIELDS, 202) is None  # another segment size
    assert facetcache.load(path, FIELDS[:-1], 201) is None  # other fields
    assert facetcache.load(tmp_path / "missing.facets", FIELDS, 201) is None
    assert not list(tmp_path.glob(".*.tmp"))
