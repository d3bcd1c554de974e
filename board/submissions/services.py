"""Submissions: normalize like the crawler, store, moderate, and turn into postings."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from board import audit
from board.clock import utcnow
from board.mail import Mailer, send_safely
from board.models import Posting
from board.record import NormalizedRecord
from board.submissions.models import (
    APPROVED,
    FIELDS,
    PENDING,
    REJECTED,
    WITHDRAWN,
    Submission,
)
from board.submissions.stated import STATED, apply_stated, stated_salary
from board.submissions.text import clean_html, render_description

log = logging.getLogger(__name__)
SOURCE_ID = "submissions"
DECIDED = (APPROVED, REJECTED, WITHDRAWN)
#: Fields stored as NULL when left empty.
OPTIONAL = frozenset({"salary", *STATED})


class SubmissionError(ValueError):
    """A submission cannot be stored or changed as asked (the message says why)."""


@dataclass
class Draft:
    """A submission as the preview shows it: the fields, safe HTML and the normalized record."""

    fields: dict[str, Any]
    description_html: str
    normalized: dict[str, Any]


def token_hash(token: str) -> str:
    """What is stored of a status-link token (the token itself is only in the link)."""
    return hashlib.sha256(token.encode()).hexdigest()


def raw_record(fields: Mapping[str, Any], source_key: str | None = None) -> dict[str, Any]:
    """The raw record the normalizer takes, as a crawl would produce it."""
    closes = fields.get("closes_on")
    raw = {
        "title": fields.get("title"),
        "institution": fields.get("institution"),
        "location": fields.get("location"),
        "description": render_description(fields.get("description") or ""),
        "url": fields.get("url"),
        "closes": closes.isoformat() if isinstance(closes, date) else closes,
        "salary": stated_salary(fields) or fields.get("salary") or None,
        "source": SOURCE_ID,
        "source_id": source_key,
    }
    if fields.get("employment_type"):
        raw["employment_type"] = str(fields["employment_type"]).replace("_", "-")
    return raw


def normalize(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The crawler's normalizer, with the description HTML cleaned once more."""
    from board.normalize import normalize_record

    try:
        record = dict(normalize_record(dict(raw)))
    except Exception as exc:  # noqa: BLE001 - shown to the submitter as a field-free error
        raise SubmissionError(f"We could not read this posting: {exc}") from exc
    record["description_html"] = clean_html(
        record.get("description_html") or raw.get("description") or ""
    )
    return record


def normalized(fields: Mapping[str, Any], source_key: str | None = None) -> dict[str, Any]:
    """The posting the fields make: the crawler's normalizer, then what the submitter stated."""
    return apply_stated(normalize(raw_record(fields, source_key)), fields)


def draft(fields: Mapping[str, Any]) -> Draft:
    """Normalize the form's fields for the preview."""
    raw = raw_record(fields)
    return Draft(dict(fields), raw["description"], normalized(fields))


def create(session: Session, fields: Mapping[str, Any], nonce: str) -> tuple[Submission, str]:
    """Store a pending submission once per preview nonce; its private status token."""
    if session.scalar(select(Submission.id).where(Submission.nonce == nonce)) is not None:
        raise SubmissionError("This submission was already sent.")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    submission = Submission(
        token_hash=token_hash(token), nonce=nonce, status=PENDING, created_at=now, updated_at=now
    )
    _apply(submission, fields)
    session.add(submission)
    try:
        session.flush()
    except IntegrityError as exc:  # the same nonce sent twice at once
        session.rollback()
        raise SubmissionError("This submission was already sent.") from exc
    return submission, token


def _apply(submission: Submission, fields: Mapping[str, Any]) -> None:
    """Copy the fields and their normalized record onto the submission."""
    for name in FIELDS:
        value = fields.get(name)
        if name in OPTIONAL:
            value = None if value in (None, "") else value
        setattr(submission, name, value if name in OPTIONAL else value or "")
    submission.normalized = _jsonable(normalized(fields))


def _jsonable(record: Mapping[str, Any]) -> dict[str, Any]:
    """A normalized record with dates as ISO strings (stored as JSON)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in record.items()}


def by_token(session: Session, token: str) -> Submission | None:
    """The submission behind a status-link token."""
    if not token or len(token) > 100:
        return None
    return session.scalar(select(Submission).where(Submission.token_hash == token_hash(token)))


def update(session: Session, submission: Submission, fields: Mapping[str, Any]) -> None:
    """Change a pending submission (the submitter's edit)."""
    _require_pending(submission)
    _apply(submission, fields)
    submission.updated_at = utcnow()


def withdraw(session: Session, submission: Submission) -> None:
    """Withdraw a pending submission."""
    _require_pending(submission)
    submission.status = WITHDRAWN
    submission.updated_at = submission.decided_at = utcnow()


def _require_pending(submission: Submission) -> None:
    if submission.status != PENDING:
        raise SubmissionError(f"This submission is {submission.status} and can no longer change.")


def queue(session: Session, status: str = PENDING) -> list[Submission]:
    """Submissions in one state, oldest first."""
    return list(
        session.scalars(
            select(Submission).where(Submission.status == status).order_by(Submission.created_at)
        )
    )


@dataclass
class DecidedPage:
    """One page of decided submissions, most recently decided first."""

    items: list[Submission]
    total: int
    page: int
    pages: int


def decided(
    session: Session, state: str | None = None, page: int = 1, per_page: int = 25
) -> DecidedPage:
    """Approved, rejected and withdrawn submissions (or those of one state), a page at a time."""
    if state is not None and state not in DECIDED:
        raise SubmissionError(f"Unknown state {state[:40]!r}.")
    where = Submission.status.in_([state] if state else DECIDED)
    total = session.scalar(select(func.count(Submission.id)).where(where)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    items = session.scalars(
        select(Submission)
        .where(where)
        .order_by(Submission.decided_at.desc(), Submission.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    return DecidedPage(list(items), total, page, pages)


def approve(
    session: Session, submission: Submission, editor: object, base_url: str, reason: str = ""
) -> Posting:
    """Turn a pending submission into a posting (merging with a crawled copy)."""
    from board import ingest  # late: the ingest path is not needed to start the site

    _require_pending(submission)
    fields, key = submission.form_data(), f"submission-{submission.id}"
    raw = raw_record(fields, key)
    source = ingest.SourceInfo(SOURCE_ID, "Submitted postings", "form", f"{base_url}/submit")
    record = NormalizedRecord.from_dict(normalized(fields, key))
    outcome, posting = ingest.store_record(session, raw, source, record)
    _decide(submission, APPROVED, editor, reason)
    submission.posting_id = posting.id
    detail = f"posting {posting.public_id} ({outcome.status})"
    audit.record(session, editor, "approve submission", f"submission {submission.id}", detail)
    return posting


def reject(session: Session, submission: Submission, editor: object, reason: str) -> None:
    """Reject a pending submission with a reason the submitter will read."""
    _require_pending(submission)
    if not reason.strip():
        raise SubmissionError("Say why the submission is rejected.")
    _decide(submission, REJECTED, editor, reason)
    audit.record(session, editor, "reject submission", f"submission {submission.id}", reason)


def _decide(submission: Submission, status: str, editor: object, reason: str) -> None:
    submission.status = status
    submission.reason = reason.strip() or None
    submission.decided_at = submission.updated_at = utcnow()
    submission.decided_by = getattr(editor, "id", None)


# -- mail (always after the commit) ---------------------------------------------------------


def acknowledge(mailer: Mailer, submission: Submission, status_url: str) -> bool:
    """Tell the submitter we have it, with the private status link."""
    body = (
        f"Hello {submission.contact_name},\n\n"
        f'Thank you for submitting "{submission.title}" ({submission.institution}).\n'
        "An editor will review it soon. Follow, edit or withdraw it here (keep this link"
        f" private):\n\n{status_url}\n\n-- rcjobs\n"
    )
    return send_safely(mailer, submission.contact_email, f"Received: {submission.title}", body)


def announce_decision(
    mailer: Mailer, submission: Submission, posting_url: str | None, status_url: str | None = None
) -> bool:
    """Tell the submitter the editor's decision and reason."""
    lines = [f"Hello {submission.contact_name},", ""]
    if submission.status == APPROVED:
        lines.append(f'"{submission.title}" is now on the job board:')
        lines.append(posting_url or "")
    else:
        lines.append(f'"{submission.title}" was not accepted for the job board.')
    if submission.reason:
        lines += ["", f"The editor's note: {submission.reason}"]
    if status_url:
        lines += ["", f"Status: {status_url}"]
    lines += ["", "-- rcjobs", ""]
    subject = f"{submission.status.capitalize()}: {submission.title}"
    return send_safely(mailer, submission.contact_email, subject, "\n".join(lines))
