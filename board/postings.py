"""Posting rows: upsert from a normalized record, the duplicate lookup, sources.

Nothing here commits or deletes. Every posting change is marked in the change log
(board.changelog), which the session writes when it commits. Callers go through board.ingest.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from board import changelog, lookups
from board.clock import utcnow
from board.dedupe import dedupe_key, find_duplicate
from board.institutions import ensure_institution, reassign
from board.models import (
    CHANGE_CLOSE,
    CHANGE_MERGE,
    CHANGE_NEW,
    CHANGE_REOPEN,
    CHANGE_UPDATE,
    CLOSED,
    OPEN,
    Posting,
    PostingSource,
    Source,
    new_public_id,
)
from board.new_postings import POSTING_FIELDS, Fallback, NewLink, NewPosting, NewRows
from board.record import NormalizedRecord

_LIMITS = {
    "title": 500,
    "location_display": 300,
    "employment_type": 60,
    "requisition_id": 200,
    "unit": 300,
    "unit_slug": 200,
}
#: Upsert outcomes, as the crawl stats and import summaries count them.
NEW, UPDATED, UNCHANGED, MERGED, REOPENED = "new", "updated", "unchanged", "merged", "reopened"


def content_hash(raw: Mapping[str, Any]) -> str:
    """A stable hash of a raw record's content, to skip re-normalizing what did not change."""
    payload = {k: raw.get(k) for k in sorted(raw) if k not in ("normalized",)}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class UpsertResult:
    """What storing one record did."""

    posting: Posting | NewPosting  # a NewPosting: made as a row for the batch's INSERTs
    change: str  # NEW, UPDATED, UNCHANGED, MERGED or REOPENED
    reason: str | None = None


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
    row.institution_name = institution[:300]
    row.platform = platform[:40]
    row.url = url
    row.config = dict(config or {})
    return row


# -- postings -------------------------------------------------------------------------------


def find_link(session: Session, source_id: str, source_key: str) -> PostingSource | None:
    """The link for (source, platform id), with its posting."""
    return session.scalar(
        select(PostingSource)
        .where(PostingSource.source_id == source_id, PostingSource.source_key == source_key)
        .options(selectinload(PostingSource.posting))
    )


def known_hashes(session: Session, source_id: str, keys: Iterable[str]) -> dict[str, str]:
    """source key -> content hash last stored, for those of `keys` already stored."""
    wanted = list(dict.fromkeys(keys))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(PostingSource.source_key, PostingSource.content_hash).where(
                PostingSource.source_id == source_id,
                PostingSource.source_key.in_(wanted[start : start + 500]),
            )
        ).all()
        found.update({key: digest for key, digest in rows})
    return found


def apply_record(
    posting: Posting, record: NormalizedRecord, values: Mapping[str, Any] | None = None
) -> None:
    """Copy a normalized record onto a posting, then the editor's overrides on top.

    `values` is `record.to_dict()` when the caller already has it (made once per record)."""
    own = record.to_dict() if values is None else values
    posting.normalized = {k: _copy(v) for k, v in own.items() if k not in ("description_html",)}
    overrides = posting.overrides or {}
    shown = record.with_overrides(overrides)
    shown_values = shown.to_dict() if overrides else own
    for name in POSTING_FIELDS:
        value: Any = getattr(shown, name) if name.endswith("_on") else shown_values[name]
        if name in _LIMITS and isinstance(value, str):
            value = value[: _LIMITS[name]]
        elif name in ("summary", "description_html", "description_text") and value is None:
            value = ""
        setattr(posting, name, _copy(value))
    posting.title = posting.title or "(untitled)"
    posting.institution_name = (shown.institution or "Unknown institution")[:300]
    posting.dedupe_key = _dedupe_key(record, own)


def _copy(value: Any) -> Any:
    """A list or dict of the record's values copied (the posting's columns hold their own)."""
    if isinstance(value, list):
        return [dict(item) if isinstance(item, dict) else item for item in value]
    return dict(value) if isinstance(value, dict) else value


def reapply(posting: Posting) -> None:
    """Apply the stored normalized record again (after the editor's overrides changed)."""
    stored = dict(posting.normalized or {}, description_html=posting.description_html)
    apply_record(posting, NormalizedRecord.from_dict(stored))


def _dedupe_key(record: NormalizedRecord, values: Mapping[str, Any] | None = None) -> str | None:
    try:
        return dedupe_key(record.to_dict() if values is None else values)[:400]
    except Exception:  # noqa: BLE001 - a bad key must never stop storing the posting
        return None


def duplicate_keys(
    record: NormalizedRecord, values: Mapping[str, Any] | None = None
) -> tuple[str | None, str | None]:
    """(dedupe key, requisition id) the duplicate lookup of a record matches on (`values`:
    the record's to_dict(), when the caller has it)."""
    return _dedupe_key(record, values), (record.requisition_id or "")[:200] or None


def _find_duplicate(
    session: Session, record: NormalizedRecord, values: Mapping[str, Any]
) -> tuple[Posting, str] | None:
    """An existing posting for the same real vacancy, with why it matched."""
    key, requisition_id = duplicate_keys(record, values)
    batch = lookups.current(session)
    candidates = batch.candidates(key, requisition_id) if batch is not None else None
    if candidates is None:
        conditions = []
        if key:
            conditions.append(Posting.dedupe_key == key)
        if requisition_id:
            conditions.append(Posting.requisition_id == requisition_id)
        if not conditions:
            return None
        candidates = list(session.scalars(select(Posting).where(or_(*conditions)).limit(50)))
    if not candidates:
        return None
    # by position: a posting made earlier in the same batch has no id until the batch flushes
    existing = [dict(p.normalized or {}, id=str(n)) for n, p in enumerate(candidates)]
    match = find_duplicate(values, existing)
    if match is None:
        return None
    position = str(getattr(match, "id", ""))
    posting = candidates[int(position)] if position.isdigit() else None
    return (posting, getattr(match, "reason", "matched")) if posting else None


def upsert_posting(
    session: Session,
    record: NormalizedRecord,
    raw: Mapping[str, Any],
    source_id: str,
    source_key: str,
    now: datetime | None = None,
) -> UpsertResult:
    """Store one normalized record seen at (source, platform id); never deletes anything."""
    link = find_link(session, source_id, source_key)
    return upsert_at(session, link, record, raw, source_id, source_key, now)


def upsert_at(
    session: Session,
    link: PostingSource | None,
    record: NormalizedRecord,
    raw: Mapping[str, Any],
    source_id: str,
    source_key: str,
    now: datetime | None = None,
    *,
    values: Mapping[str, Any] | None = None,
) -> UpsertResult:
    """upsert_posting, the link for (source, platform id) already looked up (None: new);
    `values` is `record.to_dict()` when the caller has it.

    Inside a batch with lookups attached (board.lookups), nothing is flushed here: the batch
    flushes once, and the posting and link are remembered for the records after this one."""
    now = now or utcnow()
    digest = content_hash(raw)
    batch = lookups.current(session)
    if link is not None:
        result = _update_link(session, link, record, raw, digest, now, values)
        if batch is not None:
            batch.remember(result.posting)
        return result

    if values is None:  # once: the duplicate lookup and the posting's fields use it
        values = record.to_dict()
    duplicate = _find_duplicate(session, record, values)
    reason = None
    rows = batch.rows if batch is not None else None
    if rows is not None:
        if duplicate is not None:
            raise Fallback  # merges are stored the ORM way (board.new_postings)
        return _new_row(session, rows, record, values, raw, (source_id, source_key, digest), now)
    if duplicate is not None:
        posting, reason = duplicate
        change = MERGED
        if posting.status == CLOSED:
            posting.status = OPEN
            posting.closed_at = None
        posting.last_seen = now
        posting.updated_at = now
        changelog.mark(session, posting, CHANGE_MERGE)
    else:
        posting = Posting(
            public_id=new_public_id(), first_seen=now, last_seen=now, updated_at=now, status=OPEN
        )
        apply_record(posting, record, values)
        posting.institution = ensure_institution(session, record)
        session.add(posting)
        change = NEW
        changelog.mark(session, posting, CHANGE_NEW)
    link = PostingSource(
        posting=posting,
        source_id=source_id,
        source_key=source_key,
        url=record.url,
        raw=dict(raw),
        content_hash=digest,
        merge_reason=reason,
        status=OPEN,
        missing_runs=0,
        first_seen=now,
        last_seen=now,
    )
    session.add(link)
    if batch is None:
        session.flush()
    else:
        batch.add_link(link)
        batch.remember(posting)
    return UpsertResult(posting, change, reason)


def _new_row(
    session: Session,
    rows: NewRows,
    record: NormalizedRecord,
    values: Mapping[str, Any],
    raw: Mapping[str, Any],
    seen_as: tuple[str, str, str],
    now: datetime,
) -> UpsertResult:
    """A new posting and its link as rows for the batch's INSERTs (what the ORM branch of
    upsert_at makes, attribute for attribute); `seen_as`: source, source key, content hash."""
    batch = lookups.current(session)
    assert batch is not None  # noqa: S101 - only a batch carries rows
    source_id, source_key, digest = seen_as
    posting = NewPosting(new_public_id(), now)
    apply_record(posting, record, values)  # type: ignore[arg-type]
    posting.institution = ensure_institution(session, record)
    changelog.mark(session, posting, CHANGE_NEW)
    link = NewLink(
        posting=posting,
        source_id=source_id,
        source_key=source_key,
        url=record.url,
        raw=dict(raw),
        content_hash=digest,
        first_seen=now,
        last_seen=now,
    )
    rows.add(posting, link)
    batch.add_link(link)
    batch.remember(posting)
    return UpsertResult(posting, NEW)


def _update_link(
    session: Session,
    link: PostingSource,
    record: NormalizedRecord,
    raw: Mapping[str, Any],
    digest: str,
    now: datetime,
    values: Mapping[str, Any] | None = None,
) -> UpsertResult:
    posting = link.posting
    reopened = link.status == CLOSED or posting.status == CLOSED
    seen(link, now)
    if reopened:
        _reopen(session, posting, now)
    if link.content_hash == digest and not reopened:
        return UpsertResult(posting, UNCHANGED)
    link.content_hash = digest
    link.raw = dict(raw)
    link.url = record.url or link.url
    if posting.links and posting.links[0] is link:
        apply_record(posting, record, values)
        reassign(session, posting, record)
    posting.updated_at = now
    changelog.mark(session, posting, CHANGE_REOPEN if reopened else CHANGE_UPDATE)
    return UpsertResult(posting, REOPENED if reopened else UPDATED)


def seen(link: PostingSource, now: datetime) -> None:
    """A link (and its posting) seen again in this run: not missing any more."""
    link.last_seen = now
    link.missing_runs = 0
    link.status = OPEN
    link.posting.last_seen = now


def _reopen(session: Session, posting: Posting, now: datetime) -> None:
    if posting.status == CLOSED:
        posting.status = OPEN
        posting.closed_at = None
        posting.updated_at = now
        changelog.mark(session, posting, CHANGE_REOPEN)


def seen_unchanged(session: Session, link: PostingSource, now: datetime | None = None) -> str:
    """An unchanged posting seen again: UNCHANGED, or REOPENED when it had closed."""
    now = now or utcnow()
    reopened = link.status == CLOSED or link.posting.status == CLOSED
    seen(link, now)
    if reopened:
        _reopen(session, link.posting, now)
    return REOPENED if reopened else UNCHANGED


def close_posting(
    session: Session, posting: Posting, now: datetime | None = None, kind: str = CHANGE_CLOSE
) -> bool:
    """Close a posting (it keeps its page and permalink); whether it was open."""
    if posting.status == CLOSED:
        return False
    now = now or utcnow()
    posting.status = CLOSED
    posting.closed_at = now
    posting.updated_at = now
    changelog.mark(session, posting, kind)
    return True
