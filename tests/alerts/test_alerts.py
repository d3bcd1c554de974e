"""Alerts: no mail before confirmation, at most once per posting, limits, the private pages."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from board import indexing, postings
from board.alerts import sender, services
from board.alerts.models import ACTIVE, SENDING, Alert, AlertDelivery
from board.alerts.sender import send_due
from tests.accounts.support import csrf_token, mails, make_app
from tests.alerts.support import alert_mails, confirm, link, subscribe
from tests.records import upsert
from tests.web.seed import record, seed

SEEN_LATER = datetime(2026, 3, 10, 13, 0, 0)


def confirmed_alert(board, client, query: str = "q=director") -> None:
    assert subscribe(client, query).status_code == 200
    confirm(client, mails(board)[-1])


def add_postings(board, *keys: str, now: datetime = SEEN_LATER) -> dict[str, str]:
    """New director postings first seen at `now`, indexed."""
    ids = {}
    with board.session() as session:
        postings.ensure_source(session, "later", "Later", "jsonld", "https://x.test/")
        for key in keys:
            rec = record(key, f"Director of Computing {key}")
            ids[key] = upsert(session, rec, {"k": key}, "later", key, now=now).posting.public_id
    indexing.catch_up(board)
    return ids


class Failing:
    """A mailer whose every send raises (an SMTP outage)."""

    def send(self, *args, **kwargs) -> None:
        raise OSError("smtp down")


def test_a_known_mail_failure_is_retried_at_the_next_run(board, client, app, frozen):
    seed(board)
    confirmed_alert(board, client)
    frozen.shift(7200)
    add_postings(board, "n1", "n2")
    app.config["RCJOBS_MAILER"] = Failing()
    report = send_due(app)
    assert (report.mailed, report.failed) == (0, 1)
    with board.session() as session:
        assert session.scalars(select(AlertDelivery)).all() == []  # the reservation is released
    app.config.pop("RCJOBS_MAILER")
    report = send_due(app)
    assert (report.mailed, report.postings) == (1, 2)
    assert len(alert_mails(board)) == 1


def test_a_crash_between_sending_and_recording_never_sends_twice(
    board, client, app, frozen, monkeypatch
):
    seed(board)
    confirmed_alert(board, client)
    frozen.shift(7200)
    add_postings(board, "n1")

    def crash(*args, **kwargs):
        raise SystemExit("killed after the mail went out")

    monkeypatch.setattr(sender.services, "mark_sent", crash)
    with pytest.raises(SystemExit):
        send_due(app)
    assert len(alert_mails(board)) == 1  # the mail went
    monkeypatch.undo()
    with board.session() as session:
        assert session.scalars(select(AlertDelivery.status)).all() == [SENDING]
    frozen.shift(25 * 3600)
    add_postings(board, "n2", now=datetime(2026, 3, 11, 15, 0, 0))
    report = send_due(app)
    assert report.postings == 1
    latest = alert_mails(board)[-1].get_content()
    assert "Director of Computing n2" in latest and "Director of Computing n1" not in latest


def test_only_confirmed_active_alerts_are_mailed(board, client, app, frozen):
    seed(board)
    assert subscribe(client, "q=director").status_code == 200
    frozen.shift(7200)
    add_postings(board, "n1")
    assert send_due(app).due == 0
    assert alert_mails(board) == []


def test_the_alert_matches_through_the_listing_s_own_search(board, client, app, frozen):
    seed(board)
    confirmed_alert(board, client, "q=%22computing+n2%22&salary_min=100000&salary_currency=CAD")
    frozen.shift(7200)
    add_postings(board, "n1", "n2")
    send_due(app)
    body = alert_mails(board)[0].get_content()
    assert "Director of Computing n2" in body and "Director of Computing n1" not in body
    assert alert_mails(board)[0]["Subject"] == "1 new job for your rcjobs alert"


def test_subscribing_is_rate_limited_and_capped_per_address(board, frozen):
    app = make_app(board, RCJOBS_ALERT_LIMIT="3 per minute")
    client = app.test_client()
    codes = [subscribe(client, "q=hpc", f"a{n}@example.org").status_code for n in range(4)]
    assert codes == [200, 200, 200, 429]
    other = make_app(board, RCJOBS_ALERT_LIMIT="100 per minute").test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    codes = [subscribe(other, f"q=x{n}", "same@example.org").status_code for n in range(4)]
    assert codes == [200, 200, 200, 400]  # at most three new alerts an address a day
    assert len([m for m in mails(board) if m["To"] == "same@example.org"]) == 3


def test_bad_input_gets_the_form_back_with_a_message(client, board):
    response = subscribe(client, "q=hpc", "not an address")
    assert response.status_code == 400
    assert "Your email address" in response.get_data(as_text=True)
    assert mails(board) == []
    no_csrf = client.post("/alerts", data={"email": "a@example.org", "frequency": "daily"})
    assert no_csrf.status_code == 400


def test_the_private_page_changes_and_deletes_the_alert(board, client, frozen):
    assert subscribe(client, "q=hpc&country=CA", frequency="weekly").status_code == 200
    path = link(mails(board)[0], "confirm").removesuffix("/confirm")
    page = client.get(path).get_data(as_text=True)
    assert "Waiting for you to confirm" in page and "Country: Canada" in page
    assert client.get(path).headers["Referrer-Policy"] == "no-referrer"
    client.post(f"{path}/confirm", data={"csrf_token": csrf_token(page)})
    page = client.get(path).get_data(as_text=True)
    assert "On: mails weekly" in page
    client.post(path, data={"csrf_token": csrf_token(page), "frequency": "daily"})
    with board.session() as session:
        alert = session.scalar(select(Alert))
        assert (alert.status, alert.frequency) == (ACTIVE, "daily")
    client.post(f"{path}/delete", data={"csrf_token": csrf_token(page)})
    with board.session() as session:
        assert session.scalars(select(Alert)).all() == []
    assert client.get(path).status_code == 404


def test_unknown_or_forged_tokens_are_404(client):
    for path in ("/alerts/nothing-here-0123456789", "/alerts/x/unsubscribe", "/alerts/x/confirm"):
        assert client.get(path).status_code == 404
    assert (
        client.post("/alerts/x/unsubscribe", data={"List-Unsubscribe": "One-Click"}).status_code
        == 404
    )


def test_a_confirmed_alert_makes_its_address_confirmed(board, client, frozen):
    confirmed_alert(board, client)
    with board.session() as session:
        assert services.is_confirmed_address(session, "Seeker@Example.org")
        assert not services.is_confirmed_address(session, "stranger@example.org")
