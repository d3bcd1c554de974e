"""The Board keeps the derived index in step with the database."""

from __future__ import annotations

from board import store
from search_index import SearchRequest
from tests.board.test_store import raw, record


def _search_ids(board, **kwargs) -> list[str]:
    return [hit.id for hit in board.index.search(SearchRequest(**kwargs)).hits]


def test_hidden_posting_leaves_the_index_even_with_every_filter_open(board):
    with board.session() as session:
        store.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        kept = store.upsert_posting(session, record(), raw(), "src", "a").posting.public_id
        hidden = store.upsert_posting(
            session, record("HPC Manager"), raw("HPC Manager"), "src", "b"
        ).posting.public_id
    board.reindex([kept, hidden])
    assert set(_search_ids(board, status="all", relevant="all")) == {kept, hidden}
    with board.session() as session:
        store.get_posting(session, hidden).hidden = True
    board.reindex([hidden])
    assert _search_ids(board, status="all", relevant="all") == [kept]
    board.rebuild_index()
    assert _search_ids(board, status="all", relevant="all") == [kept]


def test_index_is_current_tracks_database_changes(board):
    assert not board.index_is_current()
    board.rebuild_index()
    assert board.index_is_current()
    with board.session() as session:
        store.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        public_id = store.upsert_posting(session, record(), raw(), "src", "a").posting.public_id
    assert not board.index_is_current()
    board.reindex([public_id])
    assert board.index_is_current()
