"""Alert pages: subscribe from a search, confirm, manage, unsubscribe (one click, RFC 8058)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from board.accounts.security import configured_limit, csrf, limiter
from board.alerts import mail, services
from board.alerts.models import Alert
from board.alerts.services import AlertError
from board.mail import app_mailer
from board.web import params as P
from board.web.context import get_db

bp = Blueprint("alerts", __name__, url_prefix="/alerts")


def register(app: Flask) -> None:
    """The alert pages; the one-click unsubscribe POST carries no CSRF token (RFC 8058)."""
    app.register_blueprint(bp)
    csrf.exempt(f"{__name__}.one_click")


@bp.after_request
def private_headers(response: Response) -> Response:
    """Alert links carry a secret: no referrer, no caching, no indexing."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _render(template: str, **context: object) -> str:
    return render_template(template, P=P, **context)


@bp.get("/new")
def new() -> str:
    """The subscribe form for the search in the query string."""
    from board.alerts.forms import AlertForm

    form = AlertForm(query=services.alert_query(request.args))
    return _render("alerts/new.html", form=form, search=services.search_of(form.query.data))


@bp.post("")
@limiter.limit(lambda: configured_limit("RCJOBS_ALERT_LIMIT"))
def create():  # noqa: ANN201
    """Store a pending alert, then mail the confirmation link (nothing else until confirmed)."""
    from board.alerts.forms import AlertForm

    form = AlertForm()
    query = services.alert_query(MultiDict(parse_qsl(form.query.data or "")))
    search = services.search_of(query)
    if not form.validate():
        return _render("alerts/new.html", form=form, search=search), 400
    db = get_db()
    try:
        alert, token = services.subscribe(
            db, form.email.data or "", query, form.frequency.data, current_app.secret_key
        )
        db.commit()
    except AlertError as exc:
        db.rollback()
        form.email.errors = [str(exc)]
        return _render("alerts/new.html", form=form, search=search), 400
    mail.send_confirmation(app_mailer(current_app), alert, token, search)
    return _render("alerts/check_mail.html", email=alert.email, search=search)


def _alert(token: str) -> Alert:
    alert = services.by_token(get_db(), token)
    if alert is None:
        abort(404, description="This alert link is not valid (the alert may have been deleted).")
    return alert


@bp.get("/<token>")
def manage(token: str) -> str:
    """The alert's private page: its search, how often, confirm, unsubscribe, delete."""
    from board.alerts.forms import FrequencyForm

    alert = _alert(token)
    form = FrequencyForm(frequency=alert.frequency)
    return _render(
        "alerts/manage.html",
        alert=alert,
        token=token,
        form=form,
        search=services.search_of(alert.query),
    )


@bp.post("/<token>")
def change(token: str):  # noqa: ANN201
    """Change how often the alert mails."""
    from board.alerts.forms import FrequencyForm

    alert = _alert(token)
    form = FrequencyForm()
    if form.validate():
        try:
            services.change_frequency(alert, form.frequency.data)
            get_db().commit()
            flash(f"The alert now mails {alert.frequency}.", "info")
        except AlertError as exc:
            flash(str(exc), "error")
    return redirect(url_for("alerts.manage", token=token))


@bp.route("/<token>/confirm", methods=["GET", "POST"])
def confirm(token: str):  # noqa: ANN201
    """GET shows a button (mail scanners follow links); POST confirms the address."""
    alert = _alert(token)
    if request.method == "GET":
        return _render("alerts/confirm.html", alert=alert, token=token)
    services.confirm(alert)
    get_db().commit()
    flash("Confirmed: new jobs like these will come by mail.", "info")
    return redirect(url_for("alerts.manage", token=token))


@bp.get("/<token>/unsubscribe")
def unsubscribe(token: str) -> str:
    """A page with the unsubscribe button (the mail's link)."""
    return _render("alerts/unsubscribe.html", alert=_alert(token), token=token)


@bp.post("/<token>/unsubscribe")
def one_click(token: str) -> ResponseReturnValue:
    """Unsubscribe: from the page's button or a mail client's one-click POST (RFC 8058)."""
    alert = _alert(token)
    services.unsubscribe(alert)
    get_db().commit()
    if request.form.get("List-Unsubscribe") == "One-Click":
        return Response("unsubscribed\n", mimetype="text/plain")
    flash("Unsubscribed: this alert sends no more mail.", "info")
    return redirect(url_for("alerts.manage", token=token))


@bp.post("/<token>/delete")
def delete(token: str):  # noqa: ANN201
    """Delete the alert and its address."""
    alert = _alert(token)
    services.delete_alert(get_db(), alert)
    get_db().commit()
    return _render("alerts/deleted.html")
