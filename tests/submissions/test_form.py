"""The public form: preview, send once, field errors that keep input, CSRF, spam and floods."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from board.submissions.models import PENDING, Submission
from board.submissions.services import token_hash
from tests.accounts.support import (
    XSS,
    assert_escaped,
    csrf_token,
    mails,
    make_app,
    preview,
    preview_token,
    status_token,
    submit,
    token_from,
    valid_fields,
)


def count(board) -> int:
    with board.session() as session:
        return session.scalar(select(func.count(Submission.id)))


def errors(html: str) -> list[str]:
    return re.findall(r'<p class="error" id="([a-z_]+)-error">', html)


def test_form_shows_every_field_a_honeypot_and_a_csrf_token(client):
    html = client.get("/submit").get_data(as_text=True)
    for name in (
        "title",
        "institution",
        "location",
        "url",
        "description",
        "closes_on",
        "salary",
        "contact_name",
        "contact_email",
        "prefill_url",
        "homepage",
    ):
        assert f'name="{name}"' in html
    assert csrf_token(html)
    assert "Prefill from URL" in html


def test_preview_shows_the_normalized_posting_and_stores_nothing(client, board):
    response = preview(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Hamilton, ON, Canada" in html  # the crawler's normalizer ran
    assert "<li>Budget</li>" in html  # Markdown rendered
    assert preview_token(html)
    assert count(board) == 0


def test_send_stores_a_pending_submission_and_mails_a_private_status_link(client, board):
    response = submit(client)
    assert response.status_code == 302
    token = status_token(response)
    with board.session() as session:
        row = session.scalar(select(Submission))
        assert row.status == PENDING
        assert row.token_hash == token_hash(token) and token not in row.token_hash
        assert row.normalized["location_display"] == "Hamilton ON CA"
        assert row.normalized["relevant"] is True
    page = client.get(f"/submit/status/{token}")
    assert page.status_code == 200
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in page.headers["Cache-Control"]
    assert 'id="status">pending' in page.get_data(as_text=True)
    (message,) = mails(board)
    assert message["To"] == "ann.lee@example.edu"
    assert f"http://jobs.example.test/submit/status/{token}" in message.get_content()


def test_status_tokens_are_unguessable_and_unknown_ones_are_404(client):
    first, second = (
        status_token(submit(client)),
        status_token(submit(client, valid_fields(title="Head of Research Software"))),
    )
    assert first != second and len(first) >= 40
    assert client.get("/submit/status/not-a-token").status_code == 404
    assert client.get(f"/submit/status/{first[:-1]}x").status_code in (404,)


def test_field_errors_keep_what_was_typed(client, board):
    fields = valid_fields(contact_email="not-an-email", closes_on="2026-03-01")
    response = preview(client, fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert set(errors(html)) == {"contact_email", "closes_on"}
    assert 'value="Director of Research Computing"' in html
    assert 'value="not-an-email"' in html
    assert "The closing date is in the past." in html
    assert count(board) == 0


@pytest.mark.parametrize(
    ("name", "limit"),
    [
        ("title", 200),
        ("institution", 200),
        ("location", 200),
        ("url", 2000),
        ("description", 20000),
        ("salary", 120),
        ("contact_name", 120),
        ("contact_email", 254),
    ],
)
def test_over_long_values_are_refused(client, board, name, limit):
    value = "x" * (limit + 1)
    if name == "url":
        value = "https://example.org/" + "a" * limit
    if name == "contact_email":
        value = "a" * (limit) + "@example.org"
    response = preview(client, valid_fields(**{name: value}))
    assert response.status_code == 400
    assert name in errors(response.get_data(as_text=True))
    assert count(board) == 0


@pytest.mark.parametrize("name", ["title", "institution", "location", "salary", "contact_name"])
def test_html_in_a_one_line_field_is_refused_with_a_clear_error(client, board, name):
    response = preview(client, valid_fields(**{name: f"Lead {XSS}"}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Plain text only" in html
    assert_escaped(html)
    assert "&lt;script&gt;" in html  # what was typed is kept, escaped
    assert count(board) == 0


@pytest.mark.parametrize("name", ["url", "contact_email", "closes_on"])
def test_html_in_structured_fields_is_invalid(client, name):
    response = preview(client, valid_fields(**{name: XSS}))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert name in errors(html)
    assert_escaped(html)


def test_script_in_the_description_never_reaches_a_page_unescaped(client, board):
    description = f"Lead the team. {XSS}\n\n[click](javascript:alert(1)) and **bold** text here."
    response = preview(client, valid_fields(description=description))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert_escaped(html)
    assert "<strong>bold</strong>" in html
    token = status_token(submit(client, valid_fields(description=description)))
    with board.session() as session:
        row = session.scalar(select(Submission))
        assert_escaped(row.normalized["description_html"])
        assert "&lt;script&gt;" in row.normalized["description_html"]
    assert_escaped(client.get(f"/submit/status/{token}").get_data(as_text=True))
    body = mails(board)[0]
    assert body.get_content_type() == "text/plain"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/job",
        "not a url",
        "http://",
        "//example.org/x",
        "https://exa mple.org/",
    ],
)
def test_invalid_urls_are_refused(client, url):
    response = preview(client, valid_fields(url=url))
    assert response.status_code == 400
    assert "url" in errors(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "email", ["ann", "ann@", "@example.org", "ann@@example.org", "ann@example.org\nBcc: x@y.z"]
)
def test_invalid_emails_are_refused(client, email):
    response = preview(client, valid_fields(contact_email=email))
    assert response.status_code == 400
    assert "contact_email" in errors(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("closes", "message"),
    [
        ("2026-03-09", "in the past"),
        ("3026-01-01", "more than a year away"),
        ("2027-03-12", "more than a year away"),
        ("2026-02-30", "Not a valid date"),
        ("soon", "Not a valid date"),
    ],
)
def test_closing_dates_in_the_past_or_absurd_future_are_refused(client, closes, message):
    response = preview(client, valid_fields(closes_on=closes))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "closes_on" in errors(html) and message in html


def test_missing_csrf_token_is_refused_and_nothing_stored(client, board):
    page = preview(client).get_data(as_text=True)
    data = dict(valid_fields(), preview_token=preview_token(page))
    response = client.post("/submit/send", data=data)
    assert response.status_code == 400
    assert "security token" in response.get_data(as_text=True)
    assert count(board) == 0


def test_a_csrf_token_from_another_session_is_refused(app, client, board):
    other = app.test_client()
    foreign = token_from(other)
    token_from(client)  # this client has a session of its own
    data = dict(valid_fields(), csrf_token=foreign, action="preview")
    assert client.post("/submit", data=data).status_code == 400
    assert count(board) == 0


def test_an_expired_csrf_token_is_refused(client, board, frozen):
    token = token_from(client)
    frozen.shift(2 * 3600)
    data = dict(valid_fields(), csrf_token=token, action="preview")
    response = client.post("/submit", data=data)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_a_replayed_send_stores_nothing_new(client, board):
    page = preview(client).get_data(as_text=True)
    data = dict(valid_fields(), csrf_token=csrf_token(page), preview_token=preview_token(page))
    assert client.post("/submit/send", data=data).status_code == 302
    again = client.post("/submit/send", data=data)
    assert again.status_code == 409
    assert "already sent" in again.get_data(as_text=True)
    assert count(board) == 1
    assert len(mails(board)) == 1


def test_sending_without_a_preview_or_with_changed_content_is_refused(client, board):
    page = preview(client).get_data(as_text=True)
    token = csrf_token(page)
    no_preview = client.post("/submit/send", data=dict(valid_fields(), csrf_token=token))
    assert no_preview.status_code == 409
    assert "preview the posting" in no_preview.get_data(as_text=True)
    changed = dict(
        valid_fields(title="Chief Research Officer"),
        csrf_token=token,
        preview_token=preview_token(page),
    )
    response = client.post("/submit/send", data=changed)
    assert response.status_code == 409
    assert "changed after the preview" in response.get_data(as_text=True)
    forged = dict(valid_fields(), csrf_token=token, preview_token="eyJuIjoiMSJ9.forged")
    assert client.post("/submit/send", data=forged).status_code == 409
    assert count(board) == 0


def test_an_expired_preview_is_refused(client, board, frozen):
    page = preview(client).get_data(as_text=True)
    frozen.shift(3 * 3600)
    data = dict(valid_fields(), csrf_token=token_from(client), preview_token=preview_token(page))
    response = client.post("/submit/send", data=data)
    assert response.status_code == 409
    assert "preview expired" in response.get_data(as_text=True)
    assert count(board) == 0


def test_a_filled_honeypot_is_refused(client, board):
    page = preview(client).get_data(as_text=True)
    data = dict(
        valid_fields(),
        homepage="http://spam.example",
        csrf_token=csrf_token(page),
        preview_token=preview_token(page),
    )
    response = client.post("/submit/send", data=data)
    assert response.status_code == 400
    assert "could not be accepted" in response.get_data(as_text=True)
    assert count(board) == 0
    spam_preview = preview(client, valid_fields(homepage="x"))
    assert spam_preview.status_code == 400


def test_a_flood_from_one_address_is_refused(board, frozen):
    app = make_app(board, RCJOBS_SUBMIT_LIMIT="3 per hour")
    client = app.test_client()
    for number in range(3):
        assert (
            submit(
                client, valid_fields(title=f"Director of Research Computing {number}")
            ).status_code
            == 302
        )
    flood = submit(client, valid_fields(title="Director of Research Computing 4"))
    assert flood.status_code == 429
    assert "Too many requests" in flood.get_data(as_text=True)
    other = app.test_client()
    other_address = submit(other, valid_fields(title="Head of HPC"))
    assert other_address.status_code == 429  # the same address (the test client's) is limited
    elsewhere = app.test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert submit(elsewhere, valid_fields(title="Head of HPC")).status_code == 302
    assert count(board) == 4


class BrokenMailer:
    def send(self, to: str, subject: str, body: str) -> None:
        raise OSError("mail server down")


def test_a_mail_failure_never_loses_the_submission(board, frozen, caplog):
    client = make_app(board, RCJOBS_MAILER=BrokenMailer()).test_client()
    response = submit(client)
    assert response.status_code == 302
    assert count(board) == 1
    assert client.get(response.headers["Location"]).status_code == 200
    assert "could not send mail" in caplog.text


def test_a_normalizer_failure_is_a_clear_error_and_stores_nothing(client, board, monkeypatch):
    import board.normalize as normalize_package

    def broken(raw, **kwargs):
        raise ValueError("gazetteer unavailable")

    monkeypatch.setattr(normalize_package, "normalize_record", broken)
    response = preview(client)
    assert response.status_code == 400
    assert "We could not read this posting: gazetteer unavailable" in response.get_data(
        as_text=True
    )
    assert count(board) == 0
