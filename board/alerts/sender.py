"""`rcjobs alerts send`: mail every due alert the postings that are new to it, once each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask import Flask

from board import institutions
from board.alerts import services
from board.alerts.mail import send_new_postings
from board.alerts.models import Alert
from board.clock import utcnow
from board.mail import app_mailer
from search_index.searcher import MAX_PER_PAGE


@dataclass
class SendReport:
    """What one run did."""

    due: int = 0
    mailed: int = 0
    postings: int = 0
    quiet: int = 0
    failed: int = 0

    def line(self) -> str:
        """One line for the CLI."""
        return (
            f"{self.due} alert(s) due: {self.mailed} mailed ({self.postings} posting(s)), "
            f"{self.quiet} with nothing new, {self.failed} failed"
        )


def send_due(app: Flask, frequency: str | None = None, now: datetime | None = None) -> SendReport:
    """Send every due alert (of one frequency, or both); the report."""
    board = app.extensions["rcjobs"]
    mailer = app_mailer(app)
    now = now or utcnow()
    report = SendReport()
    with app.test_request_context("/", base_url=board.settings.base_url or None):
        with board.session() as session:
            due_ids = [alert.id for alert in services.due(session, frequency, now)]
        report.due = len(due_ids)
        for alert_id in due_ids:
            _send_one(app, alert_id, now, mailer, report)
    return report


def _send_one(app: Flask, alert_id: int, now: datetime, mailer, report: SendReport) -> None:  # noqa: ANN001
    """Reserve, send, then mark one alert's new postings (see board.alerts.services)."""
    board = app.extensions["rcjobs"]
    with board.session() as session:
        alert = session.get(Alert, alert_id)
        if alert is None or not alert.is_active:
            return
        new = services.new_posting_ids(session, alert, now)
        search = institutions.with_current_slugs(
            services.search_of(alert.query), lambda: institutions.alias_map(session)
        )
        result = None
        if new:
            wanted = replace(
                search,
                only_ids=tuple(new),
                status="open",
                sort="newest",
                page=1,
                per_page=min(len(new), MAX_PER_PAGE),
                correct=False,
            )
            result = board.index.search(wanted)
        if result is None or not result.hits:
            services.nothing_new(alert, now)
            report.quiet += 1
            return
        row_ids = [new[hit.id] for hit in result.hits if hit.id in new]
        services.reserve(session, alert, row_ids, now)
        token = services.alert_token(app.secret_key, alert)
        session.commit()
        listed = result.hits[: services.MAX_LISTED]
        sent = send_new_postings(mailer, alert, token, search, listed, len(row_ids))
        if sent:
            services.mark_sent(session, alert, now)
            report.mailed += 1
            report.postings += len(row_ids)
        else:
            services.release(session, alert, row_ids)
            report.failed += 1
