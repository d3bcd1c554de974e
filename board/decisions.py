"""The editor's decisions about postings (kept, not relevant, hidden, picked): made in the
review queue (board.review), read by the newsletter's suggestions and the model's training
data. The latest decision on a posting counts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from board.models import Base, Posting

KEEP = "keep"
NOT_RELEVANT = "not_relevant"
HIDE = "hide"
PICK = "pick"
DECISIONS: tuple[str, ...] = (KEEP, NOT_RELEVANT, HIDE, PICK)
DECISION_LABELS: dict[str, str] = {
    KEEP: "Kept",
    NOT_RELEVANT: "Not relevant",
    HIDE: "Hidden",
    PICK: "Picked",
}
#: What a decision says about relevance, for the model's training data (hide says nothing).
TRAINING_LABEL: dict[str, bool] = {KEEP: True, PICK: True, NOT_RELEVANT: False}


class ReviewDecision(Base):
    """An editor's decision on a posting: keep, not relevant, hide or pick (the latest counts)."""

    __tablename__ = "review_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    actor: Mapped[str] = mapped_column(String(254))
    decision: Mapped[str] = mapped_column(String(20))
    issue_number: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)

    posting: Mapped[Posting] = relationship()


def latest_decisions(
    session: Session, posting_ids: Iterable[int] | None = None
) -> dict[int, ReviewDecision]:
    """Posting id -> its latest decision (of the given postings, or of all)."""
    statement = select(ReviewDecision).order_by(ReviewDecision.at, ReviewDecision.id)
    if posting_ids is not None:
        ids = list(posting_ids)
        if not ids:
            return {}
        statement = statement.where(ReviewDecision.posting_id.in_(ids))
    return {d.posting_id: d for d in session.scalars(statement)}
