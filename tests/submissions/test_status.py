"""The private status page: edit or withdraw while pending, then see the decision."""

from __future__ import annotations

from sqlalchemy import select

from board.submissions.models import WITHDRAWN, Submission
from tests.accounts.support import (
    XSS,
    assert_escaped,
    csrf_token,
    status_token,
    submit,
    valid_fields,
)


def edit(client, token: str, **changes: str):
    page = client.get(f"/submit/status/{token}/edit").get_data(as_text=True)
    data = dict(valid_fields(**changes), csrf_token=csrf_token(page))
    return client.post(f"/submit/status/{token}/edit", data=data)


def withdraw(client, token: str):
    page = client.get(f"/submit/status/{token}").get_data(as_text=True)
    return client.post(f"/submit/status/{token}/withdraw", data={"csrf_token": csrf_token(page)})


def test_edit_while_pending_renormalizes(client, board):
    token = status_token(submit(client))
    form = client.get(f"/submit/status/{token}/edit").get_data(as_text=True)
    assert 'value="Director of Research Computing"' in form
    response = edit(client, token, title="Head of Research Computing", location="Golden, CO, USA")
    assert response.status_code == 302
    with board.session() as session:
        row = session.scalar(select(Submission))
        assert row.title == "Head of Research Computing"
        assert row.normalized["location_display"] == "Golden CO USA"


def test_edit_errors_keep_input_and_change_nothing(client, board):
    token = status_token(submit(client))
    response = edit(client, token, title=f"Head {XSS}", contact_email="nope")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Plain text only" in html and 'value="nope"' in html
    assert_escaped(html)
    with board.session() as session:
        assert session.scalar(select(Submission)).title == "Director of Research Computing"


def test_withdraw_then_no_more_edits(client, board):
    token = status_token(submit(client))
    before = client.get(f"/submit/status/{token}").get_data(as_text=True)
    assert withdraw(client, token).status_code == 302
    page = client.get(f"/submit/status/{token}").get_data(as_text=True)
    assert 'id="status">withdrawn' in page
    assert "Withdraw it" not in page
    assert client.get(f"/submit/status/{token}/edit").status_code == 302
    data = dict(valid_fields(title="Sneaky change"), csrf_token=csrf_token(before))
    refused = client.post(f"/submit/status/{token}/edit", data=data)
    assert refused.status_code == 302
    again = client.post(
        f"/submit/status/{token}/withdraw",
        data={"csrf_token": csrf_token(before)},
        follow_redirects=True,
    )
    assert "can no longer change" in again.get_data(as_text=True)
    with board.session() as session:
        row = session.scalar(select(Submission))
        assert row.status == WITHDRAWN and row.title == "Director of Research Computing"


def test_withdraw_needs_the_csrf_token(client, board):
    token = status_token(submit(client))
    assert client.post(f"/submit/status/{token}/withdraw").status_code == 400
    with board.session() as session:
        assert session.scalar(select(Submission)).status == "pending"
