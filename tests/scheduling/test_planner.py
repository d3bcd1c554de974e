"""What `rcjobs schedule` queues: due by cadence with a fixed per-source jitter, never twice
in one window, host by host in turn."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine

from board.extract.registry import load_registry
from board.models import RUN_INTERRUPTED, RUN_SUCCESS, CrawlRun, Source
from board.scheduling import planner

NOW = datetime(2026, 12, 2, 12, 0, 0)


def registry_file(tmp_path: Path, hosts: int = 3, per_host: int = 4) -> Path:
    lines = []
    for h in range(hosts):
        for s in range(per_host):
            lines += [
                "[[source]]",
                f'id = "src-{h}-{s}"',
                'institution = "Some University"',
                'platform = "feed"',
                f'url = "https://host{h}.example.edu/feed{s}.rss"',
                "",
            ]
    path = tmp_path / "sources.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def add_run(board, source_id: str, started: datetime, outcome: str = RUN_SUCCESS) -> None:
    with board.session() as session:
        if session.get(Source, source_id) is None:
            session.add(
                Source(
                    id=source_id,
                    institution_name="Some University",
                    platform="feed",
                    url="https://x.example.edu",
                    config={},
                    created_at=started,
                )
            )
        session.add(CrawlRun(source_id=source_id, started_at=started, outcome=outcome, stats={}))


def due_ids(board, registry, now=NOW, everything=False) -> list[str]:
    with board.read_session() as session:
        return [d.source.id for d in planner.due(session, registry, now, everything)]


def test_offsets_are_fixed_per_source_and_spread_over_the_day():
    day = timedelta(days=1)
    offsets = [planner.offset(f"source-{n}", day) for n in range(200)]
    assert offsets == [planner.offset(f"source-{n}", day) for n in range(200)]  # deterministic
    hours = {o // timedelta(hours=1) for o in offsets}
    assert len(hours) >= 20  # 200 sources touch (nearly) every hour of the day
    assert all(timedelta(0) <= o < day for o in offsets)


def test_a_window_starts_at_the_sources_offset():
    day = timedelta(days=1)
    start = planner.window_start("source-1", day, NOW)
    assert start <= NOW < start + day
    assert (start - planner.EPOCH) % day == planner.offset("source-1", day)


def test_never_crawled_sources_are_due_host_by_host(board, tmp_path):
    registry = load_registry(registry_file(tmp_path))
    ids = due_ids(board, registry)
    assert sorted(ids) == sorted(s.id for s in registry.sources)
    hosts = [i.split("-")[1] for i in ids]
    assert all(a != b for a, b in zip(hosts, hosts[1:], strict=False))  # never one host twice


def test_a_source_crawled_in_its_window_is_not_due_until_the_next(board, tmp_path):
    registry = load_registry(registry_file(tmp_path, hosts=1, per_host=1))
    window = planner.window_start("src-0-0", timedelta(days=1), NOW)
    add_run(board, "src-0-0", window)
    assert due_ids(board, registry, now=NOW) == []
    next_window = window + timedelta(days=1)
    assert due_ids(board, registry, now=next_window - timedelta(seconds=1)) == []
    assert due_ids(board, registry, now=next_window + timedelta(seconds=1)) == ["src-0-0"]


def test_an_interrupted_run_leaves_the_source_due(board, tmp_path):
    registry = load_registry(registry_file(tmp_path, hosts=1, per_host=1))
    add_run(board, "src-0-0", NOW - timedelta(minutes=5), outcome=RUN_INTERRUPTED)
    assert due_ids(board, registry) == ["src-0-0"]


def test_a_queued_source_is_not_queued_again_in_the_same_window(board, tmp_path):
    registry = load_registry(registry_file(tmp_path, hosts=1, per_host=2))
    with board.session() as session:
        planner.mark_queued(session, ["src-0-0"], NOW)
    assert due_ids(board, registry, now=NOW + timedelta(minutes=5)) == ["src-0-1"]
    assert sorted(due_ids(board, registry, now=NOW, everything=True)) == ["src-0-0", "src-0-1"]


def test_schedule_dry_run_through_the_cli(board, tmp_path):
    from click.testing import CliRunner

    from board.cli import main

    path = registry_file(tmp_path, hosts=2, per_host=1)
    with time_machine.travel(NOW.replace(tzinfo=UTC), tick=False):
        result = CliRunner().invoke(main, ["schedule", "--sources", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "due src-0-0 (never crawled)" in result.output
    assert "2 of 2 source(s) due" in result.output


def test_schedule_without_a_broker_says_which_variable(board, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from board.cli import main

    monkeypatch.delenv("RCJOBS_BROKER_URL", raising=False)
    path = registry_file(tmp_path, hosts=1, per_host=1)
    result = CliRunner().invoke(main, ["schedule", "--sources", str(path)])
    assert result.exit_code == 2
    assert "RCJOBS_BROKER_URL is not set" in result.output
    assert "Traceback" not in result.output
