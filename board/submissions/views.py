"""The public submission form (with prefill and preview) and the private status pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from board.accounts.security import configured_limit, limiter
from board.mail import app_mailer
from board.models import Posting
from board.submissions import notify, services, tokens
from board.submissions.acknowledge import may_acknowledge
from board.submissions.models import FIELDS, Submission
from board.submissions.pinned import Allowance
from board.submissions.preview import preview_posting
from board.submissions.services import SubmissionError
from board.web.context import TEMPLATES, get_board, get_db

if TYPE_CHECKING:
    from board.submissions.forms import NewSubmissionForm, SubmissionForm

bp = Blueprint(
    "submissions",
    __name__,
    static_folder=str(TEMPLATES / "submit" / "static"),
    static_url_path="/submit/static",
)


@bp.app_context_processor
def submission_fields() -> dict[str, object]:
    """The submission's field names, for the preview's hidden copy of the form."""
    return {"submission_fields": FIELDS}


@bp.after_request
def private_headers(response: Response) -> Response:
    """Status links carry a secret: never leak it as a referrer, never cache the pages."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _form_page(form: SubmissionForm, status: int = 200) -> tuple[str, int]:
    return render_template("submit/form.html", form=form), status


def _refused(form: SubmissionForm) -> tuple[str, int]:
    flash("This submission could not be accepted.", "error")
    return _form_page(form, 400)


def _status_url(token: str) -> str:
    base = current_app.config.get("BASE_URL", "")
    return f"{base}{url_for('submissions.status', token=token)}"


@bp.route("/submit", methods=["GET", "POST"])
def new():  # noqa: ANN201
    """The form; a valid POST shows the preview with a signed preview token."""
    from board.submissions.forms import NewSubmissionForm

    form = NewSubmissionForm()
    if request.method == "GET" or request.form.get("action") == "edit":
        return _form_page(form)
    if _only_prefill_url(form):  # Enter pressed in the prefill address: prefill, keep the POST
        return redirect(url_for("submissions.prefill_form"), code=307)
    if form.is_spam():
        return _refused(form)
    if not form.validate():
        return _form_page(form, 400)
    try:
        draft = services.draft(form.fields())
    except SubmissionError as exc:
        flash(str(exc), "error")
        return _form_page(form, 400)
    form.preview_token.data = tokens.issue(current_app.secret_key, form.fields())
    posting = preview_posting(draft.fields, draft.normalized, draft.description_html)
    return render_template("submit/preview.html", form=form, draft=draft, posting=posting)


def _only_prefill_url(form: NewSubmissionForm) -> bool:
    """Whether the form came by the default button with a prefill address and no typed job."""
    typed = any(form.fields()[name] for name in ("title", "institution", "url", "description"))
    return "action" not in request.form and bool(form.prefill_url.data) and not typed


@bp.post("/submit/prefill")
@limiter.limit(lambda: configured_limit("RCJOBS_PREFILL_LIMIT"))
def prefill_form():  # noqa: ANN201
    """Fill the form from the posting page's JobPosting data, keeping what was typed."""
    from board.submissions.forms import NewSubmissionForm

    # Imported here: the extractors (bs4, extruct...) cost most of the site's start-up.
    from board.submissions.prefill import PrefillError, prefill

    form = NewSubmissionForm()
    if not form.prefill_url.data or not form.prefill_url.validate(form):
        form.prefill_url.errors = list(form.prefill_url.errors) or ["Enter the posting's URL."]
        return _form_page(form, 400)
    try:
        found = prefill(form.prefill_url.data, allow_private=_allow_private())
    except PrefillError as exc:
        form.prefill_url.errors = [str(exc)]
        return _form_page(form, 422)
    for name, value in found.items():
        getattr(form, name).data = value
        getattr(form, name).raw_data = []  # show the page's value, not the empty one posted
    flash(f"Filled in {len(found)} field(s) from the page: please check them.", "info")
    return _form_page(form)


def _allow_private() -> Allowance:
    """Tests allow every address; otherwise only RCJOBS_PREFILL_ALLOW's (the demo's sites)."""
    if current_app.config.get("RCJOBS_PREFILL_ALLOW_PRIVATE"):
        return True
    return get_board().settings.prefill_allow


@bp.post("/submit/send")
@limiter.limit(lambda: configured_limit("RCJOBS_SUBMIT_LIMIT"))
def send():  # noqa: ANN201
    """Store the previewed submission (once), then send the acknowledgement."""
    from board.submissions.forms import NewSubmissionForm

    form = NewSubmissionForm()
    if form.is_spam():
        return _refused(form)
    if not form.validate():
        return _form_page(form, 400)
    db = get_db()
    try:
        nonce = tokens.check(current_app.secret_key, form.preview_token.data, form.fields())
        submission, token = services.create(db, form.fields(), nonce)
        db.commit()
    except SubmissionError as exc:
        db.rollback()
        flash(str(exc), "error")
        return _form_page(form, 409)
    # Stored and committed. Read who to tell, end the transaction (no lock is held while
    # mail goes out), then mail: a mail failure never loses the submission.
    acknowledged = may_acknowledge(db, submission.contact_email, submission.url)
    editors = notify.audience(db)
    db.commit()  # ends the read (a rollback would expire `submission` and read it again)
    mailer = app_mailer(current_app)
    review = url_for("editor.submission", submission_id=submission.id)
    base = current_app.config.get("BASE_URL", "")
    notify.announce_new(mailer, submission, f"{base}{review}", editors)
    if acknowledged:
        services.acknowledge(mailer, submission, _status_url(token))
        flash("Thank you: your posting is waiting for review. Keep this page's link.", "info")
    else:
        flash(
            "Thank you: your posting is waiting for review. We did not email this page's link"
            " (the contact address is not at the posting's own domain): bookmark it now.",
            "info",
        )
    return redirect(url_for("submissions.status", token=token))


def _submission(token: str) -> Submission:
    submission = services.by_token(get_db(), token)
    if submission is None:
        abort(404)
    return submission


@bp.get("/submit/status/<token>")
def status(token: str):  # noqa: ANN201
    """The submitter's private page: state, decision and reason, edit and withdraw."""
    submission = _submission(token)
    posting = get_db().get(Posting, submission.posting_id) if submission.posting_id else None
    url = url_for("jobs.posting", public_id=posting.public_id) if posting else None
    return render_template(
        "submit/status.html", submission=submission, token=token, posting_url=url
    )


@bp.route("/submit/status/<token>/edit", methods=["GET", "POST"])
def edit(token: str):  # noqa: ANN201
    """Edit a pending submission."""
    from board.submissions.forms import SubmissionForm

    submission = _submission(token)
    if not submission.is_pending:
        flash(f"This submission is {submission.status} and can no longer be edited.", "error")
        return redirect(url_for("submissions.status", token=token))
    form = SubmissionForm(data=submission.form_data() if request.method == "GET" else None)
    if request.method == "POST" and not form.is_spam() and form.validate():
        try:
            services.update(get_db(), submission, form.fields())
            get_db().commit()
            flash("Your changes are saved.", "info")
            return redirect(url_for("submissions.status", token=token))
        except SubmissionError as exc:
            get_db().rollback()
            flash(str(exc), "error")
    code = 400 if request.method == "POST" else 200
    return render_template("submit/edit.html", form=form, token=token), code


@bp.post("/submit/status/<token>/withdraw")
def withdraw(token: str):  # noqa: ANN201
    """Withdraw a pending submission."""
    submission = _submission(token)
    try:
        services.withdraw(get_db(), submission)
        get_db().commit()
        flash("Your submission is withdrawn.", "info")
    except SubmissionError as exc:
        flash(str(exc), "error")
    return redirect(url_for("submissions.status", token=token))
