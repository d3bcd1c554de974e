"""The alert mails: the confirmation, and the list of new postings with one-click unsubscribe."""

from __future__ import annotations

from typing import Any

from flask import render_template, url_for

from board.alerts.models import Alert
from board.mail import Mailer, send_safely
from board.web import params as P
from board.web.context import absolute_url


def links(token: str) -> dict[str, str]:
    """The alert's absolute private links (in a request or app context)."""
    return {
        "manage": absolute_url(url_for("alerts.manage", token=token)),
        "confirm": absolute_url(url_for("alerts.confirm", token=token)),
        "unsubscribe": absolute_url(url_for("alerts.unsubscribe", token=token)),
    }


def unsubscribe_headers(token: str) -> dict[str, str]:
    """List-Unsubscribe with its one-click POST (RFC 8058; RFC 2369 for the first)."""
    return {
        "List-Unsubscribe": f"<{links(token)['unsubscribe']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def send_confirmation(mailer: Mailer, alert: Alert, token: str, search: Any) -> bool:
    """Ask the address to confirm (the only mail an unconfirmed address ever gets)."""
    body = render_template(
        "alerts/mail_confirm.txt", alert=alert, links=links(token), search=search, P=P
    )
    return send_safely(mailer, alert.email, "Confirm your rcjobs alert", body)


def send_new_postings(
    mailer: Mailer, alert: Alert, token: str, search: Any, hits: list[Any], total: int
) -> bool:
    """The new postings matching the alert, with the links to manage and leave it."""
    body = render_template(
        "alerts/mail_new.txt",
        alert=alert,
        links=links(token),
        search=search,
        hits=hits,
        total=total,
        P=P,
    )
    subject = f"{total} new job{'' if total == 1 else 's'} for your rcjobs alert"
    return send_safely(mailer, alert.email, subject, body, headers=unsubscribe_headers(token))
