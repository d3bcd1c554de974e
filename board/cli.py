"""The `rcjobs` command line: one subcommand per job, exit 0 ok, 1 some lines failed, 2 usage."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from board.errors import DatabaseError

if TYPE_CHECKING:
    from board.services import Board

from board.cli_support import (  # noqa: F401 - EXIT_* are the commands' exit statuses
    EXIT_BUSY,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    _board,
    _fail,
    _ready_board,
    _safe_url,
)


class LazyGroup(click.Group):
    """A group whose heavier command groups (editor, issue) load only when used."""

    lazy = {
        "editor": ("board.accounts.cli", "editor_group", "Editor accounts."),
        "issue": ("board.newsletter.cli", "issue_group", "Newsletter issues."),
        "alerts": ("board.alerts.cli", "alerts_group", "Email alerts for searches."),
        "export": ("board.ops_cli", "export_command", "Every table as JSON Lines (a backup)."),
        "migrate": ("board.ops_cli", "migrate_command", "Move the database (to PostgreSQL)."),
        "schedule": ("board.scheduling.cli", "schedule", "Queue the crawls that are due."),
        "worker": ("board.scheduling.cli", "worker", "Run crawl workers (Celery)."),
        "submissions": ("board.submissions.cli", "submissions_group", "Submitted postings."),
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command, eager and lazy, sorted."""
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        """Import a lazy command group on first use."""
        if name in self.lazy and name not in self.commands:
            import importlib

            module, attribute, _help = self.lazy[name]
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """List lazy groups with a short help line, without importing them."""
        rows = []
        for name in self.list_commands(ctx):
            if name in self.lazy and name not in self.commands:
                rows.append((name, self.lazy[name][2]))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(formatter.width - 6 - len(name))))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="rcjobs")
def main() -> None:
    """rcjobs: the job board for people who lead research computing teams."""
    from board.config import ConfigError
    from board.jsonlog import configure

    try:
        configure()  # RCJOBS_LOG_FORMAT=json: every command's logs as JSON lines
    except ConfigError as exc:
        _fail(str(exc))


@main.command()
def init() -> None:
    """Create or upgrade the database (SQLite under ./instance unless RCJOBS_DATABASE_URL)."""
    board = _board()
    try:
        revision = board.init_db()
    except DatabaseError as exc:
        _fail(str(exc))
    click.echo(f"database ready at revision {revision}: {_safe_url(board.settings.database_url)}")


@main.command()
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Registry file (default: spiders/sources.toml).",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.option(
    "--check",
    is_flag=True,
    help="Request each source's listing once (robots.txt obeyed) and report what it showed.",
)
@click.argument("ids", nargs=-1)
def sources(sources_file: str | None, as_json: bool, check: bool, ids: tuple[str, ...]) -> None:
    """List the career sites in the source registry (or check them against the live sites)."""
    from spiders.sources import SourceError, load_sources

    try:
        entries = load_sources(sources_file)
    except SourceError as exc:
        _fail(str(exc))
    if ids:
        unknown = [i for i in ids if i not in {s.id for s in entries}]
        if unknown:
            _fail(f"unknown source id(s): {', '.join(unknown)}")
        entries = [s for s in entries if s.id in ids]
    if check:
        _check_sources(entries, as_json)
        return
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in entries], indent=2))
        return
    width = max((len(s.id) for s in entries), default=2)
    pwidth = max((len(s.platform) for s in entries), default=8)
    for s in entries:
        click.echo(f"{s.id.ljust(width)}  {s.platform.ljust(pwidth)}  {s.institution}")
    click.echo(f"{len(entries)} sources")


def _check_sources(entries: list[Any], as_json: bool) -> None:
    """`sources --check`: one request to each listing, the report, exit 1 if any failed."""
    from dataclasses import asdict

    from spiders.check import format_report, run_check

    results = run_check(entries)
    if as_json:
        click.echo(json.dumps([asdict(r) | {"ok": r.ok} for r in results], indent=2))
    else:
        click.echo(format_report(results))
    if not all(r.ok for r in results):
        sys.exit(EXIT_SOME_FAILED)


def _parse_settings(pairs: tuple[str, ...]) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            _fail(f"-s takes NAME=VALUE, got {pair!r}")
        overrides[name.strip()] = value
    return overrides


@main.command()
@click.option(
    "--sources",
    "sources_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Registry file to crawl (default: spiders/sources.toml).",
)
@click.option(
    "-s",
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy setting (repeatable).",
)
@click.option(
    "--unless-crawled-since",
    "since",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S"]),
    default=None,
    hidden=True,
    help="Skip sources crawled since this UTC time (the workers' guard against repeats).",
)
@click.argument("ids", nargs=-1)
def crawl(
    sources_file: str | None, settings: tuple[str, ...], since: Any, ids: tuple[str, ...]
) -> None:
    """Crawl the registry's sources (or only IDS): normalize, store, index.

    Each source's lease (and its host's) is taken first: a source another crawl holds is
    skipped (exit 75, try again later).
    """
    from spiders.sources import SourceError, load_sources

    try:
        entries = load_sources(sources_file)
    except SourceError as exc:
        _fail(str(exc))
    if ids:
        known = {s.id for s in entries}
        unknown = [i for i in ids if i not in known]
        if unknown:
            _fail(f"unknown source id(s): {', '.join(unknown)}")
        entries = [s for s in entries if s.id in ids]
    overrides = _parse_settings(settings)
    board = _ready_board()
    from board.scheduling.claim import claim
    from spiders.crawl import format_table, open_session, run_crawl

    # Before the claim: its lease keeper is a thread, and workers fork only without threads.
    session = open_session(progress=click.echo, board=board)
    summaries = []
    try:
        taken = claim(board, entries, since=since)
        for source_id, (_kind, reason) in taken.refused.items():
            click.echo(f"skipped {source_id}: {reason}")
        if taken.interrupted:
            click.echo(f"marked {len(taken.interrupted)} run(s) of a stopped crawl interrupted")
        try:
            if taken.granted:
                click.echo(f"crawling {len(taken.granted)} source(s)")
                summaries = run_crawl(taken.granted, overrides, session=session)
                click.echo()
                click.echo(format_table(summaries))
        finally:
            taken.release()
    finally:
        session.close()
    if any(s.outcome == "failed" for s in summaries):
        sys.exit(EXIT_SOME_FAILED)
    if taken.busy:
        sys.exit(EXIT_BUSY)


def _read_jsonl(stream, keep_blank: bool = False) -> Any:  # noqa: ANN001 - a text stream
    """(line number, record or None, error or None) per line; blank lines only if kept."""
    for number, line in enumerate(stream, start=1):
        if number == 1:
            line = line.lstrip("\ufeff")  # a byte-order mark, as Windows tools write one
        if not line.strip():
            if keep_blank:
                yield number, None, "empty line"
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, f"not valid JSON: {exc.msg} at column {exc.colno}"
            continue
        if not isinstance(record, dict):
            yield number, None, "expected a JSON object"
            continue
        yield number, record, None


@main.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8", errors="replace"))
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="FILE is an `rcjobs export`: load every table into a new, empty database.",
)
def import_(file, everything: bool) -> None:  # noqa: ANN001 - a click File
    """Import raw records from a JSON Lines FILE ('-' for stdin): normalize, store, index."""
    from board import safetext
    from board.ingest import Ingest, RawRecord, SourceInfo, StorageUnavailable

    if everything:
        from board.ops_cli import import_all

        import_all(_board(), file)
        return
    board = _ready_board()
    file_name = str(getattr(file, "name", "-") or "-")
    source = SourceInfo(id=f"import:{Path(file_name).name}"[:100], url=file_name)
    counts = {"stored": 0, "failed": 0, "cleaned": 0}

    def records() -> Any:
        for number, record, error in _read_jsonl(file):
            if error:
                counts["failed"] += 1
                click.echo(f"line {number}: {error}", err=True)
                continue
            yield RawRecord(record, number)

    from board.normalizing import default_workers

    ingest = Ingest(board, workers=default_workers())
    try:
        for outcome in ingest.stream(records(), source):
            if outcome.removed:
                counts["cleaned"] += 1
                click.echo(
                    f"line {outcome.ref}: removed {safetext.describe(outcome.removed)}", err=True
                )
            if outcome.failed:
                counts["failed"] += 1
                click.echo(f"line {outcome.ref}: {outcome.reason}", err=True)
            else:
                counts["stored"] += 1
    except StorageUnavailable as exc:
        ingest.finish()
        _fail(f"{exc}; {counts['stored']} record(s) were stored before it, the rest were not")
    done = ingest.finish()
    indexed = "index not updated (run `rcjobs index`)" if done is None else "index up to date"
    click.echo(f"imported {counts['stored']} record(s), {counts['failed']} failed, {indexed}")
    sys.exit(EXIT_SOME_FAILED if counts["failed"] else EXIT_OK)


@main.command()
@click.option(
    "--stored",
    is_flag=True,
    help="Normalize the stored postings again instead (folds sub-units into their parents).",
)
def normalize(stored: bool) -> None:
    """Normalize JSON Lines from stdin to stdout, line for line (or the stored postings)."""
    if stored:
        from board.renormalize import run_cli

        sys.exit(run_cli(_ready_board(), click.echo, lambda line: click.echo(line, err=True)))
    from board.normalize import normalize_record

    failed = 0
    out = sys.stdout
    for number, record, error in _read_jsonl(sys.stdin, keep_blank=True):
        if error is None:
            try:
                result: dict[str, Any] = normalize_record(record)
            except Exception as exc:  # noqa: BLE001 - reported in the line's place
                error = f"could not normalize: {exc}"
        if error:
            failed += 1
            result = {"error": error, "line": number}
            click.echo(f"line {number}: {error}", err=True)
        out.write(json.dumps(result, ensure_ascii=False, default=str) + "\n")
    out.flush()
    sys.exit(EXIT_SOME_FAILED if failed else EXIT_OK)


@main.command()
@click.option(
    "--fixtures",
    type=click.Path(file_okay=False),
    default=None,
    help="Recorded fixtures (default: RCJOBS_SHARED_FIXTURES or ../shared/fixtures).",
)
@click.option(
    "--labels",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of labelled.jsonl and handwritten.jsonl (default: tests/normalize/data).",
)
@click.option(
    "--database",
    "database",
    default=None,
    metavar="URL",
    help="Also learn from the editor's relevance corrections in this database.",
)
@click.option(
    "--use-database", is_flag=True, help="Learn from the configured database's corrections too."
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Where to write the model (default: the package's board/data/relevance_model.json).",
)
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20))
def train(
    fixtures: str | None,
    labels: str | None,
    database: str | None,
    use_database: bool,
    output: str | None,
    folds: int,
) -> None:
    """Train the relevance model, report cross-validated and held-out figures, write it."""
    import os

    from board.normalize import relevance, training
    from board.review import training_data

    fixtures_dir = Path(
        fixtures
        or os.environ.get("RCJOBS_SHARED_FIXTURES")
        or training.REPO_ROOT.parent / "shared" / "fixtures"
    )
    if not fixtures_dir.is_dir():
        _fail(f"no fixtures folder at {fixtures_dir} (use --fixtures DIR)")
    if use_database and not database:
        database = _board().settings.database_url
    try:
        examples = training.labelled_examples(
            fixtures_dir, Path(labels) if labels else training.DEFAULT_LABELS
        )
        extra: list[Any] = []
        checks: list[dict[str, Any]] = []
        if database:
            try:
                extra, checks = training_data.read_corrections(database)
            except Exception as exc:  # noqa: BLE001 - any driver error is one clear line
                _fail(f"cannot read corrections from {_safe_url(database)}: {exc}")
            reviewed = sum(1 for e in extra if e.kind == "review")
            click.echo(
                f"{len(extra) - reviewed} editor correction(s) and {reviewed} review "
                f"decision(s) from {_safe_url(database)}"
            )
            for line in training.check_corrections(checks):
                click.echo(line)
        report = training.train(examples, extra=extra, folds=folds, progress=click.echo)
    except training.TrainingError as exc:
        _fail(str(exc))
    for line in report.lines:
        click.echo(line)
    path = Path(output) if output else relevance.packaged_model_path()
    try:
        relevance.write_model(report.model, path)
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror or exc}")
    size = path.stat().st_size
    click.echo(f"wrote {path} ({len(report.model.weights)} weights, {size:,} bytes)")


@main.command()
@click.option("--rebuild", is_flag=True, help="Build a fresh index beside the live one and swap.")
@click.option("--check", is_flag=True, help="Report postings the index lags behind; exit 1 if any.")
def index(rebuild: bool, check: bool) -> None:
    """Bring the search index up to date with the database (from its change log)."""
    board = _ready_board()
    if rebuild and check:
        _fail("--rebuild and --check do not go together")
    try:
        _index(board, rebuild, check)
    except OSError as exc:  # the index folder is full, read-only, or locked by another writer
        _fail(f"cannot write the search index: {exc.strerror or exc}")


def _index(board: Board, rebuild: bool, check: bool) -> None:
    from board import indexing
    from board.progress import Progress

    if check:
        report = indexing.check(board)
        if report.ok:
            click.echo(f"index is up to date: {report.postings} posting(s), change {report.latest}")
            return
        shown = ", ".join(report.sample)
        more = " ..." if report.lagging > len(report.sample) else ""
        if report.outdated:
            click.echo(
                f"index lags: it is of an older schema version ({report.lagging} of"
                f" {report.postings} posting(s) to index anew): run `rcjobs index` to rebuild it"
            )
            sys.exit(EXIT_SOME_FAILED)
        click.echo(
            f"index lags: {report.lagging} of {report.postings} posting(s) not indexed at their"
            f" current version ({shown}{more}); index at change {report.watermark} of"
            f" {report.latest}: run `rcjobs index`"
        )
        sys.exit(EXIT_SOME_FAILED)
    if rebuild:
        progress = Progress("indexed", stream=sys.stderr)
        total = indexing.rebuild(board, progress=progress.update)
        progress.finish()
        click.echo(f"index rebuilt: {total} posting(s)")
        return
    done = indexing.catch_up(board)
    if done.busy:
        click.echo("another process is building the index; it catches up when it is done")
    elif done.rebuilt:
        click.echo(f"index built: {done.written} posting(s), through change {done.watermark}")
    elif done.written or done.deleted:
        click.echo(
            f"index caught up: {done.written} posting(s) updated, {done.deleted} removed,"
            f" through change {done.watermark}"
        )
    else:
        click.echo(f"index is up to date (change {done.watermark})")


@main.command()
@click.argument("query", nargs=-1)
@click.option("--country", multiple=True, help="ISO country code filter (repeatable).")
@click.option("--role", multiple=True, help="Role filter (repeatable).")
@click.option("--all", "show_all", is_flag=True, help="Include closed and not-relevant postings.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(1, 500))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def search(
    query: tuple[str, ...],
    country: tuple[str, ...],
    role: tuple[str, ...],
    show_all: bool,
    limit: int,
    as_json: bool,
) -> None:
    """Search the board from the command line."""
    board = _ready_board()
    from search_index import SearchRequest

    filters = {}
    if country:
        filters["country"] = [c.upper() for c in country]
    if role:
        filters["role"] = list(role)
    request = SearchRequest(
        q=" ".join(query),
        filters=filters,
        status="all" if show_all else "open",
        relevant="all" if show_all else "true",
        per_page=limit,
    )
    from board import indexing

    indexing.catch_up_quietly(board)  # one query when nothing changed since the last time
    result = board.index.search(request)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, default=str))
        return
    for hit in result.hits:
        click.echo(f"{hit.id}  {hit.title} — {hit.institution}, {hit.location_display}")
    click.echo(f"{result.total} result(s)")
    if result.suggestion:
        click.echo(f"did you mean: {result.suggestion}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=None, type=int, help="WSGI worker processes (default: 2×cores).")
@click.option("--dev", is_flag=True, help="Flask's development server with the reloader.")
def serve(host: str, port: int, workers: int | None, dev: bool) -> None:
    """Serve the board (gunicorn by default; --dev for Flask's reloader)."""
    from board.serving import pause_collector, single_threaded_blas

    single_threaded_blas()  # before numpy is imported
    pause_collector()  # until the app is loaded: before_fork turns the collector back on
    try:
        from board.config import ConfigError
        from board.serving import PortInUse, serve_app

        board = _ready_board()
        try:
            serve_app(board, host, port, workers=workers, dev=dev)
        except (PortInUse, ConfigError) as exc:
            _fail(str(exc))
    finally:
        import gc

        gc.enable()  # a start that failed before before_fork leaves the collector on


@main.command()
@click.option("--port", default=None, type=click.IntRange(1, 65535), help="Port (default 8000).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--env",
    "print_env",
    is_flag=True,
    help='Print the exports that point the CLI at the demo: eval "$(rcjobs demo --env)".',
)
@click.option("--reset", is_flag=True, help="Forget the kept database, editors and issues first.")
def demo(port: int | None, host: str, print_env: bool, reset: bool) -> None:
    """Crawl the bundled demo career sites on loopback and serve the board (its editors,
    issues and submissions are kept across starts)."""
    if print_env:
        from board.demo_setup import demo_instance, env_for_cli

        click.echo(env_for_cli(demo_instance(), port, host), nl=False)
        return
    from board.demo import run_demo
    from board.serving import PortInUse

    try:
        run_demo(host=host, port=port or 8000, echo=click.echo, fresh=reset)
    except PortInUse as exc:
        _fail(str(exc))
    except DatabaseError as exc:
        _fail(str(exc))


if __name__ == "__main__":  # pragma: no cover
    main()
