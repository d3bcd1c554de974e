"""Hits' display fields are remembered per (segment, document) and the version token may be read
once by the caller: both must follow every index write."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from pathlib import Path

from search_index import SearchIndex, SearchRequest, searcher
from search_index.engine import View

from .conftest import posting, sample_postings


def uncached(ix: SearchIndex, request: SearchRequest) -> list[dict[str, object]]:
    """The page's hits with the display fields read from the stored fields again."""
    result = ix.search(request)
    state = ix.searcher.state()
    view = ix.searcher.view(state, searcher._view_name(request.normalized()))
    found = []
    for hit in result.hits:
        docnum = view.term_bits("id", hit.id) & view.alive
        stored = view.stored(docnum.bit_length() - 1)
        assert stored["id"] == hit.id
        found.append({**asdict(hit), "title": stored["title"], "summary": stored["summary"]})
    return found


def titles(ix: SearchIndex, **request: object) -> dict[str, str]:
    return {hit.id: hit.title for hit in ix.search(SearchRequest(**request)).hits}  # type: ignore[arg-type]


def test_hits_are_the_stored_fields_as_they_were(index: SearchIndex) -> None:
    request = SearchRequest(q="research", status="all", relevant="all", per_page=50)
    first = [asdict(hit) for hit in index.search(request).hits]
    assert first and first == uncached(index, request)
    index.searcher.forget_results()  # the page again, now from the remembered fields
    assert [asdict(hit) for hit in index.search(request).hits] == first


def test_an_updated_posting_shows_its_new_fields(index: SearchIndex) -> None:
    assert titles(index)["a1"] == "Director, Research Computing"
    summary = {h.id: h.summary for h in index.search(SearchRequest(q="lead")).hits}["a1"]
    index.update(
        [
            posting(
                "a1",
                "Chief Research Computing Officer",
                summary="Run it all.",
                posted_on=date(2026, 1, 12),
            )
        ]
    )
    assert titles(index)["a1"] == "Chief Research Computing Officer"
    hits = {h.id: h for h in index.search(SearchRequest(q="chief")).hits}
    assert hits["a1"].summary == "Run it all." != summary
    assert hits["a1"].posted_on == date(2026, 1, 12)


def test_another_writer_s_update_and_rebuild_show(tmp_path: Path) -> None:
    # A second SearchIndex on the same directory is another process's writer: only the
    # VERSION and CURRENT files tell the searcher.
    reader = SearchIndex(tmp_path / "index")
    writer = SearchIndex(tmp_path / "index")
    docs = sample_postings()
    writer.rebuild(docs, total=len(docs))
    assert titles(reader)["a2"] == "Manager, Research Software Engineering"
    writer.update([posting("a2", "Head of Research Software", role="manager")])
    assert titles(reader)["a2"] == "Head of Research Software"
    renamed = [{**doc, "title": f"{doc['title']} (rebuilt)"} for doc in docs]
    writer.rebuild(renamed, total=len(renamed))  # a new generation, documents in the same order
    assert titles(reader)["a2"] == "Manager, Research Software Engineering (rebuilt)"
    assert all(t.endswith("(rebuilt)") for t in titles(reader, per_page=50).values())


def test_a_token_read_before_a_write_is_not_a_version_after_it(index: SearchIndex) -> None:
    token, writes = index.version_token(), index.writes
    index.update([posting("a1", "Renamed Director")])
    assert index.writes > writes
    assert index.version_token() != token
    assert titles(index)["a1"] == "Renamed Director"


def test_the_remembered_fields_stay_bounded(index: SearchIndex, monkeypatch) -> None:
    monkeypatch.setattr(searcher, "HIT_FIELDS_CACHE", 2)
    request = SearchRequest(status="all", relevant="all", per_page=50)
    first = [asdict(hit) for hit in index.search(request).hits]
    assert len(first) > 2 and len(index.searcher._fields) <= 2
    index.searcher.forget_results()
    assert [asdict(hit) for hit in index.search(request).hits] == first


def test_locate_key_names_the_segment(index: SearchIndex) -> None:
    view: View = index.searcher.view(index.searcher.state(), "all")
    for docnum in range(view.size):
        segment, local, key = view.locate_key(docnum)
        assert (segment, local) == view.locate(docnum)
        assert key[1] in ("live", "archive") and 0 <= local < segment.size
