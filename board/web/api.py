"""JSON API under /api/v1/: job search with facets and pages, one job."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, jsonify, request, url_for

from board.models import Institution, Posting
from board.web import absolute_url, json_error
from board.web.caching import conditional, data_changed_at
from board.web.jobs import http_url, permanent_url, run_search, sanitize, visible_posting
from board.web.params import ParameterError, search_request

if TYPE_CHECKING:
    from search_index import Hit, SearchResult

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/jobs")
def jobs() -> Response:
    """Search postings: q, every facet filter, status, relevant, page, per_page, sort."""
    try:
        search = search_request(request.args, strict=True)
    except ParameterError as exc:
        return json_error(400, f"invalid query parameters: {exc}", exc.errors)
    result = run_search(search)
    if result is None:
        return json_error(503, "search is temporarily unavailable")
    return conditional(jsonify(search_body(result)), data_changed_at())


@bp.get("/jobs/<public_id>")
def job(public_id: str) -> Response:
    """One posting, with its full sanitized description and source links."""
    row = visible_posting(public_id)
    return conditional(jsonify(job_body(row)), row.updated_at)


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601 text for a date (Flask's JSON would write an HTTP date)."""
    return value.isoformat() if value else None


def hit_body(hit: Hit) -> dict[str, Any]:
    """One search result as the API shows it: the hit's fields, its rank and permanent URL."""
    body = hit.to_dict()
    del body["highlight"]  # HTML for the page, not data
    body.update(
        rank=round(float(body.pop("score") or 0.0), 4),
        relevant=bool(hit.relevant),
        institution_slug=hit.institution_slug or None,
        url=permanent_url(hit.id),
    )
    return body


def search_body(result: SearchResult) -> dict[str, Any]:
    """The search answer: total, page, per_page, results, facets, suggestion."""
    body = result.to_dict()
    body["results"] = [hit_body(hit) for hit in result.hits]
    body["query_corrected"] = result.corrected is not None
    return body


def institution_ref(inst: Institution) -> dict[str, Any]:
    """An institution as other API objects name it: slug, name, type, country, its parent."""
    parent = inst.parent
    return {
        "slug": inst.slug,
        "name": inst.name,
        "type": inst.type,
        "sector": inst.sector,
        "country": inst.country,
        "parent": (
            {
                "slug": parent.slug,
                "name": parent.name,
                "url": absolute_url(url_for("institutions.show", slug=parent.slug)),
            }
            if parent is not None
            else None
        ),
        "url": absolute_url(url_for("institutions.show", slug=inst.slug)),
        "api_url": absolute_url(url_for("institutions_api.api_show", slug=inst.slug)),
    }


def job_body(row: Posting) -> dict[str, Any]:
    """One posting as the API shows it."""
    institution = row.institution
    return {
        "id": row.public_id,
        "title": row.title,
        "institution": row.institution_name,
        "institution_slug": institution.slug if institution else None,
        "institution_detail": institution_ref(institution) if institution else None,
        "unit": row.unit,
        "unit_slug": row.unit_slug,
        "location_display": row.location_display or "",
        "locations": list(row.locations or []),
        "remote": row.remote,
        "role": row.role,
        "technical": list(row.technical or []),
        "status": row.status,
        "relevant": bool(row.relevant),
        "score": float(row.score or 0.0),
        "reasons": [str(reason) for reason in row.reasons or []],
        "salary": row.salary or None,
        "employment_type": row.employment_type,
        "posted_on": iso(row.posted_on or row.first_seen.date()),
        "closes_on": iso(row.closes_on),
        "closed_at": iso(row.closed_at),
        "summary": row.summary or "",
        "description_html": str(sanitize(row.description_html)),
        "sources": list(dict.fromkeys(u for u in (http_url(k.url) for k in row.links) if u)),
        "url": permanent_url(row.public_id),
    }
