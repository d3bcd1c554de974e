"""The public listing (/jobs) and the permanent posting pages."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from board import store
from board.web import get_board, get_db
from board.web.params import search_request

bp = Blueprint("jobs", __name__)


@bp.get("/")
def home():  # noqa: ANN201
    """The listing is the home page."""
    return redirect(url_for("jobs.listing"))


@bp.get("/jobs")
def listing():  # noqa: ANN201
    """Search box, results and facets; every state is a shareable URL."""
    search = search_request(request.args)
    result = get_board().index.search(search)
    return render_template("jobs/listing.html", search=search, result=result)


@bp.get("/jobs/<public_id>")
@bp.get("/jobs/<public_id>/<slug>")
def posting(public_id: str, slug: str | None = None):  # noqa: ANN201
    """A posting's permanent page; it stays after the posting closes."""
    row = store.get_posting(get_db(), public_id[:20])
    if row is None or row.hidden:
        abort(404)
    return render_template("jobs/posting.html", posting=row)
