"""The mail interface: files by default, SMTP when configured, failures logged not raised."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest

from board import mail
from board.config import load_settings


def test_file_mailer_writes_plain_text_eml(tmp_path):
    mailer = mail.FileMailer(tmp_path / "mail")
    mailer.send("ann@example.org", "Received:\r\nBcc: victim@example.org <b>x</b>", "Body <b>\n")
    (path,) = (tmp_path / "mail").glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert message["Subject"] == "Received: Bcc: victim@example.org <b>x</b>"  # one line
    assert message["Bcc"] is None
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == "Body <b>\n"


def test_mailer_for_defaults_to_files_and_uses_smtp_when_configured(instance, monkeypatch):
    assert isinstance(mail.mailer_for(load_settings()), mail.FileMailer)
    monkeypatch.setenv("RCJOBS_SMTP_HOST", "smtp.example.org")
    monkeypatch.setenv("RCJOBS_SMTP_PORT", "2525")
    monkeypatch.setenv("RCJOBS_SMTP_USER", "jobs")
    monkeypatch.setenv("RCJOBS_SMTP_PASSWORD", "pw")
    monkeypatch.setenv("RCJOBS_SMTP_FROM", "Jobs <jobs@example.org>")
    monkeypatch.setenv("RCJOBS_SMTP_STARTTLS", "0")
    smtp = mail.mailer_for(load_settings())
    assert isinstance(smtp, mail.SmtpMailer)
    assert (smtp.host, smtp.port, smtp.user, smtp.starttls) == (
        "smtp.example.org",
        2525,
        "jobs",
        False,
    )


class FakeSMTP:
    sent: list = []

    def __init__(self, host: str, port: int, timeout: float) -> None:
        self.calls = [("connect", host, port)]

    def __enter__(self) -> FakeSMTP:
        return self

    def __exit__(self, *args: object) -> None:
        pass

    def starttls(self, context: object) -> None:
        self.calls.append(("starttls",))

    def login(self, user: str, password: str) -> None:
        self.calls.append(("login", user))

    def send_message(self, message: object) -> None:
        FakeSMTP.sent.append((self.calls, message))


def test_smtp_mailer_uses_starttls_and_login(monkeypatch):
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    FakeSMTP.sent.clear()
    mail.SmtpMailer("smtp.example.org", 587, "jobs", "pw").send("a@example.org", "Hi", "Body\n")
    ((calls, message),) = FakeSMTP.sent
    assert calls == [("connect", "smtp.example.org", 587), ("starttls",), ("login", "jobs")]
    assert message["To"] == "a@example.org"


def test_send_safely_logs_failures(caplog):
    class Broken:
        def send(self, to: str, subject: str, body: str) -> None:
            raise ConnectionRefusedError("no server")

    assert mail.send_safely(Broken(), "a@example.org", "Hi", "Body") is False
    assert "could not send mail" in caplog.text


@pytest.mark.parametrize("ok", [True])
def test_send_safely_reports_success(tmp_path, ok):
    assert mail.send_safely(mail.FileMailer(tmp_path), "a@example.org", "Hi", "Body") is ok
