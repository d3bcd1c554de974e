"""Templates get the user lazily only where loading it could change nothing (login_context)."""

from __future__ import annotations

from flask import g
from flask_login import user_accessed

from board.web import login_context
from tests.accounts.support import EDITOR_EMAIL


def loads(app, client, path: str, **kwargs) -> int:
    """How many times Flask-Login loaded the user while serving path."""
    seen: list[object] = []

    def count(sender: object, **_: object) -> None:
        seen.append(sender)

    with user_accessed.connected_to(count, app):
        response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return len(seen)


def test_flask_login_s_processor_is_replaced(app):
    assert login_context.user_context in app.template_context_processors[None]


def test_an_anonymous_page_does_not_load_the_user(app, client):
    assert loads(app, client, "/jobs") == 0
    assert loads(app, client, "/jobs?q=director") == 0


def test_a_remember_cookie_or_a_session_still_loads_the_user_as_before(app, client):
    client.set_cookie("remember_token", "1|nonsense")
    assert loads(app, client, "/jobs") == 1
    client.delete_cookie("remember_token")
    client.get("/login")  # the login form puts a CSRF token in the session
    assert loads(app, client, "/jobs") == 1


def test_an_editor_s_pages_show_who_is_logged_in(app, editor_client):
    page = editor_client.get("/editor/").get_data(as_text=True)
    assert EDITOR_EMAIL in page
    assert loads(app, editor_client, "/jobs") == 1


def test_the_lazy_user_is_flask_login_s_anonymous_user(app):
    with app.test_request_context("/jobs"):
        assert login_context.certainly_anonymous()
        user = login_context.user_context()["current_user"]
        assert "_login_user" not in g
        assert not user.is_authenticated
        assert "_login_user" in g
