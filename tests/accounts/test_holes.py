"""The login's holes, each by the exact request: open redirects, copied cookies, guessing."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from board.accounts.models import Editor
from board.accounts.redirects import is_local_path, safe_next
from board.accounts.services import lock_for
from tests.accounts.support import (
    EDITOR_EMAIL,
    EDITOR_PASSWORD,
    add_editor,
    csrf_token,
    login,
    make_app,
    token_from,
)


def login_to(client, next_value: str):
    data = {
        "csrf_token": token_from(client, "/login"),
        "email": EDITOR_EMAIL,
        "password": EDITOR_PASSWORD,
    }
    return client.post(f"/login?next={next_value}", data=data)


@pytest.mark.parametrize(
    "next_value",
    [
        "%2F%09%2Fevil.example%2F",  # "/\t/evil.example/": browsers drop the tab
        "%2F%0A%2Fevil.example%2F",
        "%2F%0D%2Fevil.example",
        "%2F%5Cevil.example",  # "/\\evil.example"
        "%5C%5Cevil.example",
        "%2F%252Fevil.example",  # "/%2Fevil.example": "//evil.example" once decoded again
        "%2F%25252Fevil.example",
        "%20%2F%2Fevil.example",
        "https%3A%2F%2Fevil.example%2F",
        "%2F%2F%2Fevil.example",
        "javascript%3Aalert(1)",
        "%2F%00%2Fevil.example",
    ],
)
def test_login_never_redirects_off_site(app, board, next_value):
    add_editor(board)
    response = login_to(app.test_client(), next_value)
    assert response.status_code == 302
    assert response.headers["Location"] == "/editor/"


def test_login_follows_a_local_next_with_its_query(app, board):
    add_editor(board)
    response = login_to(app.test_client(), "%2Feditor%2Fissues%2F%3Fpage%3D2")
    assert response.headers["Location"] == "/editor/issues/?page=2"


def test_local_paths_are_judged_after_every_decoding():
    assert is_local_path("/jobs?q=a%20b")
    assert not is_local_path("/\t/evil.example/")
    assert not is_local_path("/%2F%2Fevil.example")
    deep = "//evil.example"
    for _ in range(6):
        deep = quote(deep, safe="")
    assert not is_local_path(deep)  # still decoding after four rounds: refused
    assert safe_next("/\t/evil.example/", "/home") == "/home"
    assert safe_next("/editor/", "/home") == "/editor/"


def session_cookie(client) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_a_session_cookie_copied_before_logout_no_longer_opens_the_editor(app, board):
    add_editor(board)
    client = app.test_client()
    assert login(client).status_code == 302
    copied = session_cookie(client)
    page = client.get("/editor/").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 302

    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/editor/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]

    again = app.test_client()  # logging in again works, with a new session
    assert login(again).status_code == 302
    assert again.get("/editor/").status_code == 200


def test_logout_ends_the_editor_s_other_sessions_too(app, board):
    add_editor(board)
    laptop, phone = app.test_client(), app.test_client()
    assert login(laptop).status_code == 302 and login(phone).status_code == 302
    page = laptop.get("/editor/").get_data(as_text=True)
    laptop.post("/logout", data={"csrf_token": csrf_token(page)})
    assert phone.get("/editor/").status_code == 302


def test_repeated_failures_lock_the_account_whatever_the_address(board, frozen):
    add_editor(board)
    app = make_app(board, RCJOBS_LOGIN_LIMIT="1000 per minute")
    for n in range(5):  # each from another address: per-address limits never trigger
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"198.51.100.{n}"
        assert login(client, EDITOR_EMAIL, "wrong password!!").status_code == 400
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    response = login(client)  # the right password, but the account is locked
    assert response.status_code == 400
    assert "Wrong email or password." in response.get_data(as_text=True)
    assert client.get("/editor/").status_code == 302
    frozen.shift(61)  # the first lock lasts a minute
    assert login(client).status_code == 302
    with board.session() as session:
        editor = session.scalar(select(Editor))
        assert editor.failed_logins == 0 and editor.locked_until is None


def test_the_lock_doubles_with_every_further_failure(board, frozen):
    add_editor(board)
    app = make_app(board, RCJOBS_LOGIN_LIMIT="1000 per minute")
    client = app.test_client()
    for _ in range(5):
        login(client, EDITOR_EMAIL, "wrong password!!")
    frozen.shift(61)
    login(client, EDITOR_EMAIL, "wrong password!!")  # the sixth: two minutes
    frozen.shift(61)
    assert login(client).status_code == 400
    frozen.shift(60)
    assert login(client).status_code == 302
    assert lock_for(4) is None
    assert [lock_for(n) for n in (5, 6, 7)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert lock_for(100) == timedelta(hours=24)


def test_https_behind_a_proxy_gets_hsts_and_secure_cookies(board, frozen):
    board.settings.base_url = "http://127.0.0.1:8000"  # cookies not Secure by configuration
    app = make_app(board, RCJOBS_COOKIE_SECURE=None, RCJOBS_PROXY_COUNT=1)
    client = app.test_client()
    response = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "Secure" in cookie
    plain = client.get("/login")
    assert "Strict-Transport-Security" not in plain.headers


def test_a_forwarded_scheme_is_not_believed_without_a_trusted_proxy(board, frozen):
    app = make_app(board, RCJOBS_COOKIE_SECURE=None)
    response = app.test_client().get("/login", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers


def test_https_served_directly_gets_hsts(board, frozen):
    app = make_app(board)
    response = app.test_client().get("/jobs", base_url="https://jobs.example.test")
    assert "includeSubDomains" in response.headers["Strict-Transport-Security"]
