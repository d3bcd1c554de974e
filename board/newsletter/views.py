"""Past issues for everyone (/newsletter/<N>) and the editor's issue builder."""

from __future__ import annotations

from collections.abc import Callable

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
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from board import queries
from board.accounts.security import current_editor, require_editor
from board.clock import today
from board.newsletter import export, services, suggest
from board.newsletter.models import Issue
from board.newsletter.services import IssueError
from board.web.context import get_db

bp = Blueprint("newsletter", __name__)
builder = Blueprint("issues", __name__, url_prefix="/editor/issues")
builder.before_request(require_editor)


def register(app: Flask) -> None:
    """The public archive, its feeds and the builder."""
    from board.newsletter import feeds

    app.register_blueprint(bp)
    app.register_blueprint(feeds.bp)
    app.register_blueprint(builder)


@bp.get("/newsletter")
def archive():  # noqa: ANN201
    """Every published issue."""
    found = services.all_issues(get_db(), published_only=True)
    return render_template("newsletter/archive.html", issues=found)


def _readable(number: int) -> Issue:
    """A published issue, or a draft for a signed-in editor (404 to everyone else)."""
    found = services.get_issue(get_db(), number)
    if found is None or not (found.is_published or current_user.is_authenticated):
        abort(404)
    return found


@bp.get("/newsletter/<int:number>")
def issue(number: int):  # noqa: ANN201
    """A published issue's highlights, from their snapshots (postings may have closed)."""
    found = _readable(number)
    response = Response(render_template("newsletter/issue.html", issue=found))
    if not found.is_published:
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Robots-Tag"] = "noindex"
    return response


@builder.route("/", methods=["GET", "POST"])
def issues():  # noqa: ANN201
    """List issues and create a new one."""
    from board.newsletter.forms import IssueForm

    db = get_db()
    form = IssueForm(
        data=None
        if request.method == "POST"
        else {"number": services.next_number(db), "issued_on": today()}
    )
    if form.validate_on_submit():
        try:
            services.create_issue(db, form.number.data, form.issued_on.data, current_editor())
            db.commit()
            return redirect(url_for("issues.build", number=form.number.data))
        except IssueError as exc:
            db.rollback()
            form.number.errors = [str(exc)]
    code = 400 if form.errors else 200
    return render_template(
        "newsletter/issues.html", issues=services.all_issues(db), form=form
    ), code


def _issue(number: int) -> Issue:
    return services.get_issue(get_db(), number) or abort(404)


@builder.get("/<int:number>")
def build(number: int):  # noqa: ANN201
    """The builder: highlights with blurbs and order, ranked candidates, exports."""
    db, found = get_db(), _issue(number)
    since, ranked = services.candidates(db, today(), before=found)
    recent = services.recently_highlighted(db, found.issued_on, exclude=found)
    picked = {h.posting_id for h in found.highlights}
    # Postings already highlighted in a published issue, then those picked, go last.
    ranked.sort(key=lambda p: (p.id in recent, p.id in picked))
    return render_template(
        "newsletter/build.html",
        issue=found,
        since=since,
        ranked=ranked,
        picked=picked,
        recent=recent,
        warnings=services.publish_warnings(db, found) if not found.is_published else [],
        markdown=export.markdown(found, current_app.config.get("BASE_URL", "")),
    )


def _change(
    number: int, anchor: str, action: Callable[..., object], *args: object, done: str = ""
) -> WerkzeugResponse:
    """Apply an action, then go back to the builder where the editor was working."""
    db, found = get_db(), _issue(number)
    try:
        action(db, found, *args, current_editor())
        db.commit()
        if done:
            flash(done, "info")
    except IssueError as exc:
        db.rollback()
        flash(str(exc), "error")
    return redirect(url_for("issues.build", number=number, _anchor=anchor))


@builder.post("/<int:number>/pick")
def pick(number: int):  # noqa: ANN201
    """Add a posting to the highlights (its blurb starts as the posting's summary)."""
    posting = queries.get_posting(get_db(), request.form.get("public_id", "")[:20]) or abort(404)
    return _change(
        number, "candidates", lambda db, found, actor: services.pick(db, found, posting, actor)
    )


@builder.post("/<int:number>/highlights/<int:highlight_id>/blurb")
def blurb(number: int, highlight_id: int):  # noqa: ANN201
    """Save a highlight's blurb."""
    from board.newsletter.forms import BlurbForm

    form, anchor = BlurbForm(), f"highlight-{highlight_id}"
    if not form.validate():
        flash("; ".join(form.blurb.errors) or "The blurb could not be saved.", "error")
        return redirect(url_for("issues.build", number=number, _anchor=anchor))
    text = form.blurb.data or ""
    return _change(number, anchor, services.set_blurb, highlight_id, text, done="Blurb saved.")


@builder.post("/<int:number>/highlights/<int:highlight_id>/move")
def move(number: int, highlight_id: int):  # noqa: ANN201
    """Move a highlight up or down."""
    delta = -1 if request.form.get("direction") == "up" else 1
    return _change(number, f"highlight-{highlight_id}", services.move, highlight_id, delta)


@builder.post("/<int:number>/highlights/<int:highlight_id>/remove")
def remove(number: int, highlight_id: int):  # noqa: ANN201
    """Drop a highlight."""
    return _change(number, "highlights", services.remove, highlight_id)


@builder.post("/<int:number>/suggest")
def draft(number: int):  # noqa: ANN201
    """Add the drafted highlight list (top postings, spread, with drafted blurbs)."""

    def add(db, found, actor) -> None:  # noqa: ANN001 - the _change signature
        added = suggest.draft_highlights(db, today(), found, actor)
        flash(
            f"Drafted {len(added)} highlight(s): edit, reorder and cut below."
            if added
            else "No more postings to suggest since the last published issue.",
            "info",
        )

    return _change(number, "highlights", add)


@builder.post("/<int:number>/publish")
def publish(number: int):  # noqa: ANN201
    """Publish the draft (the warnings must be confirmed with force=1)."""
    force = request.form.get("force") == "1"
    return _change(
        number,
        "publish",
        lambda db, found, actor: services.publish(db, found, actor, force=force),
        done=f"Issue {number} published.",
    )


@builder.post("/<int:number>/unpublish")
def unpublish(number: int):  # noqa: ANN201
    """Take a published issue back to draft."""
    return _change(number, "publish", services.unpublish, done=f"Issue {number} is a draft again.")


@builder.get("/<int:number>/export/<fmt>")
def export_issue(number: int, fmt: str):  # noqa: ANN201
    """The section as text to paste (HTML too is sent as text, never rendered here)."""
    if fmt not in export.FORMATS:
        abort(404)
    body = export.export(_issue(number), current_app.config.get("BASE_URL", ""), fmt)
    response = Response(body, mimetype="text/plain")
    extension = export.FORMATS[fmt][1]
    response.headers["Content-Disposition"] = f'inline; filename="issue-{number}.{extension}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
