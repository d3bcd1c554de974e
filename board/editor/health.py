"""Source health: last crawls, weekly new relevant postings, and warnings."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from board.models import RUN_SUCCESS, CrawlRun, Posting, PostingSource, Source

WEEKS = 26
QUIET_WEEKS = 4
EMPTY_RUNS = 2


@dataclass
class SourceHealth:
    """One source's recent crawls and what they yielded."""

    source: Source
    last_run: CrawlRun | None = None
    last_success: datetime | None = None
    weekly: list[tuple[date, int]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def week_starts(today: date, weeks: int = WEEKS) -> list[date]:
    """The Mondays of the last `weeks` weeks, oldest first (this week last)."""
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _bucket(days: list[datetime], starts: list[date]) -> list[tuple[date, int]]:
    counts = Counter(d.date() - timedelta(days=d.date().weekday()) for d in days)
    return [(start, counts.get(start, 0)) for start in starts]


def weekly_new_relevant(session: Session, today: date) -> list[tuple[date, int]]:
    """New relevant, visible postings per week over the last six months."""
    starts = week_starts(today)
    since = datetime.combine(starts[0], datetime.min.time())
    seen = session.scalars(
        select(Posting.first_seen).where(
            Posting.relevant.is_(True), Posting.hidden.is_(False), Posting.first_seen >= since
        )
    ).all()
    return _bucket(list(seen), starts)


def source_health(session: Session, today: date) -> list[SourceHealth]:
    """Health of every crawled source (the form is not a crawl), worst first."""
    starts = week_starts(today)
    since = datetime.combine(starts[0], datetime.min.time())
    rows = session.execute(
        select(PostingSource.source_id, PostingSource.first_seen)
        .join(Posting)
        .where(Posting.relevant.is_(True), PostingSource.first_seen >= since)
    ).all()
    per_source: dict[str, list[datetime]] = defaultdict(list)
    for source_id, seen in rows:
        per_source[source_id].append(seen)
    sources = session.scalars(select(Source).where(Source.platform != "form").order_by(Source.id))
    report = [_one(session, s, _bucket(per_source[s.id], starts), today) for s in sources]
    return sorted(report, key=lambda h: (not h.warnings, h.source.id))


def _one(
    session: Session, source: Source, weekly: list[tuple[date, int]], today: date
) -> SourceHealth:
    runs = list(
        session.scalars(
            select(CrawlRun)
            .where(CrawlRun.source_id == source.id, CrawlRun.finished_at.is_not(None))
            .order_by(CrawlRun.started_at.desc())
            .limit(20)
        )
    )
    health = SourceHealth(source, runs[0] if runs else None, weekly=weekly)
    health.last_success = next((r.finished_at for r in runs if r.outcome == RUN_SUCCESS), None)
    health.warnings = _warnings(runs, weekly, health.last_success, today)
    return health


def failed_reasons(stats: dict | None) -> str:
    """The pages a run failed on, by named reason ("unknown_listing_shape ×2, ...")."""
    prefix = "rcjobs/failed/"
    counts = {
        key[len(prefix) :]: value
        for key, value in (stats or {}).items()
        if key.startswith(prefix) and isinstance(value, int) and value
    }
    return ", ".join(f"{reason} ×{n}" for reason, n in sorted(counts.items()))


def _warnings(
    runs: list[CrawlRun], weekly: list[tuple[date, int]], last_success: datetime | None, today: date
) -> list[str]:
    warnings = []
    if not runs:
        return ["never crawled"]
    if runs[0].outcome != RUN_SUCCESS:
        reasons = failed_reasons(runs[0].stats)
        why = "; ".join(p for p in (runs[0].message, reasons and f"failed: {reasons}") if p)
        why = why or "no message"
        warnings.append(f"last crawl {runs[0].outcome}: {why}")
    recent, older = runs[:EMPTY_RUNS], runs[EMPTY_RUNS:]
    went_quiet = len(recent) == EMPTY_RUNS and all(r.items == 0 for r in recent)
    if went_quiet and any(r.items > 0 for r in older):
        warnings.append(f"used to yield postings, none in the last {EMPTY_RUNS} crawls")
    counts = [count for _, count in weekly]
    if sum(counts[:-QUIET_WEEKS]) > 0 and sum(counts[-QUIET_WEEKS:]) == 0:
        warnings.append(f"no new relevant postings in {QUIET_WEEKS} weeks")
    if last_success is None:
        warnings.append("no successful crawl yet")
    elif (today - last_success.date()).days > 7:
        warnings.append(f"no successful crawl since {last_success.date().isoformat()}")
    return warnings
