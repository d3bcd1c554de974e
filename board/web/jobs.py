"""The public listing (/jobs), the permanent posting pages and the display helpers they share
(board.web.display, registered here as template filters and globals; the listing's HTML is
board.web.listing_page)."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from werkzeug import Response

from board import institutions, queries
from board.models import Posting
from board.normalize.annual import PER_YEAR, RATES_AS_OF, USD_PER_UNIT
from board.web import display
from board.web import params as P
from board.web.caching import conditional, index_changed_at
from board.web.context import absolute_url, get_board, get_db
from board.web.display import (
    CURRENCY_SYMBOLS,
    FACET_TITLES,
    PERIODS,
    SALARY_LABELS,
    facet_label,
    format_day,
    format_iso,
    format_salary,
    http_url,
    marked_text,
    page_window,
    safe_highlight,
    sanitize,
    since_options,
    slugify,
    summary_blocks,
)
from board.web.jsonld import job_posting, script_tag
from board.web.links import SearchLinks
from board.web.listing_page import HitRenderer, card_html, facet_items, listing_page
from board.web.versioned import index_token, per_index_version

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from search_index import SearchRequest, SearchResult

__all__ = [  # the display helpers and card pieces other modules and tests import from here
    "CURRENCY_SYMBOLS",
    "FACET_TITLES",
    "PERIODS",
    "SALARY_LABELS",
    "HitRenderer",
    "card_html",
    "facet_items",
    "facet_label",
    "format_day",
    "format_iso",
    "format_salary",
    "http_url",
    "marked_text",
    "page_window",
    "permanent_url",
    "run_search",
    "safe_highlight",
    "sanitize",
    "since_options",
    "slugify",
    "summary_blocks",
    "visible_posting",
]

bp = Blueprint("jobs", __name__)
log = logging.getLogger(__name__)

#: The templates' filters and globals (board.web.display), by the name templates use.
TEMPLATE_FILTERS: dict[str, Callable[..., Any]] = {
    "highlight": display.safe_highlight,
    "summary_blocks": display.summary_blocks,
    "sanitize": display.sanitize,
    "http_url": display.http_url,
    "slug": display.slug_filter,
    "day": display.format_day,
    "iso": display.format_iso,
    "salary": display.format_salary,
    "facet_label": display.facet_label,
}
TEMPLATE_GLOBALS: dict[str, Callable[..., Any]] = {
    "since_options": display.since_options,
    "page_window": display.page_window,
    "location_label": display.location_label,
}
for _name, _filter in TEMPLATE_FILTERS.items():
    bp.add_app_template_filter(_filter, _name)
for _name, _global in TEMPLATE_GLOBALS.items():
    bp.add_app_template_global(_global, _name)


# -- views ----------------------------------------------------------------------------------


@bp.get("/")
def home() -> Response:
    """The listing is the home page."""
    return redirect(url_for("jobs.listing"))


@bp.get("/jobs")
def listing() -> bytes:
    """Search box, facets, results and pages; every state is a shareable URL (the page's
    UTF-8 bytes: Flask sends them as they are, as text/html)."""
    search = P.search_request(request.args)
    result = run_search(search)
    return listing_page(search, result, SearchLinks(search))


@bp.get("/jobs/<public_id>")
@bp.get("/jobs/<public_id>/<slug>")
def posting(public_id: str, slug: str | None = None) -> Response | str:
    """A posting's permanent page; it stays after the posting closes."""
    row = visible_posting(public_id)
    if slug is not None and slug != slugify(row.title):
        return redirect(url_for("jobs.posting", public_id=row.public_id), 301)
    jsonld = script_tag(job_posting(row, permanent_url(row.public_id))) if row.is_open else None
    page = make_response(render_template("jobs/posting.html", posting=row, jsonld=jsonld))
    return conditional(page, row.updated_at, public=False)


@bp.get("/salaries")
def salary_rates() -> str:
    """How the salary filter compares postings: yearly figures and fixed currency rates."""
    return render_template(
        "jobs/salaries.html", rates=USD_PER_UNIT, as_of=RATES_AS_OF, per_year=PER_YEAR
    )


# -- the domain calls views share -----------------------------------------------------------


def run_search(search: SearchRequest) -> SearchResult | None:
    """Search the index; None (logged) when the index fails, so pages degrade instead of 500.

    Hidden postings are not in the index: a hide is a change-log entry, and the catch-up that
    follows it (board.indexing) deletes the posting's document, so no per-request check."""
    try:
        board = get_board()
        search = institutions.with_current_slugs(search, _aliases)
        return board.index.search(search, index_token(board))
    except Exception:  # noqa: BLE001 - a broken index must not take the site down
        log.exception("search failed for %r", search)
        return None


def _aliases() -> dict[str, str]:
    """Old institution slugs and their institutions' (read once per index version: a fold
    moves postings, so it is a change-log entry and bumps the version)."""
    return per_index_version(get_board(), "institution_aliases", _alias_rows)


def _alias_rows() -> dict[str, str]:
    return institutions.alias_map(get_db())


def preload_versioned() -> None:
    """Read now (in a GET's request context) the values every search answer reads from the database
    once per index version: the institutions' old slugs, their names, when postings last
    changed. In gunicorn's master before fork (board.serving), so the workers share them and
    their SQL compiled, and a worker's first search opens no connection (about 10 of its
    first API answer's 13 CPU ms at 10k postings)."""
    _aliases()
    display.institution_names()
    index_changed_at()


def visible_posting(public_id: str) -> Posting:
    """The posting with this public id; 404 when unknown, 410 when the editor removed it."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,20}", public_id):
        abort(404, description=f"no job with id {public_id[:40]!r}")
    row = queries.get_posting(get_db(), public_id)
    if row is None:
        abort(404, description=f"no job with id {public_id!r}")
    if row.hidden:  # old newsletter links still land somewhere that explains
        abort(410, description="This posting was removed from the board by its editor.")
    return row


def permanent_url(public_id: str) -> str:
    """The absolute permanent URL of a posting (feeds, API and JSON-LD use it)."""
    return absolute_url(url_for("jobs.posting", public_id=public_id))
