"""JSON API under /api/v1/: job search with facets and pages, one job."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import orjson
from flask import Blueprint, Response, current_app, request, url_for

from board.models import Institution, Posting
from board.web.caching import conditional, index_changed_at
from board.web.context import absolute_url, get_board, json_error
from board.web.jobs import http_url, permanent_url, run_search, sanitize, visible_posting
from board.web.params import ParameterError, search_request
from board.web.versioned import per_index_version

if TYPE_CHECKING:
    from search_index import Hit, SearchResult

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/jobs")
def jobs() -> Response:
    """Search postings: q, every facet filter, status, relevant, page, per_page, sort."""
    try:
        search = search_request(request.args, strict=True, highlight=False)  # none shown
    except ParameterError as exc:
        return json_error(400, f"invalid query parameters: {exc}", exc.errors)
    result = run_search(search)
    if result is None:
        return json_error(503, "search is temporarily unavailable")
    return conditional(json_response(search_body(result, HitJson())), index_changed_at())


def json_response(body: dict[str, Any]) -> Response:
    """A JSON response serialised by orjson (keys sorted, as Flask's own JSON sorts them)."""
    return current_app.response_class(_dumps(body), mimetype="application/json")


def _dumps(value: Any) -> bytes:
    return orjson.dumps(
        value, default=_json_default, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS
    )


def _json_default(value: Any) -> Any:
    """What orjson does not know, as Flask's JSON wrote it (Decimal, Markup)."""
    if isinstance(value, Decimal) or hasattr(value, "__html__"):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


@bp.get("/jobs/<public_id>")
def job(public_id: str) -> Response:
    """One posting, with its full sanitized description and source links."""
    row = visible_posting(public_id)
    return conditional(json_response(job_body(row)), row.updated_at)


def iso(value: date | datetime | None) -> str | None:
    """ISO 8601 text for a date (Flask's JSON would write an HTTP date)."""
    return value.isoformat() if value else None


def hit_body(hit: Hit, base: str | None = None) -> dict[str, Any]:
    """One search result as the API shows it: the hit's fields (not the highlight, HTML for the
    page), its rank and permanent URL (`base` + id when given: permanent_url's prefix)."""
    return {
        "id": hit.id,
        "rank": round(float(hit.score or 0.0), 4),
        "title": hit.title,
        "institution": hit.institution,
        "institution_slug": hit.institution_slug or None,
        "location_display": hit.location_display,
        "role": hit.role,
        "posted_on": hit.posted_on.isoformat() if hit.posted_on else None,
        "closes_on": hit.closes_on.isoformat() if hit.closes_on else None,
        "summary": hit.summary,
        "status": hit.status,
        "relevant": bool(hit.relevant),
        "salary": hit.salary,
        "location_label": hit.location_label,
        "unit": hit.unit,
        "url": base + hit.id if base is not None else permanent_url(hit.id),
    }


class HitJson:
    """Each hit's JSON as hit_body and orjson write it, remembered per index version: a
    hit's fields (and its URL on this base) only change with the index, its rank with every
    search. So the JSON before and after "rank" (keys are sorted) is kept, and an answer's
    results are those pieces joined around each hit's rank (an orjson.Fragment: written as is).
    At most HIT_JSON_CACHE hits a worker (about 1 KB each)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], tuple[bytes, bytes]] = per_index_version(
            get_board(), "hit_json", dict
        )

    def results(self, hits: list[Hit], base: str) -> orjson.Fragment:
        """The JSON array of these hits' bodies."""
        parts = [b"["]
        dumps = orjson.dumps  # a float's JSON does not depend on _dumps' options
        for hit in hits:
            key = (base, hit.id)
            pieces = self.cache.get(key)
            if pieces is None:
                body = hit_body(hit, base)
                del body["rank"]
                text = _dumps(body)
                cut = text.index(b',"relevant":')  # the first key after "rank"
                pieces = (text[:cut] + b',"rank":', text[cut:])
                if len(self.cache) >= HIT_JSON_CACHE:
                    self.cache.clear()
                self.cache[key] = pieces
            parts += (pieces[0], dumps(round(float(hit.score or 0.0), 4)), pieces[1], b",")
        if hits:
            parts.pop()  # the last comma
        parts.append(b"]")
        return orjson.Fragment(b"".join(parts))


#: Hits whose JSON a worker keeps (see HitJson).
HIT_JSON_CACHE = 12_000


def search_body(result: SearchResult, hits: HitJson | None = None) -> dict[str, Any]:
    """The search answer: total, page, per_page, results, facets, suggestion."""
    base = _permanent_base()  # one url_for per app and root, not one per hit
    return {
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "results": (
            hits.results(result.hits, base)
            if hits is not None
            else [hit_body(hit, base) for hit in result.hits]
        ),
        "facets": {
            name: [{"value": value, "count": count} for value, count in values]
            for name, values in result.facets.items()
        },
        "suggestion": result.suggestion,
        "corrected": result.corrected,
        "query_corrected": result.corrected is not None,
    }


def _permanent_base() -> str:
    """permanent_url's prefix (before the id), kept per app, root and base URL (or host,
    when no BASE_URL is configured): url_for and absolute_url of nothing else."""
    configured = current_app.config.get("BASE_URL")
    key = (
        request.script_root,
        configured,
        None if configured else request.scheme,
        None if configured else request.host,
    )
    kept: dict[Any, str] = current_app.extensions.setdefault("rcjobs_permanent_bases", {})
    found = kept.get(key)
    if found is None:
        found = permanent_url("ID")[: -len("ID")]
        if len(kept) >= 64:  # hosts come from requests: keep a few
            kept.clear()
        kept[key] = found
    return found


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
