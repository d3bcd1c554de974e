"""Editor login and logout; `register` also wires CSRF, login and rate limiting app-wide."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask_login import login_required, login_user, logout_user

from board.accounts import security
from board.accounts.forms import LoginForm
from board.accounts.models import Editor
from board.accounts.services import authenticate
from board.web import get_db

bp = Blueprint("accounts", __name__)


def register(app: Flask) -> None:
    """Install the app-wide protections and the login pages."""
    security.configure(app)
    app.register_blueprint(bp)


@security.login_manager.user_loader
def load_editor(editor_id: str) -> Editor | None:
    """The logged-in editor for Flask-Login."""
    return get_db().get(Editor, int(editor_id)) if editor_id.isdigit() else None


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login (no open redirects)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return url_for("editor.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@security.limiter.limit(lambda: security.configured_limit("RCJOBS_LOGIN_LIMIT"), methods=["POST"])
def login():  # noqa: ANN201
    """Show the login form; log the editor in."""
    form = LoginForm()
    if form.validate_on_submit():
        db = get_db()
        editor = authenticate(db, form.email.data or "", form.password.data or "")
        if editor is not None:
            db.commit()
            session.clear()
            login_user(editor)
            return redirect(_safe_next(request.args.get("next")))
        flash("Wrong email or password.", "error")
    return render_template(
        "accounts/login.html", form=form
    ), 200 if request.method == "GET" else 400


@bp.post("/logout")
@login_required
def logout():  # noqa: ANN201
    """Log out and forget the session."""
    logout_user()
    session.clear()
    return redirect(url_for("jobs.listing"))
