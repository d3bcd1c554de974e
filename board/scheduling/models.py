"""The lease tables: which process crawls a source, and which crawls a host, until when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from board.models import Base


class SourceLease(Base):
    """One source's crawl lease (held while `holder` is set and `expires_at` is ahead), and when
    the scheduler last queued it."""

    __tablename__ = "source_leases"

    source_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(255))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    acquired_at: Mapped[datetime | None] = mapped_column(DateTime)
    queued_at: Mapped[datetime | None] = mapped_column(DateTime)


class HostLease(Base):
    """One host's crawl lease: at most one crawl of the pool sends requests to a host."""

    __tablename__ = "host_leases"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    holder: Mapped[str | None] = mapped_column(String(255))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    acquired_at: Mapped[datetime | None] = mapped_column(DateTime)
    source_id: Mapped[str | None] = mapped_column(String(100))
