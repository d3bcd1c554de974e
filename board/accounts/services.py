"""Editor accounts: create with a scrypt hash, authenticate, load for Flask-Login."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from board.accounts.models import Editor
from board.clock import utcnow

MIN_PASSWORD = 12
#: Failed logins in a row before the account locks; each further failure doubles the lock.
LOCK_AFTER = 5
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=24)
#: A hash to compare against when the email is unknown, so timing does not reveal accounts:
#: generate_password_hash("not a real password", method="scrypt") made once and written here
#: (made at import it cost a third of the site's start-up); its parameters are werkzeug's
#: scrypt defaults, the ones every editor's hash is made with (tested).
_DUMMY_HASH = (
    "scrypt:32768:8:1$8ilgHO2wjLvJAEQw$566d5aee071039d5a24204d8c11cc59d6ffc1f2ec9f4f97a6a59a0c7"
    "c77826a345b56196338243f9faf87927cb58a59314856ef9558d871b8ff3b5db60e58ccf"
)


class AccountError(ValueError):
    """An account cannot be created as asked."""


def normalize_email(email: str) -> str:
    """The canonical form of an email address; AccountError when it is not one."""
    from email_validator import EmailNotValidError, validate_email  # heavy: not at start-up

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


def lock_for(failures: int) -> timedelta | None:
    """How long an account locks after this many failed logins in a row (None: not yet)."""
    if failures < LOCK_AFTER:
        return None
    return min(FIRST_LOCK * 2 ** min(failures - LOCK_AFTER, 20), LONGEST_LOCK)


def is_locked(editor: Editor, now: datetime | None = None) -> bool:
    """Whether the account refuses every password until its lock ends."""
    return editor.locked_until is not None and editor.locked_until > (now or utcnow())


def authenticate(session: Session, email: str, password: str) -> Editor | None:
    """The editor when the password matches and the account is not locked, else None.

    Unknown accounts, wrong passwords and locked accounts take the same time and answer alike;
    the caller commits either way, so that failures count (per account, whatever the address).
    """
    editor = find_editor(session, email)
    now = utcnow()
    if editor is None or is_locked(editor, now):
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(editor.password_hash, password):
        _count_failure(session, editor, now)
        return None
    editor.failed_logins = 0
    editor.locked_until = None
    editor.last_login_at = now
    return editor


def _count_failure(session: Session, editor: Editor, now: datetime) -> None:
    """One more failure, counted in SQL so that simultaneous attempts all count."""
    session.execute(
        update(Editor)
        .where(Editor.id == editor.id)
        .values(failed_logins=Editor.failed_logins + 1)
        .execution_options(synchronize_session=False)
    )
    session.refresh(editor, ["failed_logins"])
    lock = lock_for(editor.failed_logins)
    if lock is not None:
        editor.locked_until = now + lock


def load_session_editor(session: Session, session_id: str) -> Editor | None:
    """The editor of a Flask-Login id "<editor id>:<session version>", if still current."""
    editor_id, _, version = str(session_id).partition(":")
    if not editor_id.isdigit() or not version.isdigit():
        return None
    editor = session.get(Editor, int(editor_id))
    if editor is None or (editor.session_version or 0) != int(version):
        return None
    return editor


def end_sessions(session: Session, editor: object) -> None:
    """Invalidate every session of an editor (the next request of any copy is anonymous)."""
    if isinstance(editor, Editor):
        session.execute(
            update(Editor)
            .where(Editor.id == editor.id)
            .values(session_version=Editor.session_version + 1)
            .execution_options(synchronize_session=False)
        )
