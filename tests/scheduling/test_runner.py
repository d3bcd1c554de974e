"""A worker's crawl child, forked from the preloaded worker or started as a new interpreter:
both crawl a source to the end alike, and both are stopped at their time limits with nothing
closed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from board.models import RUN_SUCCESS, CrawlRun, Posting
from board.scheduling.runner import child_mode, run_crawl_process
from demo.farm import Farm
from tests.scheduling.pool import FAST

pytestmark = pytest.mark.slow
LIMITS = (180, 200)


@pytest.fixture(autouse=True)
def fast_crawls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCJOBS_WORKER_CRAWL_SETTINGS", FAST)


def stored(board) -> dict[str, int]:
    """Stored postings by status (the board holds one source)."""
    with board.read_session() as session:
        rows = session.execute(select(Posting.status, func.count()).group_by(Posting.status))
        return {status: n for status, n in rows}


def outcomes(board, source_id: str) -> list[str]:
    with board.read_session() as session:
        return list(
            session.scalars(select(CrawlRun.outcome).where(CrawlRun.source_id == source_id))
        )


@pytest.mark.parametrize("mode", ["fork", "exec"])
def test_a_crawl_child_crawls_its_source_to_the_end(board, tmp_path: Path, monkeypatch, mode):
    monkeypatch.setenv("RCJOBS_CRAWL_CHILD", mode)
    with Farm(hosts=1, per_host=1, postings=10) as farm:
        registry = farm.registry(tmp_path / "sources.toml")
        source = farm.sources[0].id
        result = run_crawl_process(source, str(registry), "tester:1:abc", limits=LIMITS)
    assert result.returncode == 0, result.output
    assert result.timed_out is None
    assert f"{source}   10" in result.output  # the summary table: 10 new
    assert stored(board) == {"open": 10}
    assert outcomes(board, source) == [RUN_SUCCESS]


@pytest.mark.parametrize("mode", ["fork", "exec"])
def test_a_crawl_past_its_time_limit_is_stopped_and_closes_nothing(
    board, tmp_path: Path, monkeypatch, mode
):
    monkeypatch.setenv("RCJOBS_CRAWL_CHILD", mode)
    with Farm(hosts=1, per_host=1, postings=5) as farm:
        registry = farm.registry(tmp_path / "sources.toml")
        source = farm.sources[0].id
        first = run_crawl_process(source, str(registry), "tester:1:abc", limits=LIMITS)
        assert first.returncode == 0, first.output
        gate = farm.gate(source)  # its detail pages now wait: the next crawl cannot finish
        try:
            second = run_crawl_process(source, str(registry), "tester:1:abd", limits=(2, 6))
        finally:
            gate.set()
    assert second.timed_out in ("soft", "hard")
    assert second.returncode != 0
    assert stored(board) == {"open": 5}  # the stopped crawl closed none of the five
    assert RUN_SUCCESS in outcomes(board, source)
    assert outcomes(board, source).count(RUN_SUCCESS) == 1


def test_an_unknown_child_mode_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("RCJOBS_CRAWL_CHILD", "thread")
    with pytest.raises(ValueError, match="RCJOBS_CRAWL_CHILD must be fork or exec"):
        child_mode()


def test_the_default_child_is_forked_where_the_platform_forks(monkeypatch):
    monkeypatch.delenv("RCJOBS_CRAWL_CHILD", raising=False)
    assert child_mode() == "fork"
