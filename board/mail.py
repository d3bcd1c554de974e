"""Outgoing mail: a file-backed mailer by default and in tests, SMTP when configured.

Callers store and commit first, then send through `send_safely`: a mail failure is logged
and never loses what was stored.
"""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import uuid
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Protocol

from board.config import Settings

log = logging.getLogger(__name__)
DEFAULT_FROM = "rcjobs <jobs@localhost>"


def one_line(text: str, limit: int = 200) -> str:
    """Header-safe text: no line breaks (no header injection), bounded length."""
    return " ".join(str(text).split())[:limit]


def build_message(
    sender: str, to: str, subject: str, body: str, headers: Mapping[str, str] | None = None
) -> EmailMessage:
    """A plain-text message (with extra headers, such as List-Unsubscribe); text, never HTML."""
    message = EmailMessage()
    message["From"] = one_line(sender)
    message["To"] = one_line(to, 254)
    message["Subject"] = one_line(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="rcjobs.local")
    for name, value in (headers or {}).items():
        message[one_line(name, 80)] = one_line(value, 2000)
    message.set_content(body)
    return message


class Mailer(Protocol):
    """Something that sends a plain-text message."""

    def send(
        self, to: str, subject: str, body: str, headers: Mapping[str, str] | None = None
    ) -> None:
        """Send one message (raises on failure)."""


class FileMailer:
    """Writes each message as an .eml file into a folder."""

    def __init__(self, folder: Path, sender: str = DEFAULT_FROM) -> None:
        self.folder = Path(folder)
        self.sender = sender

    def send(
        self, to: str, subject: str, body: str, headers: Mapping[str, str] | None = None
    ) -> None:
        """Write the message to `folder/<uuid>.eml`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        message = build_message(self.sender, to, subject, body, headers)
        (self.folder / f"{uuid.uuid4().hex}.eml").write_bytes(message.as_bytes())


class SmtpMailer:
    """Sends through an SMTP server (STARTTLS by default)."""

    def __init__(
        self,
        host: str,
        port: int = 587,
        user: str | None = None,
        password: str | None = None,
        sender: str = DEFAULT_FROM,
        starttls: bool = True,
        timeout: float = 10.0,
    ) -> None:
        self.host, self.port, self.user, self.password = host, port, user, password
        self.sender, self.starttls, self.timeout = sender, starttls, timeout

    def send(
        self, to: str, subject: str, body: str, headers: Mapping[str, str] | None = None
    ) -> None:
        """Connect, authenticate when configured, send."""
        message = build_message(self.sender, to, subject, body, headers)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)


def mailer_for(settings: Settings) -> Mailer:
    """SMTP when RCJOBS_SMTP_HOST is set, else files under settings.mail_dir."""
    env = os.environ
    sender = env.get("RCJOBS_SMTP_FROM") or DEFAULT_FROM
    host = env.get("RCJOBS_SMTP_HOST")
    if not host:
        return FileMailer(settings.mail_dir, sender)
    return SmtpMailer(
        host,
        int(env.get("RCJOBS_SMTP_PORT") or 587),
        env.get("RCJOBS_SMTP_USER") or None,
        env.get("RCJOBS_SMTP_PASSWORD") or None,
        sender,
        (env.get("RCJOBS_SMTP_STARTTLS") or "1") != "0",
    )


def send_safely(
    mailer: Mailer, to: str, subject: str, body: str, headers: Mapping[str, str] | None = None
) -> bool:
    """Send, logging (never raising) a failure; whether it went out."""
    try:
        if headers:
            mailer.send(to, subject, body, headers=headers)
        else:  # mailers written before headers existed take three arguments
            mailer.send(to, subject, body)
    except Exception:  # noqa: BLE001 - mail is best effort; the data is already stored
        log.exception("could not send mail %r to %s", one_line(subject, 80), one_line(to, 80))
        return False
    return True


def app_mailer(app: object) -> Mailer:
    """The mailer of a Flask app: `RCJOBS_MAILER` from its config (tests), else from settings."""
    config = getattr(app, "config", {})
    mailer = config.get("RCJOBS_MAILER")
    if mailer is not None:
        return mailer
    return mailer_for(app.extensions["rcjobs"].settings)  # type: ignore[attr-defined]
