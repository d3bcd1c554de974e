"""Editor accounts: the CLI, login/logout, cookies, rate limits, and refusal without a session."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import select

from board.accounts.models import Editor
from board.accounts.ratelimit import storage_uri
from board.cli import main
from tests.accounts.support import (
    EDITOR_EMAIL,
    EDITOR_PASSWORD,
    add_editor,
    csrf_token,
    login,
    make_app,
    token_from,
)
from tests.conftest import redis_url


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def test_editor_add_prompts_and_stores_a_scrypt_hash(board):
    result = run("editor", "add", "Editor@Example.org", input=f"{EDITOR_PASSWORD}\n" * 2)
    assert result.exit_code == 0, result.output
    assert "editor editor@example.org added" in result.output
    assert EDITOR_PASSWORD not in result.output
    with board.session() as session:
        editor = session.scalar(select(Editor))
        assert editor.email == "editor@example.org"
        assert editor.password_hash.startswith("scrypt:")
    assert "editor@example.org" in run("editor", "list").output


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("editor@example.org", "short", "at least 12 characters"),
        ("not-an-email", EDITOR_PASSWORD, "not a valid email"),
        (EDITOR_EMAIL, EDITOR_PASSWORD, "already exists"),
    ],
)
def test_editor_add_refuses_bad_input_with_exit_2(board, email, password, message):
    add_editor(board)
    result = run("editor", "add", email, input=f"{password}\n" * 2)
    assert result.exit_code == 2
    assert message in result.output


def test_editor_add_without_a_database_is_a_usage_error(instance):
    result = run("editor", "add", EDITOR_EMAIL, input=f"{EDITOR_PASSWORD}\n" * 2)
    assert result.exit_code == 2
    assert "rcjobs init" in result.output


def test_login_and_logout(app, board):
    add_editor(board)
    client = app.test_client()
    assert client.get("/editor/").status_code == 302
    response = login(client)
    assert response.status_code == 302 and response.headers["Location"] == "/editor/"
    dashboard = client.get("/editor/")
    assert dashboard.status_code == 200 and EDITOR_EMAIL in dashboard.get_data(as_text=True)
    page = dashboard.get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code == 302
    assert client.get("/editor/").status_code == 302
    # the old page's token belonged to the logged-out session
    assert client.post("/logout", data={"csrf_token": csrf_token(page)}).status_code in (302, 400)


def test_wrong_password_or_unknown_account_is_refused_alike(app, board):
    add_editor(board)
    client = app.test_client()
    for email, password in ((EDITOR_EMAIL, "wrong password!!"), ("nobody@example.org", "x")):
        response = login(client, email, password)
        assert response.status_code == 400
        assert "Wrong email or password." in response.get_data(as_text=True)
    assert client.get("/editor/").status_code == 302


def test_login_needs_the_csrf_token(app, board):
    add_editor(board)
    client = app.test_client()
    client.get("/login")
    response = client.post("/login", data={"email": EDITOR_EMAIL, "password": EDITOR_PASSWORD})
    assert response.status_code == 400
    assert client.get("/editor/").status_code == 302


def test_login_redirects_only_to_local_pages(app, board):
    add_editor(board)
    client = app.test_client()
    data = {
        "csrf_token": token_from(client, "/login"),
        "email": EDITOR_EMAIL,
        "password": EDITOR_PASSWORD,
    }
    response = client.post("/login?next=//evil.example/x", data=data)
    assert response.headers["Location"] == "/editor/"
    client = app.test_client()
    data["csrf_token"] = token_from(client, "/login")
    response = client.post("/login?next=/editor/issues/", data=data)
    assert response.headers["Location"] == "/editor/issues/"


def editor_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("editor.", "issues.")):
            values = {
                arg: 1
                if arg in ("number", "submission_id", "highlight_id", "link_id")
                else "markdown"
                if arg == "fmt"
                else "abc"
                for arg in rule.arguments
            }
            yield rule, rule.build(values)[1]


def test_every_editor_page_and_action_is_refused_without_a_session(app):
    client = app.test_client()
    token = token_from(client)
    rules = list(editor_rules(app))
    assert len(rules) >= 15
    for rule, url in rules:
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(url, method=method, data={"csrf_token": token})
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login"), (method, url)


def test_editor_actions_are_csrf_checked(editor_client, app):
    for rule, url in editor_rules(app):
        if "POST" in rule.methods:
            assert editor_client.post(url, data={}).status_code == 400, url


def session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


def test_session_cookie_is_secure_and_http_only_by_default(board, frozen):
    app = make_app(board, RCJOBS_COOKIE_SECURE=None)  # base url http://jobs.example.test
    assert app.config["SESSION_COOKIE_SECURE"] is True
    cookie = session_cookie(app.test_client().get("/login"))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_plain_http_on_loopback_turns_secure_cookies_off(board, frozen):
    board.settings.base_url = "http://127.0.0.1:8000"
    app = make_app(board, RCJOBS_COOKIE_SECURE=None)
    assert app.config["SESSION_COOKIE_SECURE"] is False
    cookie = session_cookie(app.test_client().get("/login"))
    assert "HttpOnly" in cookie and "Secure" not in cookie


def test_login_is_rate_limited(board, frozen):
    add_editor(board)
    client = make_app(board, RCJOBS_LOGIN_LIMIT="3 per minute").test_client()
    codes = [login(client, EDITOR_EMAIL, "wrong password!!").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    assert login(client).status_code == 429  # even the right password, until the window passes
    assert client.get("/login").status_code == 200  # only POSTs count


def test_rate_limits_are_shared_through_redis(board, frozen):
    url = redis_url()
    if not url:
        pytest.skip("RCJOBS_TEST_REDIS_URL not set: the Redis-backed rate limiter is not tested")
    config = {
        "RATELIMIT_STORAGE_URI": url,
        "RATELIMIT_KEY_PREFIX": f"t{uuid.uuid4().hex}",
        "RCJOBS_LOGIN_LIMIT": "2 per minute",
    }
    first, second = make_app(board, **config), make_app(board, **config)
    assert login(first.test_client(), "a@example.org", "x").status_code == 400
    assert login(second.test_client(), "a@example.org", "x").status_code == 400
    assert login(first.test_client(), "a@example.org", "x").status_code == 429


def test_a_redis_outage_falls_back_to_limits_in_this_process(board, frozen, caplog):
    app = make_app(
        board, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0", RCJOBS_LOGIN_LIMIT="2 per minute"
    )
    client = app.test_client()
    codes = [login(client, "a@example.org", "x").status_code for _ in range(3)]
    assert codes == [400, 400, 429]


def test_rate_limits_without_redis_are_shared_by_the_worker_processes(board, frozen):
    """gunicorn runs several workers: without Redis, limits count in a file they all share."""
    app = make_app(board, RCJOBS_LOGIN_LIMIT="3 per minute")
    uri = app.config["RATELIMIT_STORAGE_URI"]
    assert uri == storage_uri(Path(board.settings.instance_dir) / "ratelimits.sqlite3")
    worker_a, worker_b = storage_from_string(uri), storage_from_string(uri)  # no shared memory
    limit, limiter = parse("3 per minute"), FixedWindowRateLimiter(worker_a)
    other = FixedWindowRateLimiter(worker_b)
    assert [limiter.hit(limit, "1.2.3.4"), other.hit(limit, "1.2.3.4")] == [True, True]
    assert limiter.hit(limit, "1.2.3.4") is True
    assert other.hit(limit, "1.2.3.4") is False
    assert other.hit(limit, "5.6.7.8") is True
    frozen.shift(61)
    assert limiter.hit(limit, "1.2.3.4") is True


def test_the_unknown_account_hash_costs_what_an_editors_does():
    """The written-down dummy hash has the parameters new editors' hashes get (same time)."""
    from werkzeug.security import check_password_hash, generate_password_hash

    from board.accounts.services import _DUMMY_HASH

    made = generate_password_hash("another password", method="scrypt")
    assert _DUMMY_HASH.split("$")[0] == made.split("$")[0]
    assert check_password_hash(_DUMMY_HASH, "not a real password")
