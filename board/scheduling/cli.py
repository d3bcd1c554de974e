"""`rcjobs schedule` (queue what is due) and `rcjobs worker` (run the crawls), on Celery."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from board.cli_support import EXIT_USAGE, _fail, _ready_board


def _app():  # noqa: ANN202 - a Celery app, imported late to keep `rcjobs --help` fast
    from board.scheduling.tasks import BrokerMissing, make_app

    try:
        return make_app()
    except BrokerMissing as exc:
        _fail(str(exc))


@click.command()
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Registry file (default: spiders/sources.toml); workers read the same path.",
)
@click.option("--now", "everything", is_flag=True, help="Queue every source, due or not.")
@click.option("--dry-run", is_flag=True, help="Say what is due; queue nothing.")
@click.option("--beat", is_flag=True, help="Keep running: schedule again every --every seconds.")
@click.option("--every", default=60, show_default=True, type=click.IntRange(5, 86400))
def schedule(
    sources_file: str | None, everything: bool, dry_run: bool, beat: bool, every: int
) -> None:
    """Queue the crawls that are due (cadence per source, jittered; RCJOBS_BROKER_URL)."""
    from board.extract.registry import load_registry
    from board.extract.source import SourceError

    path = str(Path(sources_file).resolve()) if sources_file else None
    try:
        registry = load_registry(path)
    except SourceError as exc:
        _fail(str(exc))
    board = _ready_board()
    app = None if dry_run else _app()
    while True:
        _schedule_once(board, registry, app, path, everything)
        if not beat:
            return
        try:
            time.sleep(every)
        except KeyboardInterrupt:  # pragma: no cover - a person stopping the beat
            return
        everything = False


def _schedule_once(board, registry, app, path, everything) -> int:  # noqa: ANN001
    from board.clock import utcnow
    from board.db import with_retry
    from board.scheduling import leases, planner
    from board.scheduling.tasks import enqueue

    ttl = leases.lease_time()
    swept = with_retry(board.sessions, lambda session: leases.sweep(session, ttl))
    for source_id in swept:
        click.echo(f"interrupted the stale run of {source_id} (its lease expired)")
    with board.read_session() as session:
        due = planner.due(session, registry, everything=everything)
    if app is None:
        for item in due:
            click.echo(f"due {item.source.id} ({item.reason})")
        click.echo(f"{len(due)} of {len(registry.sources)} source(s) due")
        return len(due)
    now = utcnow()
    queued: list[str] = []
    try:
        for item in due:
            enqueue(app, item.source.id, path, now)
            queued.append(item.source.id)
            click.echo(f"queued {item.source.id} ({item.reason})")
    except Exception as exc:  # noqa: BLE001 - kombu's connection errors vary by transport
        _fail(f"cannot reach the broker: {exc}; {len(queued)} source(s) were queued")
    finally:
        if queued:
            with_retry(board.sessions, lambda session: planner.mark_queued(session, queued, now))
    click.echo(f"queued {len(queued)} of {len(registry.sources)} source(s)")
    return len(queued)


@click.command()
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Crawls this worker runs at once (one child process each).",
)
@click.option("--loglevel", default="INFO", show_default=True)
@click.option("--name", default=None, help="The worker's node name (default: rcjobs@HOST-PID).")
def worker(concurrency: int, loglevel: str, name: str | None) -> None:
    """Run Celery worker processes that crawl the queued sources (RCJOBS_BROKER_URL)."""
    import os
    import socket

    board = _ready_board()
    board.engine.dispose()  # no connection of this process is inherited by its pool or crawls
    app = _app()
    _preload_crawls(loglevel)
    node = name or f"rcjobs-{os.getpid()}@{socket.gethostname()}"
    argv = [
        "worker",
        "--pool",
        "prefork",
        "--concurrency",
        str(concurrency),
        "--queues",
        app.conf.task_default_queue,
        "--hostname",
        node,
        "--loglevel",
        loglevel,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    try:
        app.worker_main(argv)
    except Exception as exc:  # noqa: BLE001 - a broker that cannot be reached, one line
        _fail(f"the worker stopped: {exc}")
    sys.exit(0)


def _preload_crawls(loglevel: str) -> None:
    """Import what a crawl needs before the pool forks, so each forked crawl starts warm."""
    from board.config import ConfigError
    from board.scheduling.preload import ReactorInstalled, preload
    from board.scheduling.runner import child_mode

    try:
        if child_mode() != "fork":
            return
    except ConfigError as exc:
        _fail(str(exc))
    try:
        seconds = preload()
    except ReactorInstalled as exc:  # pragma: no cover - a plugin that installs a reactor
        _fail(f"{exc}: set RCJOBS_CRAWL_CHILD=exec to start each crawl as a new interpreter")
    if loglevel.upper() in ("DEBUG", "INFO"):
        click.echo(f"crawls preloaded in {seconds:.2f} s (each crawl is forked from its worker)")


__all__ = ["EXIT_USAGE", "schedule", "worker"]
