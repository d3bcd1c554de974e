"""Editor accounts: create with a scrypt hash, authenticate, load for Flask-Login."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from board.accounts.models import Editor
from board.clock import utcnow

MIN_PASSWORD = 12
#: A hash to compare against when the email is unknown, so timing does not reveal accounts.
_DUMMY_HASH = generate_password_hash("not a real password", method="scrypt")


class AccountError(ValueError):
    """An account cannot be created as asked."""


def normalize_email(email: str) -> str:
    """The canonical form of an email address; AccountError when it is not one."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"not a valid email address: {exc}") from exc


def create_editor(session: Session, email: str, password: str) -> Editor:
    """Add an editor; AccountError for a bad email, short password or existing account."""
    address = normalize_email(email)
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    if find_editor(session, address) is not None:
        raise AccountError(f"an editor {address} already exists")
    editor = Editor(
        email=address,
        password_hash=generate_password_hash(password, method="scrypt"),
        created_at=utcnow(),
    )
    session.add(editor)
    session.flush()
    return editor


def find_editor(session: Session, email: str) -> Editor | None:
    """The editor with this email (case-insensitive)."""
    return session.scalar(select(Editor).where(func.lower(Editor.email) == email.strip().lower()))


def authenticate(session: Session, email: str, password: str) -> Editor | None:
    """The editor when the password matches, else None (in constant-ish time)."""
    editor = find_editor(session, email)
    if editor is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(editor.password_hash, password):
        return None
    editor.last_login_at = utcnow()
    return editor
