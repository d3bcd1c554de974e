"""An alert end to end: subscribe, confirm from the mail, import, send, read, unsubscribe."""

from __future__ import annotations

import re

from sqlalchemy import select

from board.alerts.models import SENT, UNSUBSCRIBED, Alert, AlertDelivery
from tests.accounts.support import mails
from tests.alerts.support import alert_mails, confirm, import_records, link, send_alerts, subscribe
from tests.web.seed import seed

DESCRIPTION = (
    "Lead the research computing team: HPC clusters, research software engineering and data "
    "services for the whole university."
)


def raw(key: str, title: str, location: str, institution: str = "University of Toronto") -> dict:
    return {
        "title": title,
        "institution": institution,
        "location": location,
        "description": DESCRIPTION,
        "url": f"https://careers.example.edu/{key}",
        "salary": "CAD 140,000 - 160,000 per year",
        "source": "careers-test",
        "source_id": key,
    }


def test_an_alert_from_subscription_to_unsubscription(board, client, frozen, tmp_path):
    seed(board)  # postings already on the board before the alert: never mailed by it
    listing = client.get("/jobs?q=director&country=CA").get_data(as_text=True)
    assert 'href="/alerts/new?q=director&amp;country=CA"' in listing

    response = subscribe(client, "q=director&country=CA")
    assert response.status_code == 200 and "Check your mail" in response.get_data(as_text=True)
    [confirmation] = mails(board)
    assert confirmation["To"] == "seeker@example.org"
    assert "List-Unsubscribe" not in confirmation
    assert send_alerts().startswith("0 alert(s) due")  # unconfirmed: nothing goes out
    confirm(client, confirmation)

    frozen.shift(3600)
    import_records(
        tmp_path,
        [
            raw("t1", "Director of Research Computing", "Toronto, ON, Canada"),
            raw(
                "t2",
                "Director, Advanced Research Computing",
                "Montreal, QC, Canada",
                "McGill University",
            ),
            raw("t3", "Director of Research Computing", "Boston, MA, USA", "Harvard University"),
            raw("t4", "Manager, Research Software Engineering", "Ottawa, ON, Canada"),
        ],
    )
    frozen.shift(3600)
    assert send_alerts().startswith("1 alert(s) due: 1 mailed (2 posting(s))")
    [digest] = alert_mails(board)
    body = digest.get_content()
    titles = re.findall(r"^(Director[^\n]*)$", body, re.M)
    assert sorted(titles) == [
        "Director of Research Computing",
        "Director, Advanced Research Computing",
    ]
    assert "University of Toronto · Toronto, ON, Canada" in body and "McGill University" in body
    assert "Harvard" not in body and "Manager" not in body and "McMaster" not in body
    unsubscribe_url = digest["List-Unsubscribe"].strip("<>")
    assert unsubscribe_url.startswith("http://jobs.example.test/alerts/")
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link(digest, "unsubscribe") in unsubscribe_url

    assert send_alerts().startswith("0 alert(s) due")  # a daily alert waits for its day
    frozen.shift(24 * 3600)
    assert send_alerts().startswith("1 alert(s) due: 0 mailed (0 posting(s)), 1 with nothing")
    assert len(alert_mails(board)) == 1  # the same postings are never mailed twice
    with board.session() as session:
        statuses = session.scalars(select(AlertDelivery.status)).all()
    assert statuses == [SENT, SENT]

    # A mail client's one-click unsubscribe: a POST without cookies or CSRF token (RFC 8058).
    anonymous = client.application.test_client()
    path = unsubscribe_url.removeprefix("http://jobs.example.test")
    response = anonymous.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with board.session() as session:
        assert session.scalar(select(Alert.status)) == UNSUBSCRIBED
    frozen.shift(24 * 3600)
    import_records(tmp_path, [raw("t5", "Director of Research Computing", "Halifax, NS, Canada")])
    assert send_alerts().startswith("0 alert(s) due")
    assert len(alert_mails(board)) == 1
