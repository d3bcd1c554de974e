"""Storage: upsert postings from normalized records, crawl runs and the closing rules.

A crawl never deletes a posting. A posting missing from a source's *complete* listing for
`close_after` consecutive successful runs closes; failed, partial or suspicious runs close
nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from board.dedupe import dedupe_key, find_duplicate
from board.models import (
    CLOSED,
    OPEN,
    RUN_FAILED,
    RUN_PARTIAL,
    RUN_SUCCESS,
    RUN_SUSPICIOUS,
    CrawlRun,
    Institution,
    Posting,
    PostingSource,
    Source,
)
from board.normalize.annual import salary_stated, yearly_usd_top
from board.places import location_label
from board.summaries import card_summary

#: Normalized fields copied onto the posting row (editor overrides win over these).
POSTING_FIELDS = (
    "title",
    "locations",
    "location_display",
    "remote",
    "role",
    "technical",
    "relevant",
    "score",
    "reasons",
    "salary",
    "posted_on",
    "closes_on",
    "review_begins_on",
    "employment_type",
    "summary",
    "description_html",
    "description_text",
    "url",
    "requisition_id",
)
DATE_FIELDS = ("posted_on", "closes_on", "review_begins_on")
#: A run with fewer items than this share of the recent median closes nothing.
SUSPICIOUS_SHARE = 0.5
_LIMITS = {"title": 500, "location_display": 300, "employment_type": 60, "requisition_id": 200}


def utcnow() -> datetime:
    """Now, in UTC, without tzinfo (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def today() -> date:
    """Today's date in UTC (closing dates, issues and charts count days by it)."""
    return utcnow().date()


def content_hash(raw: Mapping[str, Any]) -> str:
    """A stable hash of a raw record's content, to skip re-normalizing what did not change."""
    payload = {k: raw.get(k) for k in sorted(raw) if k not in ("normalized",)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@dataclass
class UpsertResult:
    """What storing one record did."""

    posting: Posting
    change: str  # "new", "updated", "unchanged", "merged", "reopened"
    reason: str | None = None


@dataclass
class RunSummary:
    """One source's crawl in a line of the final table."""

    source: str
    new: int = 0
    updated: int = 0
    closed: int = 0
    errors: int = 0
    items: int = 0
    outcome: str = RUN_SUCCESS
    message: str | None = None
    changed_ids: list[str] = field(default_factory=list)


# -- sources and institutions ---------------------------------------------------------------


def ensure_source(
    session: Session,
    source_id: str,
    institution: str,
    platform: str,
    url: str,
    config: Mapping[str, Any] | None = None,
) -> Source:
    """The source row for a registry entry, created or refreshed."""
    row = session.get(Source, source_id)
    if row is None:
        row = Source(id=source_id, created_at=utcnow(), config={})
        session.add(row)
    row.institution_name = institution
    row.platform = platform
    row.url = url
    row.config = dict(config or {})
    return row


def ensure_institution(session: Session, record: Mapping[str, Any]) -> Institution | None:
    """The canonical institution of a normalized record."""
    slug = record.get("institution_slug")
    if not slug:
        return None
    row = session.scalar(select(Institution).where(Institution.slug == slug))
    if row is None:
        row = Institution(slug=slug, name=record.get("institution") or slug)
        session.add(row)
    row.type = record.get("institution_type") or row.type
    row.sector = record.get("sector") or row.sector
    return row


# -- postings -------------------------------------------------------------------------------


def find_link(session: Session, source_id: str, source_key: str) -> PostingSource | None:
    """The link for (source, platform id), with its posting."""
    return session.scalar(
        select(PostingSource)
        .where(PostingSource.source_id == source_id, PostingSource.source_key == source_key)
        .options(selectinload(PostingSource.posting))
    )


def known_hash(session: Session, source_id: str, source_key: str) -> str | None:
    """The content hash last stored for (source, platform id), if any."""
    return session.scalar(
        select(PostingSource.content_hash).where(
            PostingSource.source_id == source_id, PostingSource.source_key == source_key
        )
    )


def apply_record(posting: Posting, record: Mapping[str, Any]) -> None:
    """Copy normalized fields onto a posting, then the editor's overrides on top."""
    merged = dict(record)
    merged.update(posting.overrides or {})
    for name in POSTING_FIELDS:
        if name not in merged:
            continue
        value = merged[name]
        if name in DATE_FIELDS:
            value = _as_date(value)
        elif name in _LIMITS and isinstance(value, str):
            value = value[: _LIMITS[name]]
        elif name in ("locations", "technical", "reasons") and value is None:
            value = []
        elif name == "role" and not value:
            value = "other"
        elif name in ("summary", "description_html", "description_text") and value is None:
            value = ""
        setattr(posting, name, value)
    posting.title = posting.title or "(untitled)"
    posting.relevant = bool(posting.relevant)
    posting.score = float(posting.score or 0.0)
    posting.institution_name = (merged.get("institution") or "Unknown institution")[:300]
    posting.normalized = {k: v for k, v in record.items() if k not in ("description_html",)}
    posting.dedupe_key = _dedupe_key(record)


def _dedupe_key(record: Mapping[str, Any]) -> str | None:
    try:
        return dedupe_key(record)[:400]
    except Exception:  # noqa: BLE001 - a bad key must never stop storing the posting
        return None


def _find_duplicate(session: Session, record: Mapping[str, Any]) -> tuple[Posting, str] | None:
    """An existing posting for the same real vacancy, with why it matched."""
    key = _dedupe_key(record)
    conditions = []
    if key:
        conditions.append(Posting.dedupe_key == key)
    requisition = record.get("requisition_id")
    if requisition:
        conditions.append(Posting.requisition_id == str(requisition)[:200])
    if not conditions:
        return None
    candidates = session.scalars(select(Posting).where(or_(*conditions)).limit(50)).all()
    if not candidates:
        return None
    by_id = {str(p.id): p for p in candidates}
    existing = [dict(p.normalized or {}, id=str(p.id)) for p in candidates]
    match = find_duplicate(dict(record), existing)
    if match is None:
        return None
    posting = by_id.get(str(getattr(match, "id", "")))
    return (posting, getattr(match, "reason", "matched")) if posting else None


def upsert_posting(
    session: Session,
    record: Mapping[str, Any],
    raw: Mapping[str, Any],
    source_id: str,
    source_key: str,
    now: datetime | None = None,
) -> UpsertResult:
    """Store one normalized record seen at (source, platform id); never deletes anything."""
    now = now or utcnow()
    digest = content_hash(raw)
    link = find_link(session, source_id, source_key)
    if link is not None:
        posting = link.posting
        reopened = link.status == CLOSED or posting.status == CLOSED
        link.last_seen = now
        link.missing_runs = 0
        link.status = OPEN
        posting.last_seen = now
        if reopened:
            posting.status = OPEN
            posting.closed_at = None
        if link.content_hash == digest and not reopened:
            return UpsertResult(posting, "unchanged")
        link.content_hash = digest
        link.raw = dict(raw)
        link.url = record.get("url") or link.url
        if posting.links and posting.links[0].id == link.id:
            apply_record(posting, record)
            posting.institution = ensure_institution(session, record)
        posting.updated_at = now
        return UpsertResult(posting, "reopened" if reopened else "updated")

    duplicate = _find_duplicate(session, record)
    reason = None
    if duplicate is not None:
        posting, reason = duplicate
        change = "merged"
        if posting.status == CLOSED:
            posting.status = OPEN
            posting.closed_at = None
        posting.last_seen = now
        posting.updated_at = now
    else:
        posting = Posting(first_seen=now, last_seen=now, updated_at=now, status=OPEN)
        apply_record(posting, record)
        posting.institution = ensure_institution(session, record)
        session.add(posting)
        change = "new"
    link = PostingSource(
        posting=posting,
        source_id=source_id,
        source_key=source_key,
        url=record.get("url"),
        raw=dict(raw),
        content_hash=digest,
        merge_reason=reason,
        status=OPEN,
        missing_runs=0,
        first_seen=now,
        last_seen=now,
    )
    session.add(link)
    session.flush()
    return UpsertResult(posting, change, reason)


def touch_link(
    session: Session, source_id: str, source_key: str, now: datetime | None = None
) -> bool:
    """Mark an unchanged posting as seen in this run; False when it is not stored yet."""
    link = find_link(session, source_id, source_key)
    if link is None:
        return False
    now = now or utcnow()
    link.last_seen = now
    link.missing_runs = 0
    link.posting.last_seen = now
    if link.status == CLOSED or link.posting.status == CLOSED:
        link.status = OPEN
        link.posting.status = OPEN
        link.posting.closed_at = None
        link.posting.updated_at = now
    return True


def close_posting(posting: Posting, now: datetime | None = None) -> None:
    """Close a posting: it keeps its page and permalink."""
    if posting.status != CLOSED:
        now = now or utcnow()
        posting.status = CLOSED
        posting.closed_at = now
        posting.updated_at = now


def expire_postings(session: Session, today: date | None = None) -> list[Posting]:
    """Close open postings whose closing date has passed."""
    today = today or utcnow().date()
    expired = session.scalars(
        select(Posting).where(Posting.status == OPEN, Posting.closes_on < today)
    ).all()
    for posting in expired:
        close_posting(posting)
    return list(expired)


# -- crawl runs ------------------------------------------------------------------------------


def start_run(session: Session, source_id: str, now: datetime | None = None) -> CrawlRun:
    """Record the start of one source's crawl."""
    run = CrawlRun(source_id=source_id, started_at=now or utcnow(), stats={})
    session.add(run)
    session.flush()
    return run


def recent_item_counts(
    session: Session, source_id: str, before_run: int, limit: int = 5
) -> list[int]:
    """Item counts of the source's recent successful runs."""
    return list(
        session.scalars(
            select(CrawlRun.items)
            .where(
                CrawlRun.source_id == source_id,
                CrawlRun.outcome == RUN_SUCCESS,
                CrawlRun.id != before_run,
            )
            .order_by(CrawlRun.started_at.desc())
            .limit(limit)
        )
    )


def finish_run(
    session: Session,
    run: CrawlRun,
    *,
    complete: bool,
    failed: bool,
    close_after: int = 3,
    now: datetime | None = None,
    message: str | None = None,
) -> RunSummary:
    """Decide the run's outcome and apply the closing rules for its source."""
    now = now or utcnow()
    run.finished_at = now
    run.complete = complete
    summary = RunSummary(
        source=run.source_id, new=run.new, updated=run.updated, errors=run.errors, items=run.items
    )
    if failed:
        run.outcome = RUN_FAILED
    elif not complete:
        run.outcome = RUN_PARTIAL
        message = message or "listing not walked completely: nothing closed"
    else:
        recent = sorted(recent_item_counts(session, run.source_id, run.id))
        median = recent[len(recent) // 2] if recent else 0
        if recent and run.items < SUSPICIOUS_SHARE * median:
            run.outcome = RUN_SUSPICIOUS
            message = message or (
                f"{run.items} items against a recent median of {median}: nothing closed"
            )
        else:
            run.outcome = RUN_SUCCESS
    run.message = message
    summary.outcome = run.outcome
    summary.message = message
    if run.outcome == RUN_SUCCESS:
        summary.closed, summary.changed_ids = _close_missing(session, run, close_after, now)
        run.closed = summary.closed
    return summary


def _close_missing(
    session: Session, run: CrawlRun, close_after: int, now: datetime
) -> tuple[int, list[str]]:
    """Count a miss for every open link not seen in this run; close those missed too often."""
    missing = session.scalars(
        select(PostingSource)
        .where(
            PostingSource.source_id == run.source_id,
            PostingSource.status == OPEN,
            PostingSource.last_seen < run.started_at,
        )
        .options(selectinload(PostingSource.posting).selectinload(Posting.links))
    ).all()
    closed = 0
    changed: list[str] = []
    for link in missing:
        link.missing_runs += 1
        if link.missing_runs < close_after:
            continue
        link.status = CLOSED
        posting = link.posting
        if all(other.status == CLOSED for other in posting.links) and posting.status == OPEN:
            close_posting(posting, now)
            closed += 1
            changed.append(posting.public_id)
    return closed, changed


# -- reading -------------------------------------------------------------------------------


def get_posting(session: Session, public_id: str) -> Posting | None:
    """A posting by its permanent public id."""
    return session.scalar(
        select(Posting)
        .where(Posting.public_id == public_id)
        .options(selectinload(Posting.links), selectinload(Posting.institution))
    )


def visible(statement):  # noqa: ANN001, ANN201 - a Select in, the same Select out
    """Restrict a posting query to what the public may see (not hidden)."""
    return statement.where(Posting.hidden.is_(False))


def count_postings(session: Session) -> int:
    """How many postings are stored."""
    return session.scalar(select(func.count(Posting.id))) or 0


def index_stamp(session: Session) -> str:
    """A stamp that changes whenever a posting does: the index records it to detect lag."""
    latest, count = session.execute(
        select(func.max(Posting.updated_at), func.count(Posting.id))
    ).one()
    return f"{count}:{latest.isoformat() if latest else '-'}"


def posting_document(posting: Posting) -> dict[str, Any]:
    """The search document for a posting (the contract of search_index)."""
    locations = posting.locations or []
    countries = sorted({loc.get("country") for loc in locations if loc.get("country")})
    regions = sorted(
        {
            f"{loc['country']}-{loc['region']}"
            for loc in locations
            if loc.get("country") and loc.get("region")
        }
    )
    cities = [loc.get("city") for loc in locations if loc.get("city")]
    names = [
        part
        for loc in locations
        for part in (loc.get("city"), loc.get("region"), loc.get("country"))
        if part
    ]
    institution = posting.institution
    summary = posting.summary or ""
    if "summary" not in (posting.overrides or {}):  # the editor's own summary stays as written
        summary = card_summary(posting.description_text, summary)
    return {
        "id": posting.public_id,
        "title": posting.title,
        "institution": posting.institution_name,
        "institution_slug": institution.slug if institution else "",
        "description": posting.description_text or "",
        "summary": summary,
        "salary": posting.salary or None,
        "salary_stated": salary_stated(posting.salary),
        "salary_usd_year": yearly_usd_top(posting.salary),
        "location_label": location_label(locations, posting.remote, posting.location_display),
        "location_display": posting.location_display or "",
        "location_text": " ".join(names + [posting.location_display or ""]),
        "countries": countries,
        "regions": regions,
        "cities": cities,
        "role": posting.role or "other",
        "technical": list(posting.technical or []),
        "sector": institution.sector if institution else None,
        "institution_type": institution.type if institution else None,
        "remote": posting.remote,
        "status": CLOSED if posting.status == CLOSED else OPEN,
        "relevant": bool(posting.relevant) and not posting.hidden,
        "hidden": bool(posting.hidden),
        "score": float(posting.score or 0.0),
        "posted_on": posting.posted_on or posting.first_seen.date(),
        "closes_on": posting.closes_on,
        "updated_at": posting.updated_at,
    }


def iter_documents(session: Session, batch: int = 1000) -> Iterator[dict[str, Any]]:
    """Every searchable (not hidden) posting's document, in id order, a batch at a time."""
    last = 0
    while True:
        rows = session.scalars(
            select(Posting)
            .where(Posting.id > last, Posting.hidden.is_(False))
            .order_by(Posting.id)
            .limit(batch)
            .options(selectinload(Posting.institution))
        ).all()
        if not rows:
            return
        for posting in rows:
            yield posting_document(posting)
        last = rows[-1].id
        session.expunge_all()


def documents_for(session: Session, public_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Search documents for some postings (to update the index after a change)."""
    ids = list(public_ids)
    if not ids:
        return []
    rows = session.scalars(
        select(Posting).where(Posting.public_id.in_(ids)).options(selectinload(Posting.institution))
    ).all()
    return [posting_document(p) for p in rows]
