"""Newsletter issues: create, pick and order highlights, blurbs, and the ranked candidates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from board import audit
from board.clock import utcnow
from board.models import OPEN, Posting
from board.newsletter.models import DRAFT, PUBLISHED, Highlight, Issue
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


def all_issues(session: Session, published_only: bool = False) -> list[Issue]:
    """Issues newest first (only the published ones when asked: the public archive)."""
    statement = select(Issue).order_by(Issue.number.desc())
    if published_only:
        statement = statement.where(Issue.status == PUBLISHED)
    return list(session.scalars(statement))


def create_issue(session: Session, number: int, issued_on: date, actor: object) -> Issue:
    """A new, empty draft issue; IssueError when the number is taken or not positive."""
    if number < 1:
        raise IssueError("Issue numbers start at 1.")
    if get_issue(session, number) is not None:
        raise IssueError(f"Issue {number} already exists.")
    issue = Issue(number=number, issued_on=issued_on, created_at=utcnow(), status=DRAFT)
    session.add(issue)
    session.flush()
    audit.record(session, actor, "create issue", f"issue {number}", issued_on.isoformat())
    return issue


def current_draft(session: Session) -> Issue | None:
    """The draft issue picks go to: the highest-numbered draft."""
    return session.scalar(
        select(Issue)
        .where(Issue.status == DRAFT)
        .order_by(Issue.number.desc())
        .options(selectinload(Issue.highlights))
        .limit(1)
    )


def last_published(session: Session, exclude: Issue | None = None) -> Issue | None:
    """The latest published issue by date (then number), other than `exclude`."""
    statement = select(Issue).where(Issue.status == PUBLISHED)
    if exclude is not None:
        statement = statement.where(Issue.id != exclude.id)
    return session.scalar(statement.order_by(Issue.issued_on.desc(), Issue.number.desc()).limit(1))


def publish_warnings(session: Session, issue: Issue) -> list[str]:
    """What an editor should know before publishing: duplicates, emptiness, closed postings."""
    warnings = []
    if issue.is_published:
        warnings.append(f"Issue {issue.number} is already published.")
    same_day = session.scalars(
        select(Issue.number).where(
            Issue.issued_on == issue.issued_on, Issue.id != issue.id, Issue.status == PUBLISHED
        )
    ).all()
    if same_day:
        numbers = ", ".join(str(n) for n in sorted(same_day))
        warnings.append(f"Issue {numbers} is already published for {issue.issued_on.isoformat()}.")
    latest = last_published(session, exclude=issue)
    highest = session.scalar(
        select(func.max(Issue.number)).where(Issue.status == PUBLISHED, Issue.id != issue.id)
    )
    if highest is not None and highest >= issue.number:
        warnings.append(f"Issue {highest} is already published: numbers would go back.")
    elif highest is not None and issue.number != highest + 1:
        warnings.append(f"Issue numbers would skip from {highest} to {issue.number}.")
    if latest is not None and issue.issued_on < latest.issued_on:
        warnings.append(
            f"Issue {issue.number} is dated before issue {latest.number} "
            f"({latest.issued_on.isoformat()})."
        )
    if not issue.highlights:
        warnings.append(f"Issue {issue.number} has no highlights.")
    for h in issue.highlights:
        posting = h.posting
        if posting is not None and not posting.is_open:
            when = posting.closed_at
            since = " since it was picked" if when and h.picked_at and when >= h.picked_at else ""
            warnings.append(f"Highlight #{h.position + 1} ({h.title}) has closed{since}.")
        if posting is not None and posting.hidden:
            warnings.append(f"Highlight #{h.position + 1} ({h.title}) is hidden from the public.")
    return warnings


def publish(session: Session, issue: Issue, actor: object, force: bool = False) -> list[str]:
    """Publish a draft; IssueError with the warnings unless `force` (then they are returned)."""
    warnings = publish_warnings(session, issue)
    if issue.is_published:
        raise IssueError(warnings[0])
    if warnings and not force:
        raise IssueError(" ".join(warnings))
    issue.status = PUBLISHED
    issue.published_at = utcnow()
    detail = "; ".join(warnings) if warnings else "no warnings"
    audit.record(session, actor, "publish issue", f"issue {issue.number}", detail)
    return warnings


def unpublish(session: Session, issue: Issue, actor: object) -> None:
    """Take a published issue back to draft (the public page answers 404 again)."""
    if not issue.is_published:
        raise IssueError(f"Issue {issue.number} is a draft already.")
    issue.status = DRAFT
    issue.published_at = None
    audit.record(session, actor, "unpublish issue", f"issue {issue.number}")


def next_number(session: Session) -> int:
    """The number after the latest issue."""
    latest = session.scalar(select(Issue.number).order_by(Issue.number.desc()).limit(1))
    return (latest or 0) + 1


def new_since(session: Session, today: date, before: Issue | None = None) -> date:
    """The day "new" starts: the date of the last published issue (two weeks back without)."""
    statement = select(Issue.issued_on).where(Issue.status == PUBLISHED, Issue.issued_on <= today)
    if before is not None:
        statement = statement.where(Issue.id != before.id, Issue.issued_on <= before.issued_on)
    last = session.scalar(statement.order_by(Issue.issued_on.desc()).limit(1))
    return last or today - DEFAULT_WINDOW


def candidates(
    session: Session, today: date, before: Issue | None = None, limit: int = 100
) -> tuple[date, list[Posting]]:
    """Open, visible postings new since the last published issue, most relevant first."""
    since = new_since(session, today, before)
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
    """Posting id -> the number of the latest recent published issue that highlighted it."""
    since = today - timedelta(weeks=RECENT_WEEKS)
    statement = (
        select(Highlight.posting_id, Issue.number)
        .join(Issue)
        .where(
            Issue.issued_on >= since,
            Issue.status == PUBLISHED,
            Highlight.posting_id.is_not(None),
        )
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
        picked_at=utcnow(),
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
