"""Newsletter issues and their highlights (with a snapshot that outlives the posting)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models import Base, Posting

DRAFT = "draft"
PUBLISHED = "published"
ISSUE_STATES = (DRAFT, PUBLISHED)


class Issue(Base):
    """One newsletter issue: its number, date and state (a draft is seen by editors only)."""

    __tablename__ = "newsletter_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True, index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default=DRAFT, server_default=DRAFT)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    highlights: Mapped[list[Highlight]] = relationship(
        back_populates="issue", order_by="Highlight.position", cascade="all, delete-orphan"
    )

    @property
    def is_published(self) -> bool:
        """Whether the public may read it (at /newsletter/N, in the archive and its feed)."""
        return self.status == PUBLISHED


class Highlight(Base):
    """A posting picked for an issue, with the words printed about it."""

    __tablename__ = "newsletter_highlights"
    __table_args__ = (UniqueConstraint("issue_id", "posting_id", name="uq_highlight_posting"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("newsletter_issues.id"), index=True)
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("postings.id"), index=True)
    public_id: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    institution: Mapped[str] = mapped_column(String(300))
    location_display: Mapped[str] = mapped_column(String(300), default="")
    blurb: Mapped[str] = mapped_column(Text, default="")

    picked_at: Mapped[datetime | None] = mapped_column(DateTime)

    issue: Mapped[Issue] = relationship(back_populates="highlights")
    posting: Mapped[Posting | None] = relationship()

    @property
    def heading(self) -> str:
        """ "Title - Institution, Location", as the newsletter prints it."""
        where = f", {self.location_display}" if self.location_display else ""
        return f"{self.title} - {self.institution}{where}"
