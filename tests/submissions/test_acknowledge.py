"""The form mails its acknowledgement only to the posting's own domain or a confirmed address."""

from __future__ import annotations

from board.submissions.acknowledge import registrable_domain, same_domain
from tests.accounts.support import mails, status_token, submit, valid_fields
from tests.alerts.support import confirm, subscribe


def test_a_stranger_s_address_gets_no_mail(client, board):
    fields = valid_fields(contact_email="victim@elsewhere.example.org")
    response = submit(client, fields)
    assert response.status_code == 302  # stored all the same
    assert mails(board) == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "We did not email this page&#39;s link" in page
    assert status_token(response)


def test_an_address_at_the_posting_s_domain_gets_the_status_link(client, board):
    response = submit(client, valid_fields(contact_email="recruiter@example.edu"))
    [message] = mails(board)
    assert message["To"] == "recruiter@example.edu"
    assert status_token(response) in message.get_content()


def test_an_address_confirmed_on_rcjobs_gets_it_too(client, board):
    assert subscribe(client, "q=hpc", "ann@gmail.example").status_code == 200
    confirm(client, mails(board)[0])
    submit(client, valid_fields(contact_email="ann@gmail.example"))
    assert [m["To"] for m in mails(board)] == ["ann@gmail.example", "ann@gmail.example"]
    assert "Received:" in mails(board)[-1]["Subject"]


def test_the_rule_is_explained_on_the_form(client):
    page = client.get("/submit").get_data(as_text=True)
    assert "only to an address at the posting&#39;s own domain" in page


def test_domains_compare_under_the_public_suffix():
    assert registrable_domain("jobs.ox.ac.uk") == "ox.ac.uk"
    assert same_domain("a@cs.ox.ac.uk", "https://jobs.ox.ac.uk/x")
    assert not same_domain("a@cam.ac.uk", "https://jobs.ox.ac.uk/x")  # both under ac.uk
    assert not same_domain("a@ac.uk", "https://jobs.ox.ac.uk/x")
    assert not same_domain("not-an-address", "https://example.edu/")
    assert not same_domain("a@127.0.0.1", "http://127.0.0.1/")
