"""The review queue: postings new since the last published issue, ranked; one decision each.

A decision (keep, not relevant, hide, pick) is recorded in review_decisions and the audit log,
and applied through the editor's actions (board.corrections, so through board.ingest and
the change log): not relevant and hide change what the public sees, keep marks a posting the
model missed relevant, pick adds it to the current draft issue. The latest decision on a
posting is its label for training the relevance model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from board import audit
from board.clock import utcnow
from board.corrections import set_hidden, set_relevant
from board.decisions import (
    DECISION_LABELS,
    DECISIONS,
    HIDE,
    KEEP,
    NOT_RELEVANT,
    PICK,
    TRAINING_LABEL,
    ReviewDecision,
    latest_decisions,
)
from board.models import OPEN, Posting
from board.newsletter import services as issues
from board.newsletter.models import Issue
from board.review.reasons import one_line
from board.vocabulary import label

#: The most postings one queue page holds (a week brings a few dozen to a few hundred).
QUEUE_LIMIT = 500
WAITING = "waiting"
SHOW_CHOICES: tuple[str, ...] = (WAITING, "all", *DECISIONS)


class ReviewError(ValueError):
    """A decision cannot be made as asked."""


@dataclass
class Filters:
    """The queue's filters, read from the query string (bad values are dropped, not errors)."""

    min_score: float | None = None
    max_score: float | None = None
    source: str = ""
    country: str = ""
    show: str = WAITING

    @classmethod
    def from_args(cls, args: object) -> Filters:
        """Filters from a request's args (a MultiDict or a dict)."""
        get = getattr(args, "get", None) or (lambda _key, _default=None: None)
        show = str(get("show", WAITING) or WAITING)
        return cls(
            min_score=_score(get("min_score")),
            max_score=_score(get("max_score")),
            source=str(get("source", "") or "")[:100],
            country=str(get("country", "") or "")[:2].upper(),
            show=show if show in SHOW_CHOICES else WAITING,
        )

    def args(self) -> dict[str, str]:
        """The filters as query-string arguments (defaults left out)."""
        found = {
            "min_score": "" if self.min_score is None else f"{self.min_score:g}",
            "max_score": "" if self.max_score is None else f"{self.max_score:g}",
            "source": self.source,
            "country": self.country,
            "show": "" if self.show == WAITING else self.show,
        }
        return {k: v for k, v in found.items() if v}


def _score(value: object) -> float | None:
    try:
        number = float(str(value))
    except (TypeError, ValueError):
        return None
    return min(max(number, 0.0), 1.0) if number == number else None  # NaN is dropped


@dataclass
class Row:
    """One posting in the queue, with what the table shows."""

    posting: Posting
    decision: ReviewDecision | None
    reason: str
    role: str
    sources: list[str]
    countries: list[str]
    highlighted_in: int | None = None
    in_draft: bool = False

    @property
    def decision_label(self) -> str:
        """ "Kept", "Not relevant", ... or "" while waiting."""
        return DECISION_LABELS.get(self.decision.decision, "") if self.decision else ""


@dataclass
class Queue:
    """The queue as shown: the rows after filters, and the choices the filters offer."""

    since: date
    rows: list[Row]
    total: int
    waiting: int
    sources: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    draft: Issue | None = None


def _countries(posting: Posting) -> list[str]:
    return sorted(
        {
            str(loc.get("country") or "").upper()
            for loc in posting.locations or []
            if isinstance(loc, dict) and loc.get("country")
        }
    )


def queue(session: Session, today: date, filters: Filters | None = None) -> Queue:
    """Open postings new since the last published issue, most relevant first, filtered."""
    filters = filters or Filters()
    since = issues.new_since(session, today)
    postings = list(
        session.scalars(
            select(Posting)
            .where(
                Posting.status == OPEN,
                Posting.first_seen >= datetime.combine(since, datetime.min.time()),
            )
            .options(selectinload(Posting.links))
            .order_by(Posting.score.desc(), Posting.first_seen.desc(), Posting.id.desc())
            .limit(QUEUE_LIMIT)
        )
    )
    decided = latest_decisions(session, [p.id for p in postings])
    highlighted = issues.recently_highlighted(session, today)
    draft = issues.current_draft(session)
    drafted = {h.posting_id for h in draft.highlights} if draft else set()
    rows = [
        Row(
            posting=p,
            decision=decided.get(p.id),
            reason=one_line(p.reasons, p.overrides, role_shown=True),
            role=label("role", p.role or "other"),
            sources=sorted({link.source_id for link in p.links}),
            countries=_countries(p),
            highlighted_in=highlighted.get(p.id),
            in_draft=p.id in drafted,
        )
        for p in postings
    ]
    # A hidden posting stays in the queue only when its hiding was decided here.
    rows = [r for r in rows if not r.posting.hidden or r.decision is not None]
    waiting = sum(1 for r in rows if r.decision is None)
    shown = [r for r in rows if _keep(r, filters)]
    return Queue(
        since=since,
        rows=shown,
        total=len(rows),
        waiting=waiting,
        sources=sorted({s for r in rows for s in r.sources}),
        countries=sorted({c for r in rows for c in r.countries}),
        draft=draft,
    )


def _keep(row: Row, filters: Filters) -> bool:
    score = row.posting.score or 0.0
    if filters.min_score is not None and score < filters.min_score:
        return False
    if filters.max_score is not None and score > filters.max_score:
        return False
    if filters.source and filters.source not in row.sources:
        return False
    if filters.country and filters.country not in row.countries:
        return False
    if filters.show == WAITING:
        return row.decision is None
    if filters.show in DECISIONS:
        return row.decision is not None and row.decision.decision == filters.show
    return True


def waiting_count(session: Session, today: date) -> int:
    """How many new postings wait for a decision (the dashboard's figure)."""
    return queue(session, today).waiting


@dataclass
class Outcome:
    """What a decision did: its words for the editor, and whether the index must follow."""

    message: str
    reindex: bool


def decide(session: Session, posting: Posting, decision: str, editor: object) -> Outcome:
    """Record and apply one decision; ReviewError for an unknown one or a pick without a draft."""
    if decision not in DECISIONS:
        raise ReviewError(f"Unknown decision {decision!r}.")
    before = (posting.version, posting.hidden, posting.relevant)
    issue_number = None
    message = ""
    if decision == KEEP:
        if posting.hidden:
            set_hidden(session, posting, False, editor)
        if not posting.relevant:
            set_relevant(session, posting, True, editor)
        message = f"Kept: {posting.title}."
    elif decision == NOT_RELEVANT:
        set_relevant(session, posting, False, editor)
        message = f"Marked not relevant: {posting.title}."
    elif decision == HIDE:
        set_hidden(session, posting, True, editor)
        message = f"Hidden: {posting.title}."
    elif decision == PICK:
        draft = issues.current_draft(session)
        if draft is None:
            raise ReviewError("There is no draft issue to pick into: create one first.")
        if not any(h.posting_id == posting.id for h in draft.highlights):
            issues.pick(session, draft, posting, editor)
        if not posting.relevant:
            set_relevant(session, posting, True, editor)
        issue_number = draft.number
        message = f"Picked for issue {draft.number}: {posting.title}."
    session.add(
        ReviewDecision(
            posting_id=posting.id,
            editor_id=getattr(editor, "id", None) if getattr(editor, "email", None) else None,
            actor=(getattr(editor, "email", None) or str(editor))[:254],
            decision=decision,
            issue_number=issue_number,
            at=utcnow(),
        )
    )
    audit.record(
        session,
        editor,
        f"review: {DECISION_LABELS[decision].lower()}",
        f"posting {posting.public_id}",
        posting.title,
    )
    session.flush()
    return Outcome(message, (posting.version, posting.hidden, posting.relevant) != before)


def training_labels(session: Session) -> list[tuple[Posting, bool, str]]:
    """(posting, relevant, decision) for every posting whose latest decision says relevance."""
    decided = latest_decisions(session)
    if not decided:
        return []
    postings = {
        p.id: p for p in session.scalars(select(Posting).where(Posting.id.in_(list(decided))))
    }
    return [
        (postings[pid], TRAINING_LABEL[d.decision], d.decision)
        for pid, d in sorted(decided.items())
        if d.decision in TRAINING_LABEL and pid in postings
    ]


def decision_counts(session: Session) -> dict[str, int]:
    """How many decisions of each kind were ever made."""
    rows = session.execute(
        select(ReviewDecision.decision, func.count()).group_by(ReviewDecision.decision)
    )
    return {decision: int(count) for decision, count in rows}
