"""A submitted posting and its moderation state."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from board.models import Base

PENDING = "pending"
APPROVED = "approved"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
STATES = (PENDING, APPROVED, REJECTED, WITHDRAWN)

#: The form fields a submission keeps, in the order the form shows them.
FIELDS = (
    "title",
    "institution",
    "location",
    "url",
    "description",
    "closes_on",
    "work_arrangement",
    "employment_type",
    "role",
    "salary_min",
    "salary_max",
    "salary_currency",
    "salary_period",
    "salary",
    "contact_name",
    "contact_email",
)


class Submission(Base):
    """A posting sent through /submit; it becomes a Posting when approved."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    nonce: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    title: Mapped[str] = mapped_column(String(200))
    institution: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2000))
    description: Mapped[str] = mapped_column(Text)
    closes_on: Mapped[date] = mapped_column(Date)
    salary: Mapped[str | None] = mapped_column(String(120))
    #: What the submitter stated outright (board.submissions.stated); None when not stated.
    work_arrangement: Mapped[str | None] = mapped_column(String(20))
    employment_type: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str | None] = mapped_column(String(40))
    salary_min: Mapped[float | None] = mapped_column(Float)
    salary_max: Mapped[float | None] = mapped_column(Float)
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_period: Mapped[str | None] = mapped_column(String(10))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    normalized: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    posting_id: Mapped[int | None] = mapped_column(ForeignKey("postings.id"))

    @property
    def is_pending(self) -> bool:
        """Whether the submitter may still edit or withdraw it."""
        return self.status == PENDING

    def form_data(self) -> dict[str, Any]:
        """The submitted fields, as the form takes them."""
        data = {name: getattr(self, name) for name in FIELDS}
        data["salary_period"] = data["salary_period"] or "year"
        return data
