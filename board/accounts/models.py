"""The Editor account: an email and a modern password hash."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from board.models import Base


class Editor(UserMixin, Base):
    """A person who may use the editor pages."""

    __tablename__ = "editors"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: Bumped at logout: a session cookie made before then no longer loads the editor.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: Failed logins in a row, and until when the account refuses every password.
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)

    def get_id(self) -> str:
        """Flask-Login's session id: the account and its session version."""
        return f"{self.id}:{self.session_version or 0}"
