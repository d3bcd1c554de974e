"""JSON API under /api/v1/."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, url_for

from board import store
from board.web import get_board, get_db
from board.web.params import search_request

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _job_url(public_id: str) -> str:
    return url_for("jobs.posting", public_id=public_id, _external=True)


@bp.get("/jobs")
def jobs():  # noqa: ANN201
    """Search postings: q, every facet filter, status, relevant, page, per_page, sort."""
    search = search_request(request.args)
    result = get_board().index.search(search).to_dict()
    for item in result["results"]:
        item["url"] = _job_url(item["id"])
    return jsonify(result)


@bp.get("/jobs/<public_id>")
def job(public_id: str):  # noqa: ANN201
    """One posting."""
    row = store.get_posting(get_db(), public_id[:20])
    if row is None or row.hidden:
        abort(404)
    doc = store.posting_document(row)
    doc.update(
        url=_job_url(row.public_id),
        description_html=row.description_html,
        salary=row.salary,
        locations=row.locations,
        reasons=row.reasons,
        sources=[link.url for link in row.links if link.url],
    )
    return jsonify(doc)
