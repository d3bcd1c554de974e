"""The index follows the change log: catch up, hidden postings leave it, rebuild, lag check."""

from __future__ import annotations

from board import indexing, postings, queries
from search_index import SearchRequest
from tests.records import raw, record, upsert


def _search_ids(board, **kwargs) -> list[str]:
    return [hit.id for hit in board.index.search(SearchRequest(**kwargs)).hits]


def _store(board, key: str, title: str = "Director of Research Computing") -> str:
    with board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        return upsert(session, record(title), raw(title), "src", key).posting.public_id


def test_hidden_posting_leaves_the_index_even_with_every_filter_open(any_board):
    kept = _store(any_board, "a")
    hidden = _store(any_board, "b", "HPC Manager")
    indexing.catch_up(any_board)
    assert set(_search_ids(any_board, status="all", relevant="all")) == {kept, hidden}
    with any_board.session() as session:
        postings_row = queries.get_posting(session, hidden)
        postings_row.hidden = True  # even a write that forgets to mark the change is logged
    indexing.catch_up(any_board)
    assert _search_ids(any_board, status="all", relevant="all") == [kept]
    indexing.rebuild(any_board)
    assert _search_ids(any_board, status="all", relevant="all") == [kept]
    assert indexing.check(any_board).ok


def test_catch_up_applies_only_what_changed_and_records_how_far(any_board):
    first = _store(any_board, "a")
    done = indexing.catch_up(any_board)  # no index yet: built
    assert done.rebuilt and _search_ids(any_board) == [first]
    assert indexing.catch_up(any_board).written == 0  # nothing new: nothing written
    second = _store(any_board, "b", "HPC Manager")
    assert not indexing.check(any_board).ok
    done = indexing.catch_up(any_board)
    assert done.written == 1 and not done.rebuilt
    assert set(_search_ids(any_board)) == {first, second}
    with any_board.read_session() as session:
        assert done.watermark == queries.get_posting(session, second).version
    assert any_board.index.watermark() == done.watermark


def test_check_reports_lagging_and_hidden_postings(any_board):
    ids = [_store(any_board, key, f"Research Computing Lead {key}") for key in "abc"]
    indexing.catch_up(any_board)
    assert indexing.check(any_board).ok
    _store(any_board, "a", "Research Computing Lead a, revised")  # a newer version of a
    with any_board.session() as session:
        queries.get_posting(session, ids[1]).hidden = True  # b must leave the index
    report = indexing.check(any_board)
    assert (report.postings, report.lagging) == (3, 2)
    assert set(report.sample) == {ids[0], ids[1]}
    indexing.catch_up(any_board)
    assert indexing.check(any_board).ok


def test_rebuild_starts_at_its_watermark_and_catches_up_what_came_during_it(any_board):
    _store(any_board, "a")
    indexing.catch_up(any_board)
    late: list[str] = []
    real_rebuild = any_board.index.rebuild

    def rebuild_with_a_write_in_the_middle(docs, **kwargs):
        docs = list(docs)
        late.append(_store(any_board, "late", "Cloud Infrastructure Lead"))
        return real_rebuild(docs, **kwargs)

    any_board.index.rebuild = rebuild_with_a_write_in_the_middle
    indexing.rebuild(any_board)
    assert late[0] in _search_ids(any_board, q="cloud")
    assert indexing.check(any_board).ok


def test_a_concurrent_writer_moving_the_watermark_makes_catch_up_read_again(any_board):
    _store(any_board, "a")
    indexing.catch_up(any_board)
    _store(any_board, "b", "HPC Manager")
    index = any_board.index
    start = index.watermark()
    assert not index.apply([], [], expect=start - 1, through=start + 100)  # stale: refused
    assert index.watermark() == start
    assert indexing.catch_up(any_board).written == 1


def test_catch_up_while_another_thread_builds_the_missing_index_leaves_it_to_that_one(
    any_board, caplog
):
    import threading

    _store(any_board, "a")
    building, release = threading.Event(), threading.Event()
    real_rebuild = any_board.index.rebuild

    def slow_rebuild(docs, **kwargs):
        def held():
            building.set()
            release.wait(30)
            yield from docs

        return real_rebuild(held(), **kwargs)

    any_board.index.rebuild = slow_rebuild
    builder = threading.Thread(target=indexing.catch_up, args=(any_board,))
    builder.start()
    assert building.wait(30)
    later = _store(any_board, "b", "HPC Manager")  # committed while the build runs
    assert indexing.catch_up_quietly(any_board) is not None  # no error: the builder has it
    release.set()
    builder.join(60)
    assert "not brought up to date" not in caplog.text
    assert later in _search_ids(any_board)
    assert indexing.check(any_board).ok
