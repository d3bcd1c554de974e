"""An alert (a saved search mailed daily or weekly) and the postings each alert has mailed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.models import Base

# Alert states: no mail but the confirmation goes to a pending alert.
PENDING = "pending"
ACTIVE = "active"
UNSUBSCRIBED = "unsubscribed"
STATES = (PENDING, ACTIVE, UNSUBSCRIBED)
FREQUENCIES = ("daily", "weekly")

# Delivery states: recorded as SENDING before the mail goes out, SENT once it went.
SENDING = "sending"
SENT = "sent"


class Alert(Base):
    """One address's saved search; the secret token (kept only hashed) is its private link."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    query: Mapped[str] = mapped_column(Text, default="")
    frequency: Mapped[str] = mapped_column(String(10), default="weekly")
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Postings first seen after this moment are new to the alert.
    watermark: Mapped[datetime | None] = mapped_column(DateTime)
    last_checked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    mails_sent: Mapped[int] = mapped_column(Integer, default=0)

    deliveries: Mapped[list[AlertDelivery]] = relationship(
        back_populates="alert", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_active(self) -> bool:
        """Whether the address confirmed and still wants the mail."""
        return self.status == ACTIVE


class AlertDelivery(Base):
    """A posting an alert mailed (or is mailing): never mailed twice to the same alert."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (UniqueConstraint("alert_id", "posting_id", name="uq_alert_delivery"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"))
    status: Mapped[str] = mapped_column(String(20), default=SENDING)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)

    alert: Mapped[Alert] = relationship(back_populates="deliveries")
