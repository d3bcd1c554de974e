"""The review queue page (/editor/queue): a ranked table, one-click and keyboard decisions.

Forms work without JavaScript (each decision redirects back to the queue, at the next row);
editor.js sends the same forms with fetch and asks for JSON, so the page stays where it is.
A decision that changes what the public sees brings the search index up to date after the
response has gone out.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import (
    Blueprint,
    Flask,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from board import indexing, queries
from board.accounts.security import current_editor, require_editor
from board.clock import today
from board.decisions import DECISION_LABELS, DECISIONS
from board.newsletter import services as issues
from board.review import services
from board.review.services import Filters, ReviewError
from board.submissions import services as submissions
from board.web.context import get_board, get_db

bp = Blueprint("review", __name__, url_prefix="/editor/queue")
bp.before_request(require_editor)
BULK_LIMIT = 500


def register(app: Flask) -> None:
    """The review queue."""
    app.register_blueprint(bp)


@bp.get("/")
def queue():  # noqa: ANN201
    """New postings since the last published issue, most relevant first, with filters."""
    db = get_db()
    filters = Filters.from_args(request.args)
    found = services.queue(db, today(), filters)
    return render_template(
        "editor/queue.html",
        queue=found,
        filters=filters,
        here=_queue_url(filters),
        waiting_submissions=submissions.queue(db),
        labels=DECISION_LABELS,
        next_number=issues.next_number(db),
        today=today(),
    )


def _queue_url(filters: Filters) -> str:
    args = filters.args()
    base = url_for("review.queue")
    return f"{base}?{urlencode(args)}" if args else base


def _back(anchor: str = "") -> str:
    """Where to go after a decision: the queue with the editor's filters (never elsewhere)."""
    target = request.form.get("next", "")
    if not target.startswith(url_for("review.queue")) or "//" in target or "\\" in target:
        target = url_for("review.queue")
    return f"{target}#{anchor}" if anchor else target


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _after(response: Response | WerkzeugResponse, reindex: bool) -> Response | WerkzeugResponse:
    """Bring the index up to date once the response is sent (the decision already stands)."""
    if reindex:
        board = get_board()
        response.call_on_close(lambda: indexing.catch_up_quietly(board))
    return response


@bp.post("/decide")
def decide():  # noqa: ANN201
    """One decision on one posting."""
    db = get_db()
    public_id = request.form.get("public_id", "")[:20]
    decision = request.form.get("decision", "")
    posting = queries.get_posting(db, public_id) if public_id else None
    try:
        if posting is None:
            raise ReviewError("No such posting.")
        outcome = services.decide(db, posting, decision, current_editor())
        db.commit()
    except ReviewError as exc:
        db.rollback()
        if _wants_json():
            return jsonify({"ok": False, "message": str(exc)}), 400
        flash(str(exc), "error")
        return redirect(_back(f"row-{public_id}" if posting else ""))
    if _wants_json():
        body = {"ok": True, "message": outcome.message, "label": DECISION_LABELS[decision]}
        return _after(jsonify(body), outcome.reindex)
    flash(outcome.message, "info")
    after = request.form.get("after", "")[:20]
    return _after(redirect(_back(f"row-{after}" if after else "review-table")), outcome.reindex)


@bp.post("/bulk")
def bulk():  # noqa: ANN201
    """The same decision on every checked posting."""
    db = get_db()
    decision = request.form.get("decision", "")
    ids = [i[:20] for i in request.form.getlist("ids")][:BULK_LIMIT]
    if decision not in DECISIONS:
        flash("Choose what to do with the checked postings.", "error")
        return redirect(_back())
    if not ids:
        flash("Check the postings to act on first.", "error")
        return redirect(_back())
    reindex, done = False, 0
    try:
        for public_id in ids:
            posting = queries.get_posting(db, public_id)
            if posting is None:
                continue
            reindex |= services.decide(db, posting, decision, current_editor()).reindex
            done += 1
        db.commit()
    except ReviewError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(_back())
    flash(f"{DECISION_LABELS[decision]}: {done} posting(s).", "info")
    return _after(redirect(_back("review-table")), reindex)
