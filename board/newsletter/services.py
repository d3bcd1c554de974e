"""Newsletter issues: create, pick and order highlights, blurbs, and the ranked candidates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from board import audit
from board.clock import utcnow
from board.models import OPEN, Posting
from board.newsletter.models import Highlight, Issue
from board.submissions.text import strip_control

BLURB_MAX = 3000
#: Without an earlier issue, "new" means first seen in the last two weeks.
DEFAULT_WINDOW = timedelta(days=14)
#: A posting highlighted within this many weeks is marked in the builder.
RECENT_WEEKS = 8


class IssueError(ValueError):
    """An issue cannot be changed as asked."""


def get_issue(session: Session, number: int) -> Issue | None:
    """An issue by number, with its highlights."""
    return session.scalar(
        select(Issue).where(Issue.number == number).options(selectinload(Issue.highlights))
    )


def all_issues(session: Session, published_by: date | None = None) -> list[Issue]:
    """Issues newest first (only those dated by `published_by` when given)."""
    statement = select(Issue).order_by(Issue.number.desc())
    if published_by is not None:
        statement = statement.where(Issue.issued_on <= published_by)
    return list(session.scalars(statement))


def create_issue(session: Session, number: int, issued_on: date, actor: object) -> Issue:
    """A new, empty issue; IssueError when the number is taken or not positive."""
    if number < 1:
        raise IssueError("Issue numbers start at 1.")
    if get_issue(session, number) is not None:
        raise IssueError(f"Issue {number} already exists.")
    issue = Issue(number=number, issued_on=issued_on, created_at=utcnow())
    session.add(issue)
    session.flush()
    audit.record(session, actor, "create issue", f"issue {number}", issued_on.isoformat())
    return issue


def next_number(session: Session) -> int:
    """The number after the latest issue."""
    latest = session.scalar(select(Issue.number).order_by(Issue.number.desc()).limit(1))
    return (latest or 0) + 1


def candidates(
    session: Session, today: date, before: Issue | None = None, limit: int = 100
) -> tuple[date, list[Posting]]:
    """Open, visible postings new since the last issue, most relevant first."""
    statement = select(Issue.issued_on).where(Issue.issued_on <= today)
    if before is not None:
        statement = statement.where(Issue.id != before.id, Issue.issued_on <= before.issued_on)
    last = session.scalar(statement.order_by(Issue.issued_on.desc()).limit(1))
    since = last or today - DEFAULT_WINDOW
    postings = session.scalars(
        select(Posting)
        .where(
            Posting.hidden.is_(False),
            Posting.status == OPEN,
            Posting.first_seen >= datetime.combine(since, datetime.min.time()),
        )
        .order_by(Posting.relevant.desc(), Posting.score.desc(), Posting.first_seen.desc())
        .limit(limit)
    )
    return since, list(postings)


def recently_highlighted(
    session: Session, today: date, exclude: Issue | None = None
) -> dict[int, int]:
    """Posting id -> the number of the latest recent issue that highlighted it."""
    since = today - timedelta(weeks=RECENT_WEEKS)
    statement = (
        select(Highlight.posting_id, Issue.number)
        .join(Issue)
        .where(Issue.issued_on >= since, Highlight.posting_id.is_not(None))
        .order_by(Issue.number)
    )
    if exclude is not None:
        statement = statement.where(Issue.id != exclude.id)
    return {
        int(posting_id): number
        for posting_id, number in session.execute(statement)
        if posting_id is not None
    }


def default_blurb(posting: Posting) -> str:
    """The blurb to start from: the posting's summary (or the start of its text)."""
    text = posting.summary or posting.description_text or ""
    return clean_blurb(text)[:1200]


def clean_blurb(text: str) -> str:
    """A blurb as one paragraph of plain text."""
    return " ".join(strip_control(text or "").split())


def pick(
    session: Session, issue: Issue, posting: Posting, actor: object, blurb: str | None = None
) -> Highlight:
    """Add a posting to an issue's highlights, at the end, with a snapshot of its heading."""
    if any(h.posting_id == posting.id for h in issue.highlights):
        raise IssueError(f"{posting.title} is already in issue {issue.number}.")
    text = clean_blurb(blurb) if blurb is not None else default_blurb(posting)
    if len(text) > BLURB_MAX:
        raise IssueError(f"A blurb has at most {BLURB_MAX} characters.")
    highlight = Highlight(
        posting=posting,
        public_id=posting.public_id,
        position=len(issue.highlights),
        title=posting.title,
        institution=posting.institution_name,
        location_display=posting.location_display or "",
        blurb=text,
    )
    issue.highlights.append(highlight)
    session.flush()
    audit.record(session, actor, "pick highlight", f"issue {issue.number}", posting.public_id)
    return highlight


def _highlight(issue: Issue, highlight_id: int) -> Highlight:
    found = next((h for h in issue.highlights if h.id == highlight_id), None)
    if found is None:
        raise IssueError("No such highlight in this issue.")
    return found


def set_blurb(session: Session, issue: Issue, highlight_id: int, blurb: str, actor: object) -> None:
    """Replace a highlight's blurb."""
    text = clean_blurb(blurb)
    if len(text) > BLURB_MAX:
        raise IssueError(f"A blurb has at most {BLURB_MAX} characters.")
    highlight = _highlight(issue, highlight_id)
    highlight.blurb = text
    audit.record(session, actor, "edit blurb", f"issue {issue.number}", highlight.public_id)


def move(session: Session, issue: Issue, highlight_id: int, delta: int, actor: object) -> None:
    """Move a highlight up (-1) or down (+1)."""
    ordered = list(issue.highlights)
    highlight = _highlight(issue, highlight_id)
    index = ordered.index(highlight)
    target = min(max(index + delta, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        item.position = position
    issue.highlights[:] = ordered
    audit.record(session, actor, "reorder highlights", f"issue {issue.number}", highlight.public_id)


def remove(session: Session, issue: Issue, highlight_id: int, actor: object) -> None:
    """Drop a highlight from an issue."""
    highlight = _highlight(issue, highlight_id)
    issue.highlights.remove(highlight)
    for position, item in enumerate(issue.highlights):
        item.position = position
    audit.record(session, actor, "remove highlight", f"issue {issue.number}", highlight.public_id)
