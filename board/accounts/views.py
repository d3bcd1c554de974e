"""Editor login and logout; `register` also wires CSRF, login and rate limiting app-wide."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user

from board.accounts import security
from board.accounts.models import Editor
from board.accounts.redirects import safe_next
from board.accounts.services import authenticate, end_sessions, load_session_editor
from board.web.context import get_db

bp = Blueprint("accounts", __name__)


def register(app: Flask) -> None:
    """Install the app-wide protections and the login pages."""
    security.configure(app)
    app.register_blueprint(bp)


@security.login_manager.user_loader
def load_editor(session_id: str) -> Editor | None:
    """The logged-in editor for Flask-Login, if the session is of the current version."""
    return load_session_editor(get_db(), session_id)


@bp.route("/login", methods=["GET", "POST"])
@security.limiter.limit(lambda: security.configured_limit("RCJOBS_LOGIN_LIMIT"), methods=["POST"])
def login():  # noqa: ANN201
    """Show the login form; log the editor in."""
    from board.accounts.forms import LoginForm

    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        editor = authenticate(db, form.email.data or "", form.password.data or "")
        db.commit()  # the failure count too: repeated failures lock the account for a while
        if editor is not None:
            session.clear()
            login_user(editor)
            return redirect(safe_next(request.args.get("next"), url_for("editor.dashboard")))
        flash("Wrong email or password.", "error")
    return render_template(
        "accounts/login.html", form=form
    ), 200 if request.method == "GET" else 400


@bp.post("/logout")
@login_required
def logout():  # noqa: ANN201
    """Log out and end every session of this editor (copied cookies included)."""
    db = get_db()
    end_sessions(db, security.current_editor())
    db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("jobs.listing"))
