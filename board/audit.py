"""The audit log of editor actions: who did what to which thing, and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from board.clock import utcnow
from board.models import Base


class AuditEntry(Base):
    """One editor action."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("editors.id"))
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="")


def record(
    session: Session, actor: object, action: str, target: str, detail: str = ""
) -> AuditEntry:
    """Add an audit entry for `actor` (an Editor, or a label such as "cli")."""
    email = getattr(actor, "email", None)
    entry = AuditEntry(
        at=utcnow(),
        editor_id=getattr(actor, "id", None) if email else None,
        actor=(email or str(actor))[:254],
        action=action[:60],
        target=target[:200],
        detail=detail[:2000],
    )
    session.add(entry)
    return entry


def recent(session: Session, limit: int = 50) -> list[AuditEntry]:
    """The latest audit entries, newest first."""
    return list(
        session.scalars(
            select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
        )
    )
