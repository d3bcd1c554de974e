"""Alerts: subscribe with double opt-in, manage by a private link, send what is new.

Never the same posting twice to one alert: before a mail goes out, each posting it lists is
recorded for the alert as "sending" (a unique row per alert and posting), and marked "sent"
after. A failed send that is known to have failed removes its rows, so the next run tries again;
a crash between sending and marking leaves them "sending", and they are never sent again: an
alert may miss a posting after a crash, but never repeats one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlencode

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from board.alerts.models import (
    ACTIVE,
    FREQUENCIES,
    PENDING,
    SENDING,
    SENT,
    UNSUBSCRIBED,
    Alert,
    AlertDelivery,
)
from board.clock import utcnow
from board.models import OPEN, Posting

#: Time after which an alert is due again (a little under a day or a week, so that a cron job
#: at the same hour each day always finds yesterday's alerts due).
INTERVALS = {"daily": timedelta(hours=20), "weekly": timedelta(days=6, hours=20)}
#: Postings first seen this long before the watermark still count when the alert has not mailed
#: them (the index may lag a little behind the database).
LOOKBACK = timedelta(days=1)
MAX_LISTED = 50
MAX_NEW_PER_ADDRESS_A_DAY = 3
MAX_ALERTS_PER_ADDRESS = 25
MAX_QUERY = 2000
_TOKEN_SALT = b"rcjobs-alert-link"


class AlertError(ValueError):
    """An alert cannot be made or changed as asked (the message says why)."""


def token_hash(token: str) -> str:
    """What is stored of an alert's link token."""
    return hashlib.sha256(token.encode()).hexdigest()


def alert_token(secret: str | bytes | None, alert: Alert) -> str:
    """The alert's private-link token: derived from the secret key, so only its hash is stored."""
    if not secret:
        raise ValueError("alert links need the app's secret key (RCJOBS_SECRET_KEY)")
    key = secret.encode() if isinstance(secret, str) else secret
    message = f"{alert.id}:{alert.created_at.isoformat()}".encode()
    digest = hmac.new(key + _TOKEN_SALT, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def normalize_address(email: str) -> str:
    """The canonical form of an email address; AlertError when it is not one."""
    from email_validator import EmailNotValidError, validate_email  # heavy: not at start-up

    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AlertError(f"That is not an email address we can write to: {exc}") from exc


def alert_query(args: Mapping[str, Any]) -> str:
    """The saved form of a search: its filters and words, without page, sort or dates."""
    from board.web import params

    search = params.search_request(args)
    kept = params.to_args(
        search, page=1, per_page=20, sort="relevance", status="open", posted_since=None
    )
    kept.poplist("correct")
    return urlencode(list(kept.items(multi=True)))[:MAX_QUERY]


def search_of(query: str) -> Any:
    """The SearchRequest of a saved query (the listing's own parsing of it)."""
    from board.web import params

    return params.search_request(MultiDict(parse_qsl(query or "", keep_blank_values=False)))


def subscribe(
    session: Session, email: str, query: str, frequency: str, secret: str | bytes | None
) -> tuple[Alert, str]:
    """A pending alert for an address (confirmed by mail before anything else is sent)."""
    address = normalize_address(email)
    if frequency not in FREQUENCIES:
        raise AlertError("Choose daily or weekly.")
    now = utcnow()
    recent = session.scalar(
        select(func.count(Alert.id)).where(
            Alert.email == address, Alert.created_at > now - timedelta(days=1)
        )
    )
    if (recent or 0) >= MAX_NEW_PER_ADDRESS_A_DAY:
        raise AlertError("Enough alerts were asked for this address today: try again tomorrow.")
    active = session.scalar(
        select(func.count(Alert.id)).where(Alert.email == address, Alert.status == ACTIVE)
    )
    if (active or 0) >= MAX_ALERTS_PER_ADDRESS:
        raise AlertError("This address has as many alerts as it may: delete one first.")
    alert = Alert(
        email=address,
        token_hash=secrets.token_hex(32),  # replaced below, once the id is known
        query=query[:MAX_QUERY],
        frequency=frequency,
        status=PENDING,
        created_at=now,
    )
    session.add(alert)
    session.flush()
    token = alert_token(secret, alert)
    alert.token_hash = token_hash(token)
    return alert, token


def by_token(session: Session, token: str) -> Alert | None:
    """The alert behind a private-link token (None for anything else)."""
    if not token or len(token) > 100:
        return None
    return session.scalar(select(Alert).where(Alert.token_hash == token_hash(token)))


def confirm(alert: Alert, now: datetime | None = None) -> bool:
    """Confirm the address: the alert becomes active (True when it just did)."""
    if alert.status == ACTIVE:
        return False
    now = now or utcnow()
    alert.status = ACTIVE
    alert.confirmed_at = alert.confirmed_at or now
    alert.unsubscribed_at = None
    alert.watermark = now  # postings first seen from now on are new to it
    return True


def change_frequency(alert: Alert, frequency: str) -> None:
    """Daily or weekly."""
    if frequency not in FREQUENCIES:
        raise AlertError("Choose daily or weekly.")
    alert.frequency = frequency


def unsubscribe(alert: Alert, now: datetime | None = None) -> None:
    """Stop the mail (the alert can be turned back on from its link)."""
    alert.status = UNSUBSCRIBED
    alert.unsubscribed_at = now or utcnow()


def delete_alert(session: Session, alert: Alert) -> None:
    """Forget the alert, its address and what it sent."""
    session.execute(delete(AlertDelivery).where(AlertDelivery.alert_id == alert.id))
    session.delete(alert)


def is_confirmed_address(session: Session, email: str) -> bool:
    """Whether the address proved it reads its mail (it confirmed an alert that is still on)."""
    address = (email or "").strip().lower()
    found = session.scalar(
        select(Alert.id).where(Alert.email == address, Alert.status == ACTIVE).limit(1)
    )
    return found is not None


def due(session: Session, frequency: str | None, now: datetime) -> list[Alert]:
    """Active alerts (of one frequency, or both) not checked within their interval."""
    alerts: list[Alert] = []
    for name in [frequency] if frequency else list(FREQUENCIES):
        cutoff = now - INTERVALS[name]
        alerts += session.scalars(
            select(Alert)
            .where(
                Alert.status == ACTIVE,
                Alert.frequency == name,
                (Alert.last_checked_at.is_(None)) | (Alert.last_checked_at <= cutoff),
            )
            .order_by(Alert.id)
        ).all()
    return list(alerts)


def new_posting_ids(session: Session, alert: Alert, now: datetime) -> dict[str, int]:
    """Public id -> row id of open postings first seen since the watermark, not yet mailed."""
    start = alert.watermark or alert.confirmed_at or now
    since = max(start - LOOKBACK, alert.confirmed_at or start)
    sent = select(AlertDelivery.posting_id).where(AlertDelivery.alert_id == alert.id)
    rows = session.execute(
        select(Posting.public_id, Posting.id).where(
            Posting.first_seen > since,
            Posting.first_seen <= now,
            Posting.status == OPEN,
            Posting.hidden.is_(False),
            Posting.id.not_in(sent),
        )
    ).all()
    return dict(rows)


@dataclass
class Batch:
    """What one alert's mail lists: the hits, their posting row ids and the total."""

    alert: Alert
    hits: list[Any]
    row_ids: list[int]
    total: int


def reserve(session: Session, alert: Alert, row_ids: list[int], now: datetime) -> None:
    """Record the postings about to be mailed (before the mail goes out)."""
    for row_id in row_ids:
        session.add(
            AlertDelivery(alert_id=alert.id, posting_id=row_id, status=SENDING, created_at=now)
        )
    alert.last_checked_at = now


def mark_sent(session: Session, alert: Alert, now: datetime) -> None:
    """The mail went: its postings are sent and the watermark moves on."""
    for delivery in session.scalars(
        select(AlertDelivery).where(
            AlertDelivery.alert_id == alert.id, AlertDelivery.status == SENDING
        )
    ):
        delivery.status = SENT
        delivery.sent_at = now
    alert.last_sent_at = now
    alert.mails_sent = (alert.mails_sent or 0) + 1
    alert.watermark = now


def release(session: Session, alert: Alert, row_ids: list[int]) -> None:
    """The mail is known not to have gone: forget its reservation so the next run retries."""
    session.execute(
        delete(AlertDelivery).where(
            AlertDelivery.alert_id == alert.id,
            AlertDelivery.status == SENDING,
            AlertDelivery.posting_id.in_(row_ids),
        )
    )
    alert.last_checked_at = None  # due again at the next run


def nothing_new(alert: Alert, now: datetime) -> None:
    """Checked, nothing to send: the watermark moves on."""
    alert.last_checked_at = now
    alert.watermark = now
