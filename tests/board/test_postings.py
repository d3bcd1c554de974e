"""Storage: upserts, stable ids, the closing rules and crawl runs, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from board import crawlruns, postings, queries
from board.crawlruns import RunSummary
from board.migrate import current_revision
from board.models import CLOSED, OPEN, Posting, PostingChange, PostingSource
from search_index.documents import posting_document
from tests.records import raw, record, upsert

T0 = datetime(2026, 3, 2, 12, 0, 0)


def _crawl(
    session, seen: list[str], now: datetime, complete: bool = True, failed: bool = False
) -> RunSummary:
    run = crawlruns.start_run(session, "src", now=now)
    for key in seen:
        upsert(session, record(f"Job {key}"), raw(f"Job {key}"), "src", key, now=now)
    run.items = len(seen)
    return crawlruns.finish_run(
        session,
        run,
        complete=complete,
        failed=failed,
        close_after=2,
        now=now + timedelta(minutes=5),
    )


def test_schema_is_at_head(any_board):
    assert current_revision(any_board.engine) is not None


def test_new_posting_gets_a_stable_public_id_and_keeps_it(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        first = upsert(session, record(), raw(), "src", "R1", now=T0)
        assert first.change == "new"
        public_id = first.posting.public_id
        assert len(public_id) == 10
    with any_board.session() as session:
        again = upsert(session, record(), raw(), "src", "R1", now=T0 + timedelta(days=1))
        assert again.change == "unchanged"
        assert again.posting.public_id == public_id
        changed = upsert(
            session,
            record("Director, Research Computing"),
            raw("Director, Research Computing"),
            "src",
            "R1",
            now=T0 + timedelta(days=2),
        )
        assert changed.change == "updated"
        assert changed.posting.public_id == public_id
        assert changed.posting.title == "Director, Research Computing"
    with any_board.session() as session:
        row = queries.get_posting(session, public_id)
        assert row.first_seen == T0
        assert row.last_seen == T0 + timedelta(days=2)
        assert row.links[0].raw["title"] == "Director, Research Computing"
        assert row.institution.slug == "mcmaster-university"
        assert row.salary["currency"] == "CAD"
        assert row.posted_on.isoformat() == "2026-03-01"


def test_missing_posting_closes_only_after_repeated_complete_runs(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        _crawl(session, ["a", "b", "c"], T0)
        first = _crawl(session, ["a", "b"], T0 + timedelta(days=1))
        assert first.closed == 0
        second = _crawl(session, ["a", "b"], T0 + timedelta(days=2))
        assert second.closed == 1
        statuses = dict(
            session.execute(select(PostingSource.source_key, Posting.status).join(Posting)).all()
        )
        assert statuses == {"a": OPEN, "b": OPEN, "c": CLOSED}
        assert session.scalar(select(Posting).where(Posting.title == "Job c")).closed_at


def test_failed_and_partial_runs_close_nothing(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        _crawl(session, ["a", "b", "c"], T0)
        for day in (1, 2, 3):
            failed = _crawl(session, ["a"], T0 + timedelta(days=day), failed=True)
            assert failed.outcome == "failed" and failed.closed == 0
            partial = _crawl(session, ["a"], T0 + timedelta(days=day, hours=1), complete=False)
            assert partial.outcome == "partial" and partial.closed == 0
        assert session.scalar(select(Posting).where(Posting.status == CLOSED)) is None


def test_run_with_far_fewer_items_is_suspicious_and_closes_nothing(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        keys = [f"k{i}" for i in range(10)]
        _crawl(session, keys, T0)
        _crawl(session, keys, T0 + timedelta(days=1))
        for day in (2, 3, 4):
            summary = _crawl(session, ["k0", "k1"], T0 + timedelta(days=day))
            assert summary.outcome == "suspicious"
            assert summary.closed == 0
            assert "nothing closed" in summary.message


def test_closed_posting_reopens_when_seen_again_with_the_same_id(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        _crawl(session, ["a", "b"], T0)
        _crawl(session, ["a"], T0 + timedelta(days=1))
        _crawl(session, ["a"], T0 + timedelta(days=2))
        closed = session.scalar(select(Posting).where(Posting.title == "Job b"))
        public_id = closed.public_id
        assert closed.status == CLOSED
        _crawl(session, ["a", "b"], T0 + timedelta(days=3))
        reopened = queries.get_posting(session, public_id)
        assert reopened.status == OPEN and reopened.closed_at is None


def test_expired_postings_close_and_keep_their_page(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        result = upsert(session, record(closes_on="2026-03-10"), raw(), "src", "R1")
        expired = crawlruns.expire_postings(session, today=datetime(2026, 3, 11).date())
        assert [p.public_id for p in expired] == [result.posting.public_id]
        assert queries.get_posting(session, result.posting.public_id).status == CLOSED


def test_overlong_and_missing_fields_are_stored_safely(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "Somewhere", "jsonld", "https://x.test/")
        rec = record(
            "T" * 900,
            role=None,
            technical=None,
            summary=None,
            posted_on="not a date",
            institution_slug=None,
        )
        result = upsert(session, rec, raw("T" * 900), "src", "long")
        assert len(result.posting.title) == 500
        assert result.posting.role == "other"
        assert result.posting.posted_on is None


def test_search_documents_follow_the_index_contract(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        posting = upsert(session, record(), raw(), "src", "R1", now=T0).posting
    doc = posting_document(posting)
    assert doc["id"] == posting.public_id
    assert doc["version"] == posting.version > 0
    assert doc["countries"] == ["CA"] and doc["regions"] == ["CA-ON"]
    assert doc["status"] == "open" and doc["relevant"] is True
    assert doc["institution_slug"] == "mcmaster-university"
    with any_board.read_session() as session:
        assert [p.public_id for p in queries.iter_postings(session)] == [posting.public_id]


def test_every_change_is_logged_with_the_posting_and_sets_its_version(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
        public_id = upsert(session, record(), raw(), "src", "R1", now=T0).posting.public_id
    with any_board.session() as session:  # seen again, unchanged: no change, same version
        unchanged = upsert(session, record(), raw(), "src", "R1", now=T0 + timedelta(days=1))
        assert unchanged.change == "unchanged"
    with any_board.session() as session:
        upsert(session, record("HPC Director"), raw("HPC Director"), "src", "R1")
    with any_board.session() as session:
        postings.close_posting(session, queries.get_posting(session, public_id))
    with any_board.read_session() as session:
        changes = session.execute(
            select(PostingChange.id, PostingChange.kind, PostingChange.public_id).order_by(
                PostingChange.id
            )
        ).all()
        assert [(kind, pid) for _, kind, pid in changes] == [
            ("new", public_id),
            ("update", public_id),
            ("close", public_id),
        ]
        assert queries.get_posting(session, public_id).version == changes[-1][0]


def test_a_rolled_back_change_leaves_no_log_entry(any_board):
    with any_board.session() as session:
        postings.ensure_source(session, "src", "McMaster University", "jsonld", "https://x.test/")
    try:
        with any_board.session() as session:
            upsert(session, record(), raw(), "src", "R1", now=T0)
            raise RuntimeError("the writer died")
    except RuntimeError:
        pass
    with any_board.read_session() as session:
        assert session.scalar(select(PostingChange.id)) is None
        assert queries.count_postings(session) == 0
