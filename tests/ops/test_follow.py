"""The change-log follower: one process per index directory follows, and it catches up."""

from __future__ import annotations

import pytest

from board import follow
from board.config import ConfigError
from board.ingest import Ingest, RawRecord, SourceInfo
from board.services import Board
from search_index import SearchRequest


def store(board: Board, title: str, n: int) -> str:
    raw = {
        "title": title,
        "institution": "McMaster University",
        "location": "Hamilton ON CA",
        "description": "<p>Lead the research computing team.</p>",
        "url": f"https://careers.example.edu/jobs/{n}",
    }
    (outcome,) = Ingest(board, index_every=None).batch([RawRecord(raw, n)], SourceInfo("s"))
    assert outcome.public_id
    return outcome.public_id


def found(board: Board, public_id: str) -> bool:
    hits = board.index.search(SearchRequest(q="research computing", per_page=100)).hits
    return public_id in {hit.id for hit in hits}


def test_only_one_follower_of_an_index_directory_writes_and_another_takes_over(board):
    first = follow.Follower(board, interval=0.01)
    second = follow.Follower(Board(board.settings), interval=0.01)
    try:
        assert first.step() is not None  # builds the missing index
        assert first.elected
        assert second.step() is None and not second.elected
        posting = store(board, "Director of Research Computing", 1)
        assert not found(board, posting)  # stored without indexing: the follower must do it
        done = first.step()
        assert done is not None and done.written == 1
        assert found(board, posting)
        first.stop()
        later = store(board, "Manager, Research Computing", 2)
        assert second.step() is not None and second.elected
        assert found(board, later)
    finally:
        first.stop()
        second.stop()


def test_the_follower_thread_converges_after_a_write(board):
    follower = follow.Follower(board, interval=0.02).start()
    try:
        posting = store(board, "Head of Research Computing", 3)
        import time

        deadline = time.monotonic() + 10
        while not found(board, posting):
            assert time.monotonic() < deadline, "the follower did not index the posting"
            time.sleep(0.02)  # polling, bounded by the deadline
    finally:
        follower.stop()


def test_a_follower_outlives_a_database_that_went_away(board, caplog):
    follower = follow.Follower(board, interval=0.01)
    follower.step()
    board.engine.dispose()
    board.settings.database_url = "sqlite:////nonexistent/folder/rcjobs.db"
    del board.__dict__["engine"]
    board.__dict__.pop("read_sessions", None)
    assert follower.step() is None
    assert follower.step() is None
    warnings = [r for r in caplog.records if "not brought up to date" in r.getMessage()]
    assert len(warnings) == 1  # said once, not every interval
    follower.stop()


@pytest.mark.parametrize("value", ["-1", "soon", "7200"])
def test_a_bad_follow_interval_is_a_clear_error(value):
    with pytest.raises(ConfigError, match="RCJOBS_FOLLOW_INTERVAL"):
        follow.follow_interval(value)


def test_follow_interval_defaults_to_one_second_and_zero_turns_it_off(monkeypatch):
    monkeypatch.delenv("RCJOBS_FOLLOW_INTERVAL", raising=False)
    assert follow.follow_interval() == 1.0
    assert follow.follow_interval("0") == 0.0
    assert follow.follow_interval("0.25") == 0.25


class Stop:
    """A stop event that records how long the follower waited, stopped after `rounds` waits."""

    def __init__(self, rounds: int) -> None:
        self.waits: list[float] = []
        self.rounds = rounds

    def is_set(self) -> bool:
        return len(self.waits) >= self.rounds

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        return self.is_set()


def test_a_first_round_after_a_delay_comes_after_waiting_it(board, monkeypatch):
    rounds: list[int] = []
    monkeypatch.setattr(follow.Follower, "step", lambda self: rounds.append(len(stop.waits)))
    follower = follow.Follower(board, interval=0.5)
    stop = follower._stop = Stop(rounds=2)  # type: ignore[assignment]
    follower._run(first_after=0.5)
    assert stop.waits == [0.5, 0.5] and rounds == [1]  # waited, a round, waited, stopped
    stop = follower._stop = Stop(rounds=1)  # type: ignore[assignment]
    follower._run()
    assert stop.waits == [0.5] and rounds == [1, 0]  # at once, then waited


def test_a_worker_follower_waits_one_interval_and_a_dev_server_none(board, monkeypatch):
    monkeypatch.setenv("RCJOBS_FOLLOW_INTERVAL", "7")
    delays: list[float] = []
    monkeypatch.setattr(
        follow.Follower, "start", lambda self, first_after=0.0: delays.append(first_after) or self
    )
    monkeypatch.setattr(follow, "_started", {})
    follow.start(board, caught_up=True)  # a gunicorn worker (board.web.node.after_fork)
    follow._started.clear()
    follow.start(board)  # the dev server
    assert delays == [7.0, 0.0]
