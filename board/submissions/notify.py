"""Mail to the editors about waiting submissions: one mail per new submission (sent after it is
stored and committed), and `rcjobs submissions digest`, one mail listing every one that waits."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from board.mail import Mailer, send_safely
from board.submissions.models import PENDING, Submission


def editor_addresses(session: Session) -> list[str]:
    """Every editor account's address."""
    from board.accounts.models import Editor

    return list(session.scalars(select(Editor.email).order_by(Editor.email)))


def _summary(submission: Submission, review_url: str) -> list[str]:
    received = submission.created_at.strftime("%Y-%m-%d %H:%M UTC") if submission.created_at else ""
    return [
        f"{submission.title}",
        f"  {submission.institution} · {submission.location}",
        f"  closes {submission.closes_on.isoformat() if submission.closes_on else '?'};"
        f" received {received}",
        f"  from {submission.contact_name} <{submission.contact_email}>",
        f"  review: {review_url}",
    ]


def announce_new(session: Session, mailer: Mailer, submission: Submission, review_url: str) -> int:
    """Tell every editor a submission waits for review; how many mails went out."""
    waiting = _count_pending(session)
    body = "\n".join(
        [
            "A posting was submitted and waits for review:",
            "",
            *_summary(submission, review_url),
            "",
            f"{waiting} submission(s) wait in all.",
            "",
            "-- rcjobs",
            "",
        ]
    )
    subject = f"Submission to review: {submission.title}"
    return sum(send_safely(mailer, to, subject, body) for to in editor_addresses(session))


def digest(
    session: Session, mailer: Mailer, review_url: Callable[[Submission], str]
) -> tuple[int, int]:
    """Mail every editor the list of submissions waiting (nothing when none waits):
    (submissions listed, mails sent)."""
    waiting = _pending(session)
    if not waiting:
        return 0, 0
    lines = [f"{len(waiting)} submission(s) wait for review, oldest first:", ""]
    for submission in waiting:
        lines += [*_summary(submission, review_url(submission)), ""]
    lines += ["-- rcjobs", ""]
    subject = f"{len(waiting)} submission(s) wait for review"
    sent = sum(
        send_safely(mailer, to, subject, "\n".join(lines)) for to in editor_addresses(session)
    )
    return len(waiting), sent


def _pending(session: Session) -> Sequence[Submission]:
    statement = select(Submission).where(Submission.status == PENDING)
    return list(session.scalars(statement.order_by(Submission.created_at, Submission.id)))


def _count_pending(session: Session) -> int:
    return len(_pending(session))
