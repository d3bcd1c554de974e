"""Mail to the editors about waiting submissions: one mail per new submission (sent after it is
stored and committed), and `rcjobs submissions digest`, one mail listing every one that waits."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from board.mail import Mailer, send_safely
from board.submissions.models import PENDING, Submission


@dataclass(frozen=True)
class Audience:
    """Who hears of a new submission, and how many wait in all (read before any mail goes)."""

    editors: list[str]
    waiting: int


def editor_addresses(session: Session) -> list[str]:
    """Every editor account's address."""
    from board.accounts.models import Editor

    return list(session.scalars(select(Editor.email).order_by(Editor.email)))


def audience(session: Session) -> Audience:
    """The editors' addresses and the number of waiting submissions."""
    statement = select(func.count(Submission.id)).where(Submission.status == PENDING)
    return Audience(editor_addresses(session), session.scalar(statement) or 0)


def _summary(submission: Submission, review_url: str) -> list[str]:
    received = submission.created_at.strftime("%Y-%m-%d %H:%M UTC") if submission.created_at else ""
    closes = submission.closes_on.isoformat() if submission.closes_on else "?"
    return [
        f"{submission.title}",
        f"  {submission.institution} · {submission.location}",
        f"  closes {closes}; received {received}",
        f"  from {submission.contact_name} <{submission.contact_email}>",
        f"  review: {review_url}",
    ]


def announce_new(mailer: Mailer, submission: Submission, review_url: str, to: Audience) -> int:
    """Tell every editor a submission waits for review; how many mails went out."""
    body = "\n".join(
        [
            "A posting was submitted and waits for review:",
            "",
            *_summary(submission, review_url),
            "",
            f"{to.waiting} submission(s) wait in all.",
            "",
            "-- rcjobs",
            "",
        ]
    )
    subject = f"Submission to review: {submission.title}"
    return sum(send_safely(mailer, address, subject, body) for address in to.editors)


def digest(
    session: Session, mailer: Mailer, review_url: Callable[[Submission], str]
) -> tuple[int, int]:
    """Mail every editor the list of submissions waiting (nothing when none waits):
    (submissions listed, mails sent). Give it a read session: no lock is held while mailing."""
    waiting = _pending(session)
    if not waiting:
        return 0, 0
    editors = editor_addresses(session)
    lines = [f"{len(waiting)} submission(s) wait for review, oldest first:", ""]
    for submission in waiting:
        lines += [*_summary(submission, review_url(submission)), ""]
    lines += ["-- rcjobs", ""]
    subject = f"{len(waiting)} submission(s) wait for review"
    body = "\n".join(lines)
    return len(waiting), sum(send_safely(mailer, to, subject, body) for to in editors)


def _pending(session: Session) -> Sequence[Submission]:
    statement = select(Submission).where(Submission.status == PENDING)
    return list(session.scalars(statement.order_by(Submission.created_at, Submission.id)))
