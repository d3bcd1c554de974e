"""The ingest entry point: an outcome per record, nothing lost, the index following as it goes."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from board import changelog, indexing, queries
from board.ingest import (
    FAILED,
    MERGED,
    NEW,
    UNCHANGED,
    UPDATED,
    Ingest,
    RawRecord,
    SourceInfo,
    SourceRun,
)
from board.models import CrawlRun, Posting, PostingChange, PostingSource
from search_index import SearchRequest

SOURCE = SourceInfo("import:test.jsonl", url="test.jsonl")


def raw(n: int, title: str | None = None, **extra: object) -> dict:
    """A raw record (the import contract)."""
    return {
        "title": title or f"Research Computing Manager {n}",
        "institution": "McMaster University",
        "location": "Hamilton ON CA",
        "description": f"<p>Lead research computing team number {n}.</p>",
        "url": f"https://careers.example.edu/jobs/{n}",
        **extra,
    }


def records(*raws: dict) -> list[RawRecord]:
    return [RawRecord(r, number) for number, r in enumerate(raws, start=1)]


def test_each_record_gets_its_outcome_in_order(any_board):
    ingest = Ingest(any_board, batch_size=2)
    first = list(ingest.stream(records(raw(1), {"institution": "no title"}, raw(2)), SOURCE))
    assert [(o.ref, o.status) for o in first] == [(1, NEW), (2, FAILED), (3, NEW)]
    assert first[1].reason == "missing title"
    again = list(ingest.stream(records(raw(1), raw(2, "Director of Research Computing")), SOURCE))
    assert [o.status for o in again] == [UNCHANGED, UPDATED]
    assert again[0].public_id == first[0].public_id
    with any_board.read_session() as session:
        assert queries.count_postings(session) == 2


def test_an_unchanged_record_is_not_normalized_again(any_board, monkeypatch):
    ingest = Ingest(any_board)
    ingest.batch(records(raw(1)), SOURCE)
    calls = []
    import board.ingest

    real = board.ingest._normalize
    monkeypatch.setattr(board.ingest, "_normalize", lambda r: calls.append(r) or real(r))
    assert [o.status for o in ingest.batch(records(raw(1), raw(2)), SOURCE)] == [UNCHANGED, NEW]
    assert [c["title"] for c in calls] == ["Research Computing Manager 2"]


def test_new_postings_are_searchable_after_each_committed_batch(any_board):
    ingest = Ingest(any_board, batch_size=5, index_every=0.0)
    stream = ingest.stream(records(*(raw(n) for n in range(12))), SOURCE)
    for _ in range(5):
        next(stream)  # the first batch is committed (and indexed) before it is yielded
    hits = any_board.index.search(SearchRequest(q="research computing", per_page=50))
    assert hits.total == 5
    list(stream)
    assert indexing.check(any_board).ok


def test_characters_no_database_holds_are_removed_and_counted_the_same_everywhere(any_board):
    dirty = raw(
        7,
        "HPC\x00 Director\ufffe",
        description="<p>Lead\x00 the \x07team\ud800.</p>",
        salary={"text\x00": "$100,000"},
    )
    (outcome,) = Ingest(any_board).batch(records(dirty), SOURCE)
    assert outcome.status == NEW
    assert outcome.removed == {"nul": 3, "noncharacter": 1, "control": 1, "surrogate": 1}
    with any_board.read_session() as session:
        posting = queries.get_posting(session, outcome.public_id)
        assert posting.title == "HPC Director"
        assert posting.links[0].raw["description"] == "<p>Lead the team.</p>"
        assert posting.links[0].raw["salary"] == {"text": "$100,000"}


def test_one_record_the_database_refuses_fails_alone(any_board, monkeypatch):
    import board.postings

    real = board.postings.upsert_at

    def refuse_one(session, link, record, raw_fields, *args, **kwargs):
        if "refused" in raw_fields["title"]:
            session.execute(select(func.nonexistent_function()))  # a real database error
        return real(session, link, record, raw_fields, *args, **kwargs)

    monkeypatch.setattr(board.postings, "upsert_at", refuse_one)
    outcomes = Ingest(any_board).batch(records(raw(1), raw(2, "refused"), raw(3)), SOURCE)
    assert [o.status for o in outcomes] == [NEW, FAILED, NEW]
    assert outcomes[1].reason.startswith("could not store:")
    with any_board.read_session() as session:
        assert queries.count_postings(session) == 2
        assert session.scalar(select(func.count(PostingChange.id))) == 2


def test_a_crawl_run_counts_each_posting_once(any_board):
    ingest = Ingest(any_board, index_every=None)
    source = SourceInfo("src", "McMaster University", "jsonld", "https://x.test/")
    for crawl in range(2):
        run = SourceRun(ingest, source)
        run.start()
        run.add(records(*(raw(n) for n in range(4))))
        run.add(records(raw(4)))
        summary = run.finish(complete=True, failed=False)
        assert summary.items == 5, crawl
    assert (summary.new, summary.updated, summary.unchanged) == (0, 0, 5)
    with any_board.read_session() as session:
        items = session.scalars(select(CrawlRun.items).order_by(CrawlRun.id)).all()
        assert items == [5, 5]
        assert session.scalar(select(func.count(PostingSource.id))) == 5


def test_a_run_with_a_record_not_stored_closes_nothing(any_board, monkeypatch):
    import board.ingest

    ingest = Ingest(any_board, index_every=None)
    source = SourceInfo("src", "McMaster University", "jsonld", "https://x.test/")
    for _ in range(3):
        run = SourceRun(ingest, source)
        run.start()
        run.add(records(raw(1), raw(2)))
        run.finish(complete=True, failed=False, close_after=1)
    real = board.ingest._store_one

    def refuse_the_second(session, prepared, now):
        if prepared.key.endswith("/2"):
            raise IntegrityError("INSERT", {}, Exception("CHECK constraint failed"))
        return real(session, prepared, now)

    monkeypatch.setattr(board.ingest, "_store_one", refuse_the_second)
    run = SourceRun(ingest, source)
    run.start()
    outcomes = run.add(records(raw(1), raw(2, description="<p>changed</p>")))
    assert [o.status for o in outcomes] == [UNCHANGED, FAILED]
    summary = run.finish(complete=True, failed=False, close_after=1)
    assert summary.outcome == "partial" and summary.closed == 0
    with any_board.read_session() as session:
        assert set(session.scalars(select(Posting.status))) == {"open"}


def test_editor_actions_write_the_change_log(any_board):
    from board import ingest

    (outcome,) = Ingest(any_board).batch(records(raw(1)), SOURCE)
    with any_board.session() as session:
        posting = queries.get_posting(session, outcome.public_id)
        ingest.hide(session, posting, True)
    with any_board.session() as session:
        posting = queries.get_posting(session, outcome.public_id)
        ingest.correct(session, posting, {"title": "Corrected Title"})
    with any_board.read_session() as session:
        kinds = session.scalars(select(PostingChange.kind).order_by(PostingChange.id)).all()
        assert kinds == ["new", "hide", "correct"]
    indexing.catch_up(any_board)
    assert any_board.index.search(SearchRequest(status="all", relevant="all")).total == 0


@pytest.mark.parametrize("batch_size", [1, 3])
def test_batch_sizes_store_the_same(any_board, batch_size):
    outcomes = list(
        Ingest(any_board, batch_size=batch_size).stream(
            records(*(raw(n) for n in range(7))), SOURCE
        )
    )
    assert [o.status for o in outcomes] == [NEW] * 7


@pytest.mark.parametrize("any_board", ["postgresql"], indirect=True)
def test_two_writers_creating_the_same_institution_and_source_at_once_both_store(
    any_board, monkeypatch, caplog
):
    """PostgreSQL (read committed): the second writer's insert of a row the first has not yet
    committed fails on the unique key once the first commits; ingest runs it again."""
    import threading

    from sqlalchemy import text

    import board.ingest

    first_inside, release = threading.Event(), threading.Event()
    real = board.ingest._store_one

    def holding(session, prepared, now):
        outcome = real(session, prepared, now)
        if threading.current_thread().name == "first":
            first_inside.set()
            release.wait(30)  # hold the transaction open until the second writer waits on it
        return outcome

    monkeypatch.setattr(board.ingest, "_store_one", holding)
    shared = SourceInfo("shared-source", platform="import")
    outcomes: dict[str, list] = {}

    def write(name: str, n: int) -> None:
        outcomes[name] = Ingest(any_board, index_every=None).batch(records(raw(n)), shared)

    first = threading.Thread(target=write, args=("first", 1), name="first")
    second = threading.Thread(target=write, args=("second", 2), name="second")
    first.start()
    assert first_inside.wait(30)
    second.start()
    deadline = time.monotonic() + 30
    with any_board.engine.connect() as connection:
        while not connection.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")):
            assert time.monotonic() < deadline, "the second writer never waited on the first"
            time.sleep(0.02)  # polling for the lock wait, bounded by the deadline
    release.set()
    first.join(60)
    second.join(60)
    assert [o.status for o in outcomes["first"]] == [NEW]
    assert [o.status for o in outcomes["second"]] == [NEW]
    assert "record by record" not in caplog.text  # the batch ran again whole, not split up
    with any_board.read_session() as session:
        assert queries.count_postings(session) == 2


def test_a_long_stream_in_worker_processes_stores_what_one_process_does(any_board, monkeypatch):
    """Normalized in forked workers, batches ahead of the one stored, the index followed by a
    child process: the same outcomes, in order, as storing in this process."""
    import board.index_follower
    import board.ingest
    import board.normalize

    monkeypatch.setattr(board.ingest, "PARALLEL_AFTER", 6)
    real = board.normalize.normalize

    def refuse(raw_fields, **kwargs):
        if "Unreadable" in raw_fields["title"]:
            raise ValueError("cannot read this one")
        return real(raw_fields, **kwargs)

    monkeypatch.setattr(board.normalize, "normalize", refuse)
    used: list[str] = []
    for cls, name in (
        (board.ingest.NormalizerPool, "submit"),
        (board.index_follower.IndexFollower, "start"),
    ):
        spied = getattr(cls, name)
        monkeypatch.setattr(
            cls, name, lambda self, *a, _f=spied, _n=name: used.append(_n) or _f(self, *a)
        )
    stream = [raw(n) for n in range(30)]
    stream[12] = raw(12, "Unreadable Posting")
    stream[15] = {"institution": "no title"}
    stream[20] = raw(3)  # the same record again, in a later batch
    stream[22] = raw(22, "Research Computing Manager 5", url="https://elsewhere.test/5")
    stream[25] = raw(25, description="<p>one</p>")
    stream[26] = raw(25, description="<p>two</p>")  # the same id changed, in the same batch
    ingest = Ingest(any_board, batch_size=4, index_every=0.05, workers=2)
    outcomes = list(ingest.stream(records(*stream), SOURCE))
    ingest.finish()
    statuses = [o.status for o in outcomes]
    assert [o.ref for o in outcomes] == list(range(1, 31))
    assert (
        statuses[12] == FAILED
        and outcomes[12].reason == "could not normalize: cannot read this one"
    )
    assert statuses[15] == FAILED and outcomes[15].reason == "missing title"
    assert statuses[20] == UNCHANGED and outcomes[20].public_id == outcomes[3].public_id
    assert statuses[22] == MERGED and outcomes[22].public_id == outcomes[5].public_id
    assert (statuses[25], statuses[26]) == (NEW, UPDATED)
    assert outcomes[26].public_id == outcomes[25].public_id
    assert statuses.count(NEW) == 25
    with any_board.read_session() as session:
        assert queries.count_postings(session) == 25
        assert session.scalar(select(func.count(PostingSource.id))) == 26
    assert indexing.check(any_board).ok
    assert {"submit", "start"} <= set(used)


def test_a_long_stream_is_normalized_by_the_workers_from_its_first_batch(any_board, monkeypatch):
    """Past PARALLEL_AFTER records the workers and the follower start before anything is
    stored, so no batch is normalized or indexed in this process; a stream of PARALLEL_AFTER
    records or fewer forks nothing and is stored here, with the same outcomes."""
    import board.ingest

    monkeypatch.setattr(board.ingest, "PARALLEL_AFTER", 6)
    here: list[str] = []
    real = board.ingest._normalize
    monkeypatch.setattr(board.ingest, "_normalize", lambda r: here.append(r["title"]) or real(r))
    started: list[int] = []
    real_start = Ingest.start_workers
    monkeypatch.setattr(Ingest, "start_workers", lambda self: started.append(1) or real_start(self))
    short = Ingest(any_board, batch_size=4, index_every=0.05, workers=2)
    outcomes = list(short.stream(records(*[raw(n) for n in range(6)]), SOURCE))
    assert [o.status for o in outcomes] == [NEW] * 6
    assert started == [] and len(here) == 6 and short.parallel == 0

    here.clear()
    long = Ingest(any_board, batch_size=4, index_every=0.05, workers=2)
    outcomes = list(long.stream(records(*[raw(n) for n in range(6, 20)]), SOURCE))
    long.finish()
    assert [o.status for o in outcomes] == [NEW] * 14
    assert [o.ref for o in outcomes] == list(range(1, 15))
    assert started == [1] and here == []  # every record normalized by a worker
    assert long.parallel == 0  # stopped at the stream's end
    with any_board.read_session() as session:
        assert queries.count_postings(session) == 20
    assert indexing.check(any_board).ok
    assert _found(any_board, raw(19)["title"]) == 1


def _found(board, title: str) -> int:
    return board.index.search(SearchRequest(q=f'"{title}"', status="all", relevant="all")).total


def test_a_stopped_index_follower_indexes_what_was_stored_before_it_stopped(any_board):
    """The follower's last catch-up comes after the stop: a posting stored while it waited is
    searchable once stop() returns, with no catch-up by the caller."""
    from board.index_follower import IndexFollower

    store = Ingest(any_board, index_every=None)
    store.batch(records(raw(1, "Research Computing Manager Alpha")), SOURCE)
    follower = IndexFollower(any_board, every=600.0)  # one catch-up, then a long wait
    follower.start()
    try:
        deadline = time.monotonic() + 30
        while not (any_board.index.exists() and _found(any_board, "Manager Alpha")):
            assert time.monotonic() < deadline, "the follower's first catch-up never came"
            time.sleep(0.05)
        store.batch(records(raw(2, "Research Computing Director Beta")), SOURCE)
    finally:
        follower.stop()
    assert _found(any_board, "Director Beta") == 1
    assert indexing.check(any_board).ok
    with any_board.read_session() as session:
        assert follower.reached == changelog.latest_change(session)


def test_finish_after_a_followed_stream_trusts_the_followers_last_catch_up(any_board, monkeypatch):
    """The follower's last catch-up came after the stream's last commit: finish() answers "up
    to date" from its watermark without catching up itself, and catches up as before when
    something was committed after the follower stopped."""
    import board.ingest

    monkeypatch.setattr(board.ingest, "PARALLEL_AFTER", 6)
    ingest = Ingest(any_board, batch_size=4, index_every=0.05, workers=2)
    outcomes = list(ingest.stream(records(*[raw(n) for n in range(12)]), SOURCE))
    assert [o.status for o in outcomes] == [NEW] * 12
    calls: list[int] = []
    real = indexing.catch_up_quietly
    monkeypatch.setattr(  # only in this process: the follower has exited
        indexing, "catch_up_quietly", lambda board, batch=500: calls.append(batch) or real(board)
    )
    with any_board.read_session() as session:
        latest = changelog.latest_change(session)
    done = ingest.finish()
    assert done is not None and done.watermark == latest and calls == []
    assert indexing.check(any_board).ok
    assert _found(any_board, raw(11)["title"]) == 1

    ingest = Ingest(any_board, batch_size=4, index_every=0.05, workers=2)
    list(ingest.stream(records(*[raw(n) for n in range(12, 24)]), SOURCE))
    Ingest(any_board, index_every=None).batch(records(raw(40, "Director Gamma")), SOURCE)
    done = ingest.finish()  # the follower stopped before "Director Gamma" was committed
    assert done is not None and len(calls) == 1
    assert _found(any_board, "Director Gamma") == 1
    assert indexing.check(any_board).ok
