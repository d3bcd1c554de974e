"""The OpenAPI 3.1 description of /api/v1/ (the tests check that responses conform to it)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from board.normalize.annual import RATES_AS_OF
from board.vocabulary import INSTITUTION_TYPES, REMOTE_VALUES, ROLES, TECHNICAL
from board.web.params import CURRENCIES, FACETS, MAX_PER_PAGE, RELEVANCE, SORTS, STATUSES

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

STR = {"type": "string"}
DATE = {"type": ["string", "null"], "format": "date"}
URL = {"type": "string", "format": "uri"}
NULLABLE_STR = {"type": ["string", "null"]}
ROLE = {"enum": list(ROLES)}
FACET_NAMES = (*FACETS, "status", "relevant")


def _obj(required: list[str], **properties: Any) -> dict[str, Any]:
    return {"type": "object", "required": required, "properties": properties}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


UNIT = {
    **NULLABLE_STR,
    "description": 'The unit of the institution the posting names ("Office of Research '
    'Computing and Data" at MIT), or null.',
}
INSTITUTION_FIELDS: dict[str, Any] = {
    "slug": STR,
    "name": STR,
    "type": {"enum": [*INSTITUTION_TYPES, None]},
    "sector": NULLABLE_STR,
    "country": {**NULLABLE_STR, "description": "ISO 3166-1 alpha-2."},
    "parent": {
        "type": ["object", "null"],
        "description": "The institution a centre belongs to (TACC: UT Austin), or null.",
        "required": ["slug", "name", "url"],
        "properties": {"slug": STR, "name": STR, "url": URL},
    },
    "url": URL,
    "api_url": URL,
}

SCHEMAS: dict[str, Any] = {
    "Hit": _obj(
        ["id", "title", "institution", "location_display", "url"],
        id=STR,
        title=STR,
        institution=STR,
        institution_slug=NULLABLE_STR,
        location_display=STR,
        role=ROLE,
        posted_on=DATE,
        closes_on=DATE,
        summary=STR,
        status={"enum": ["open", "closed"]},
        relevant={"type": "boolean"},
        salary={**_ref("Salary"), "description": "As the posting states it (null: none stated)."},
        location_label={
            **STR,
            "description": 'The places spelled out ("Hamilton, ON, Canada"), for people; '
            "`location_display` keeps the compact form.",
        },
        unit={
            **STR,
            "description": 'The unit of the institution the posting names ("Office of Research '
            'Computing and Data"); empty when it names the institution itself.',
        },
        rank={
            "type": "number",
            "description": "How well the result matches this query; not comparable across "
            "queries (the posting's 0..1 relevance score is `score` on /api/v1/jobs/{id}).",
        },
        url=URL,
    ),
    "FacetValue": _obj(["value", "count"], value=STR, count={"type": "integer", "minimum": 0}),
    "SearchResponse": _obj(
        ["total", "page", "per_page", "results", "facets"],
        total={"type": "integer", "minimum": 0},
        page={"type": "integer", "minimum": 1},
        per_page={"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        results={"type": "array", "items": _ref("Hit")},
        facets={
            "type": "object",
            "description": "Counts for every facet, for the current query and filters.",
            "propertyNames": {"enum": list(FACET_NAMES)},
            "additionalProperties": {"type": "array", "items": _ref("FacetValue")},
        },
        suggestion={**NULLABLE_STR, "description": "A did-you-mean query, when one helps."},
        corrected={
            **NULLABLE_STR,
            "description": "When `q` found nothing and this spelling correction did, the results "
            "are this query's (send `correct=false` to search for `q` as typed).",
        },
        query_corrected={"type": "boolean", "description": "Whether `corrected` is set."},
    ),
    "Location": _obj(
        [], city=NULLABLE_STR, region=NULLABLE_STR, country={**NULLABLE_STR, "maxLength": 2}
    ),
    "Salary": {
        "type": ["object", "null"],
        "properties": {
            "min": {"type": ["number", "null"]},
            "max": {"type": ["number", "null"]},
            "currency": NULLABLE_STR,
            "period": NULLABLE_STR,
        },
    },
    "Job": _obj(
        ["id", "title", "institution", "location_display", "url", "status", "description_html"],
        id=STR,
        title=STR,
        institution=STR,
        institution_slug=NULLABLE_STR,
        institution_detail={
            "anyOf": [_ref("InstitutionRef"), {"type": "null"}],
            "description": "The canonical institution: type, country and the institution it "
            "belongs to (a centre's parent).",
        },
        unit=UNIT,
        unit_slug={**NULLABLE_STR, "description": "The unit's anchor on the institution's page."},
        location_display=STR,
        locations={"type": "array", "items": _ref("Location")},
        remote={"enum": [*REMOTE_VALUES, None]},
        role=ROLE,
        technical={"type": "array", "items": {"enum": list(TECHNICAL)}},
        status={"enum": ["open", "closed"]},
        relevant={"type": "boolean"},
        score={
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "How surely this is a research-computing leadership role.",
        },
        reasons={"type": "array", "items": STR, "description": "Why it was judged so."},
        salary=_ref("Salary"),
        employment_type=NULLABLE_STR,
        posted_on=DATE,
        closes_on=DATE,
        closed_at={"type": ["string", "null"], "format": "date-time"},
        summary=STR,
        description_html={**STR, "description": "Sanitized HTML."},
        sources={"type": "array", "items": STR},
        url=URL,
    ),
    "InstitutionRef": _obj(
        ["slug", "name", "url"],
        **INSTITUTION_FIELDS,
    ),
    "Institution": _obj(
        ["slug", "name", "url"],
        **INSTITUTION_FIELDS,
        open_count={
            "type": "integer",
            "minimum": 0,
            "description": "Open postings, its centres' included.",
        },
        total={"type": "integer", "minimum": 0},
    ),
    "Unit": _obj(
        ["name", "slug", "kind", "open_count"],
        name=STR,
        slug={**STR, "description": "A unit's anchor (`unit-<slug>`), or a centre's own slug."},
        kind={
            "enum": ["unit", "centre"],
            "description": "unit: part of the institution (its postings name it); centre: an "
            "institution of its own that belongs to this one.",
        },
        open_count={"type": "integer", "minimum": 0},
        url={**URL, "description": "A centre's own page."},
    ),
    "InstitutionPosting": _obj(
        ["id", "title", "institution", "location_display", "url"],
        id=STR,
        title=STR,
        institution=STR,
        institution_slug=NULLABLE_STR,
        unit=UNIT,
        unit_slug=NULLABLE_STR,
        location_display=STR,
        role=ROLE,
        status={"enum": ["open", "closed"]},
        relevant={"type": "boolean"},
        posted_on=DATE,
        closes_on=DATE,
        url=URL,
    ),
    "InstitutionList": _obj(["results"], results={"type": "array", "items": _ref("Institution")}),
    "Error": _obj(
        ["error"],
        error=_obj(
            ["status", "message"],
            status={"type": "integer"},
            message=STR,
            errors={"type": "object", "additionalProperties": STR},
        ),
    ),
}
SCHEMAS["InstitutionDetail"] = {
    "allOf": [
        _ref("Institution"),
        _obj(
            ["units", "open_postings", "past_postings"],
            units={"type": "array", "items": _ref("Unit")},
            open_postings={"type": "array", "items": _ref("InstitutionPosting")},
            past_postings={"type": "array", "items": _ref("InstitutionPosting")},
        ),
    ]
}


def _param(
    name: str, schema: dict[str, Any], description: str, where: str = "query"
) -> dict[str, Any]:
    param: dict[str, Any] = {
        "name": name,
        "in": where,
        "schema": schema,
        "description": description,
    }
    if where == "path":
        param["required"] = True
    else:
        param["required"] = False
    return param


def _json(description: str, schema: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


ERRORS = {
    "400": _json("Invalid parameters (the message names them)", "Error"),
    "503": _json("Search temporarily unavailable", "Error"),
}
NOT_FOUND = {"404": _json("Unknown id", "Error")}
#: Answers carry an ETag and Last-Modified; If-None-Match / If-Modified-Since may get a 304.
NOT_MODIFIED = {"304": {"description": "Not modified since the ETag or date the client sent"}}
SEARCH_PARAMETERS = [
    _param("q", STR, 'Words, "phrases", field:prefixes (title:, institution:), wild*cards.'),
    *[
        {
            **_param(name, {"type": "array", "items": STR}, f"Filter by {name}; repeat for OR."),
            "style": "form",
            "explode": True,
        }
        for name in FACETS
    ],
    _param("status", {"enum": list(STATUSES), "default": "open"}, "Open, closed or all postings."),
    _param("relevant", {"enum": list(RELEVANCE), "default": "true"}, "Relevant postings only."),
    _param("posted_since", {"type": "string", "format": "date"}, "Posted on or after."),
    _param(
        "salary_min",
        {"type": "integer", "minimum": 0},
        "Only postings whose stated salary range reaches this much a year, in salary_currency; "
        "other currencies are compared at fixed rates (" + RATES_AS_OF + ", see /salaries), "
        "hourly to monthly figures as a working year. 0 or absent: no salary filter.",
    ),
    _param(
        "salary_currency",
        {"enum": list(CURRENCIES), "default": "USD"},
        "The currency of salary_min.",
    ),
    _param(
        "correct",
        {"type": "boolean", "default": True},
        "When q finds nothing, show the results of its spelling correction (see `corrected`).",
    ),
    _param("sort", {"enum": list(SORTS), "default": "relevance"}, "Result order."),
    _param("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number."),
    _param(
        "per_page",
        {"type": "integer", "minimum": 1, "default": 20},
        f"Results per page; values above {MAX_PER_PAGE} are clamped to {MAX_PER_PAGE}.",
    ),
]


def spec(server_url: str = "/") -> dict[str, Any]:
    """The OpenAPI 3.1 document."""
    slug = _param("slug", STR, "Institution slug", "path")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "rcjobs API",
            "version": "1.1.0",
            "description": "Jobs leading research computing teams: search, postings, institutions.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/jobs": {
                "get": {
                    "operationId": "searchJobs",
                    "summary": "Search postings with facet counts",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": _json("One page of results", "SearchResponse"),
                        **NOT_MODIFIED,
                        **ERRORS,
                    },
                }
            },
            "/api/v1/jobs/{id}": {
                "get": {
                    "operationId": "getJob",
                    "summary": "One posting (closed postings stay available)",
                    "parameters": [_param("id", STR, "The posting's permanent id", "path")],
                    "responses": {
                        "200": _json("The posting", "Job"),
                        **NOT_MODIFIED,
                        **NOT_FOUND,
                        "410": _json("Removed from the board by its editor", "Error"),
                    },
                }
            },
            "/api/v1/institutions": {
                "get": {
                    "operationId": "listInstitutions",
                    "summary": "Institutions with postings",
                    "responses": {"200": _json("Institutions", "InstitutionList")},
                }
            },
            "/api/v1/institutions/{slug}": {
                "get": {
                    "operationId": "getInstitution",
                    "summary": "One institution with its open and past postings",
                    "parameters": [
                        slug,
                        _param("relevant", {"enum": ["all"]}, "Include postings not relevant."),
                    ],
                    "responses": {
                        "200": _json("The institution", "InstitutionDetail"),
                        "301": {
                            "description": "An old slug, folded into another institution: "
                            "`Location` is that institution's (permanently).",
                            "headers": {"Location": {"schema": STR}},
                        },
                        **NOT_FOUND,
                    },
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }


@bp.get("/openapi.json")
def openapi() -> Response:
    """The OpenAPI document, its server the URL this request came to."""
    return jsonify(spec(request.host_url.rstrip("/") + "/"))
