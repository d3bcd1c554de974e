"""The editor's pages: dashboard, submission review, posting corrections (login required)."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for

from board import audit, indexing, queries
from board.accounts.security import current_editor, require_editor
from board.clock import today as utc_today
from board.corrections import (
    EditorError,
    correct,
    set_hidden,
    set_relevant,
    split_link,
)
from board.editor import health
from board.mail import app_mailer
from board.models import Posting
from board.submissions import services as submissions
from board.submissions.models import Submission
from board.submissions.services import SubmissionError
from board.web.charts import bar_chart
from board.web.context import get_board, get_db

bp = Blueprint("editor", __name__, url_prefix="/editor")
DASHBOARD_TOP = 8
DASHBOARD_AUDIT = 12
bp.before_request(require_editor)


@bp.get("/")
def dashboard():  # noqa: ANN201
    """Compact: submissions waiting, the top of the review queue, the draft, health, audit."""
    from board.review import services as review

    db, today = get_db(), utc_today()
    waiting = review.queue(db, today)
    sources = health.source_health(db, today)
    return render_template(
        "editor/dashboard.html",
        queue=submissions.queue(db),
        review=waiting,
        top=waiting.rows[:DASHBOARD_TOP],
        draft=waiting.draft,
        overall=bar_chart(health.weekly_new_relevant(db, today), "New relevant postings per week"),
        warned=[h for h in sources if h.warnings],
        healthy=[h for h in sources if not h.warnings],
        chart=bar_chart,
        log=audit.recent(db, DASHBOARD_AUDIT),
    )


@bp.get("/submissions")
def decided():  # noqa: ANN201
    """Approved, rejected and withdrawn submissions, filtered by state, a page at a time."""
    state = request.args.get("state") or None
    try:
        found = submissions.decided(get_db(), state, request.args.get("page", 1, type=int))
    except SubmissionError as exc:
        abort(400, str(exc))
    states = submissions.DECIDED
    return render_template("editor/submissions.html", found=found, state=state, states=states)


def _submission(submission_id: int) -> Submission:
    return get_db().get(Submission, submission_id) or abort(404)


@bp.get("/submissions/<int:submission_id>")
def submission(submission_id: int):  # noqa: ANN201
    """One submission with its normalized preview and the decision form."""
    from board.editor.forms import DecisionForm

    item = _submission(submission_id)
    return render_template("editor/submission.html", item=item, form=DecisionForm())


@bp.post("/submissions/<int:submission_id>/decide")
def decide(submission_id: int):  # noqa: ANN201
    """Approve (into a posting) or reject a pending submission, then tell the submitter."""
    from board.editor.forms import DecisionForm

    item, form, db = _submission(submission_id), DecisionForm(), get_db()
    if not form.validate():
        return render_template("editor/submission.html", item=item, form=form), 400
    try:
        posting = _decide(item, form.decision.data == "approve", form.reason.data or "")
        db.commit()
    except SubmissionError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("editor.submission", submission_id=submission_id))
    _announce(item, posting)
    flash(f"Submission {item.status}.", "info")
    return redirect(url_for("editor.dashboard"))


def _decide(item: Submission, approve: bool, reason: str) -> Posting | None:
    """Record the decision; the new (or merged) posting when approved."""
    if approve:
        base = current_app.config.get("BASE_URL", "")
        return submissions.approve(get_db(), item, current_editor(), base, reason)
    submissions.reject(get_db(), item, current_editor(), reason)
    return None


def _announce(item: Submission, posting: Posting | None) -> None:
    """After the commit: update the index and mail the submitter (failures only logged)."""
    url = None
    if posting is not None:
        indexing.catch_up_quietly(get_board())
        path = url_for("jobs.posting", public_id=posting.public_id)
        url = f"{current_app.config.get('BASE_URL', '')}{path}"
    submissions.announce_decision(app_mailer(current_app), item, url)


def _posting(public_id: str) -> Posting:
    return queries.get_posting(get_db(), public_id[:20]) or abort(404)


@bp.get("/postings/<public_id>")
def posting(public_id: str):  # noqa: ANN201
    """A posting's normalized fields, its source links, and the editor's actions."""
    from board.editor.forms import CorrectionForm

    row = _posting(public_id)
    form = CorrectionForm(data=_correction_data(row))
    return render_template("editor/posting.html", posting=row, form=form)


def _correction_data(row: Posting) -> dict:
    return {
        "title": row.title,
        "institution": row.institution_name,
        "location_display": row.location_display,
        "role": row.role,
        "closes_on": row.closes_on,
        "summary": row.summary,
    }


def _done(row: Posting, message: str):  # noqa: ANN202 - a redirect
    get_db().commit()
    indexing.catch_up_quietly(get_board())
    flash(message, "info")
    return redirect(url_for("editor.posting", public_id=row.public_id))


@bp.post("/postings/<public_id>/hide")
def hide(public_id: str):  # noqa: ANN201
    """Hide a posting from the public, or show it again."""
    row, hidden = _posting(public_id), request.form.get("hidden") != "0"
    set_hidden(get_db(), row, hidden, current_editor())
    return _done(row, "Posting hidden." if hidden else "Posting visible again.")


@bp.post("/postings/<public_id>/relevance")
def relevance(public_id: str):  # noqa: ANN201
    """Mark a posting not relevant (or relevant)."""
    row, relevant = _posting(public_id), request.form.get("relevant") == "1"
    set_relevant(get_db(), row, relevant, current_editor())
    return _done(row, "Marked relevant." if relevant else "Marked not relevant.")


@bp.post("/postings/<public_id>/correct")
def correct_fields(public_id: str):  # noqa: ANN201
    """Correct normalized fields; the corrections survive re-crawls."""
    from board.editor.forms import CorrectionForm

    row, form = _posting(public_id), CorrectionForm()
    if not form.validate():
        return render_template("editor/posting.html", posting=row, form=form), 400
    changes = {name: getattr(form, name).data for name in _correction_data(row)}
    changed = correct(get_db(), row, changes, current_editor())
    if "location_display" in changed and row.location_display and not row.locations:
        flash("The location was kept as typed but names no place the filters know.", "error")
    return _done(row, f"Corrected: {', '.join(changed)}." if changed else "Nothing changed.")


@bp.post("/postings/<public_id>/split/<int:link_id>")
def split(public_id: str, link_id: int):  # noqa: ANN201
    """Split a wrongly merged source link into a posting of its own."""
    row = _posting(public_id)
    try:
        moved = split_link(get_db(), row, link_id, current_editor())
    except EditorError as exc:
        flash(str(exc), "error")
        return redirect(url_for("editor.posting", public_id=public_id))
    get_db().commit()
    indexing.catch_up_quietly(get_board())
    flash(f"Split into a new posting {moved.public_id}.", "info")
    return redirect(url_for("editor.posting", public_id=moved.public_id))
