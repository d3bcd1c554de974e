"""The public listing (/jobs), the permanent posting pages and the display helpers they share."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date, timedelta
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import nh3
from flask import (
    Blueprint,
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug import Response

from board import institutions, queries
from board.models import Posting
from board.normalize.annual import PER_YEAR, RATES_AS_OF, USD_PER_UNIT
from board.places import country_name
from board.vocabulary import label
from board.web import params as P
from board.web.caching import conditional
from board.web.context import absolute_url, get_board, get_db
from board.web.jsonld import job_posting, script_tag
from board.web.links import SearchLinks
from board.web.versioned import index_token, per_index_version

if TYPE_CHECKING:
    from search_index import Hit, SearchRequest, SearchResult

bp = Blueprint("jobs", __name__)
log = logging.getLogger(__name__)

FACET_TITLES = {
    "country": "Country",
    "region": "Region",
    "role": "Role",
    "technical": "Area",
    "sector": "Sector",
    "institution": "Institution",
    "institution_type": "Institution type",
    "remote": "Work arrangement",
    "salary": "Salary",
}
SALARY_LABELS = {"stated": "Salary stated", "not_stated": "No salary stated"}
PERIODS = {
    "year": "a year",
    "month": "a month",
    "week": "a week",
    "day": "a day",
    "hour": "an hour",
}
CURRENCY_SYMBOLS = {"USD": "US$", "CAD": "CA$", "GBP": "£", "EUR": "€", "AUD": "A$", "NZD": "NZ$"}


# -- views ----------------------------------------------------------------------------------


@bp.get("/")
def home() -> Response:
    """The listing is the home page."""
    return redirect(url_for("jobs.listing"))


@bp.get("/jobs")
def listing() -> str:
    """Search box, facets, results and pages; every state is a shareable URL."""
    search = P.search_request(request.args)
    result = run_search(search)
    urls = SearchLinks(search)
    return render_template(
        "jobs/listing.html",
        search=search,
        result=result,
        facet_titles=FACET_TITLES,
        P=P,
        urls=urls,
        hit_card=HitRenderer(urls),
        facet_items=partial(facet_items, urls, labels=_shown_labels()),
        feed_size=P.FEED_SIZE,
    )


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


class HitRenderer:
    """The start of one search result's HTML (title, institution, location, role, salary,
    dates), remembered per index version.

    It depends only on the posting's indexed fields (and the app's root, in its paths), and
    the same postings come back on many searches (every filter and page of the newest ones,
    every search sharing a word): it is built once and reused until the index's version
    changes (per_index_version: any index write). The summary, whose highlight changes with
    the words searched, is rendered by the listing each time. At most HIT_HTML_CACHE a worker
    (about 0.7 KB each). With never-repeating searches a third of the cards are new, so a
    card is built by `card_html` (Python) rather than by rendering a template: the template
    templates/jobs/_hit.html stays as its reference, and a test holds the two to the same
    bytes."""

    def __init__(self, urls: SearchLinks) -> None:
        self.urls = urls
        self.cache: dict[tuple[str, str], Markup] = per_index_version(get_board(), "hit_html", dict)
        self.root = request.script_root

    def __call__(self, hit: Hit) -> Markup:
        key = (self.root, hit.id)
        found = self.cache.get(key)
        if found is None:
            found = card_html(hit, self.urls)
            if len(self.cache) >= HIT_HTML_CACHE:
                self.cache.clear()
            self.cache[key] = found
        return found


def card_html(hit: Hit, urls: SearchLinks) -> Markup:
    """templates/jobs/_hit.html rendered for hit, byte for byte (trim_blocks and
    lstrip_blocks as the app sets them), every value escaped as autoescape escapes it."""
    ident = escape(hit.id)
    href = escape(urls.path("jobs.posting", public_id=hit.id, slug=slugify(hit.title or "")))
    out = [
        f'      <li class="hit">\n        <article aria-labelledby="hit-{ident}">\n'
        f'          <h3 id="hit-{ident}"><a href="{href}">{escape(hit.title)}</a></h3>\n'
        '          <p class="meta">\n'
    ]
    if hit.institution_slug:
        place = escape(urls.path("institutions.show", slug=hit.institution_slug))
        out.append(f'<a href="{place}">{escape(hit.institution)}</a>')
    else:
        out.append(escape(hit.institution))
    if hit.unit:
        out.append(f' · <span class="unit">{escape(hit.unit)}</span>')
    where = hit.location_label or hit.location_display
    if where:
        out.append(f' · <span class="location">{escape(where)}</span>')
    out.append(
        f'            · <span class="role">{escape(facet_label(hit.role, "role"))}</span>\n'
        "          </p>\n"
    )
    salary = format_salary(hit.salary)
    if salary:
        out.append(f'<p class="salary">{escape(salary)}</p>')
    out.append('          <p class="dates">\n')
    if hit.posted_on:
        out.append(
            f'Posted <time datetime="{escape(format_iso(hit.posted_on))}">'
            f"{escape(format_day(hit.posted_on))}</time>"
        )
    if hit.closes_on:
        out.append(
            f' · Closes <time datetime="{escape(format_iso(hit.closes_on))}">'
            f"{escape(format_day(hit.closes_on))}</time>"
        )
    if hit.status == "closed":
        out.append('<span class="badge badge-closed">Closed</span>')
    if not hit.relevant:
        out.append('<span class="badge">Not judged relevant</span>')
    out.append("          </p>")
    return Markup("".join(out))  # noqa: S704 - every value above is escaped


#: Rendered result cards kept per worker (see HitRenderer).
HIT_HTML_CACHE = 20_000


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


# -- display helpers (template filters) -----------------------------------------------------


def slugify(text: str) -> str:
    """A readable URL segment for a title ("Director, HPC" -> "director-hpc")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:80] or "job"


@bp.app_template_global("since_options")
def since_options() -> list[tuple[str, date]]:
    """The "posted within" choices, as dates from today."""
    today = date.today()
    return [(f"Last {days} days", today - timedelta(days=days)) for days in (7, 30, 90)]


@bp.app_template_global("page_window")
def page_window(page: int, last: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and a few around the current one; None for a gap."""
    wanted = {1, last, *range(max(1, page - around), min(last, page + around) + 1)}
    numbers: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= last):
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def marked_text(html: str | None) -> str:
    """Highlighted text with nothing but <mark> allowed through: as it is when it already is
    (the index's highlighter escapes every character of the text and adds only <mark> and
    </mark>), else cleaned by nh3."""
    text = html or ""
    bare = text.replace("<mark>", "").replace("</mark>", "")
    if not any(c in bare for c in _MARKUP_CHARS) and text.count("<mark>") == text.count("</mark>"):
        return text
    return nh3.clean(text, tags={"mark"}, attributes={})


#: Characters that escaped text never holds (html.escape turns each into an entity).
_MARKUP_CHARS = ("<", ">", '"', "'")


@bp.app_template_filter("highlight")
def safe_highlight(html: str | None) -> Markup:
    """The index's highlighted summary, with nothing but <mark> allowed through."""
    return Markup(marked_text(html))  # noqa: S704 - escaped text or nh3 cleaned


@bp.app_template_filter("summary_blocks")
def summary_blocks(highlighted: str | None) -> Markup:
    """A highlighted card summary as paragraphs, its "- " lines as a list (bullets stay)."""
    text = marked_text(highlighted)
    blocks: list[str] = []
    items: list[str] = []
    for line in (part.strip() for part in text.split("\n")):
        if line.startswith("- "):
            items.append(f"<li>{line[2:]}</li>")
            continue
        if items:
            blocks.append(f"<ul>{''.join(items)}</ul>")
            items = []
        if line:
            blocks.append(f"<p>{line}</p>")
    if items:
        blocks.append(f"<ul>{''.join(items)}</ul>")
    return Markup("".join(blocks))  # noqa: S704 - marked_text; only our own tags added


@bp.app_template_global("location_label")
def _location_label(posting: Posting) -> str:
    """A posting's places spelled out ("Hamilton, ON, Canada")."""
    return posting.location_label


@bp.app_template_filter("sanitize")
def sanitize(html: str | None) -> Markup:
    """Stored description HTML cleaned again with nh3 (the normalizer cleaned it first)."""
    return Markup(nh3.clean(html or "", link_rel="noopener nofollow"))  # noqa: S704 - nh3 cleaned


@bp.app_template_filter("http_url")
def http_url(url: str | None) -> str | None:
    """The URL when it is http(s), else None (no javascript: or data: links)."""
    text = (url or "").strip()
    return text if urlsplit(text).scheme.lower() in ("http", "https") and len(text) < 2000 else None


@bp.app_template_filter("slug")
def _slug_filter(text: str) -> str:
    return slugify(text or "")


@bp.app_template_filter("day")
def format_day(value: date | str | None) -> str:
    """A date as "3 March 2026" (empty when unknown)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return str(value)
    return _day(value)


@lru_cache(maxsize=4096)
def _day(value: date) -> str:
    """format_day of a date (strftime is slow, and a page's dates recur across pages)."""
    return f"{value.day} {value:%B %Y}"


@bp.app_template_filter("iso")
def format_iso(value: date | None) -> str:
    """A date in ISO form for <time datetime>."""
    return value.isoformat() if value else ""


@bp.app_template_filter("salary")
def format_salary(salary: dict[str, Any] | None) -> str:
    """A salary range for people: "CA$120,000–150,000 a year"."""
    if not salary or not (salary.get("min") or salary.get("max")):
        return ""
    currency = str(salary.get("currency") or "")
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} " if currency else "")
    low, high = salary.get("min"), salary.get("max")
    amounts = [f"{float(v):,.0f}" for v in (low, high) if v]
    text = symbol + ("–".join(amounts) if low != high else amounts[0])
    period = PERIODS.get(str(salary.get("period") or ""))
    return f"{text} {period}" if period else text


@bp.app_template_filter("facet_label")
def facet_label(value: str, facet: str) -> str:
    """A facet value for people: country and region names, role names."""
    value = str(value)
    if facet in ("role", "technical", "remote"):
        return label(facet, value)
    if facet == "country":
        return _country_name(value)
    if facet == "region":
        return _region_name(value)
    if facet == "salary":
        return SALARY_LABELS.get(value, value.replace("_", " ").capitalize())
    if facet in ("sector", "institution_type", "status"):
        return value.replace("_", " ").capitalize()
    if facet == "institution":
        return _institution_names().get(value, value)
    return value


def facet_items(
    urls: SearchLinks,
    name: str,
    values: list[tuple[str, int]],
    chosen: list[str],
    labels: dict[tuple[str, str], Markup] | None = None,
) -> Markup:
    """The listing's items for one facet: its first FACET_SHOWN values and every chosen one,
    each a link that toggles it, with its count. Written here rather than as a template loop:
    a page has up to a hundred, and Jinja's work per item was a tenth of the page. labels is
    _shown_labels(), found once a page by the listing (else here)."""
    out: list[str] = []
    if labels is None:
        labels = _shown_labels()
    for index, (value, count) in enumerate(values, 1):
        selected = value in chosen
        if index > FACET_SHOWN and not selected:
            continue
        href = escape(urls.toggle(name, value))
        current = ' aria-current="true"' if selected else ""
        said = '<span class="visually-hidden">Selected: </span>' if selected else ""
        shown = labels.get((name, value))
        if shown is None:
            shown = escape(facet_label(value, name))
            if len(labels) >= FACET_LABELS:
                labels.clear()
            labels[(name, value)] = shown
        out.append(
            f'\n        <li>\n          <a class="toggle" href="{href}"{current}>{said}{shown}'
            f' <span class="count">({count})</span></a>\n        </li>'
        )
    return Markup("".join(out))  # noqa: S704 - every value above is escaped


#: Values a facet lists (chosen ones are listed too, wherever they rank).
FACET_SHOWN = 12
#: Escaped facet labels kept per index version (see _shown_labels).
FACET_LABELS = 50_000


def _shown_labels() -> dict[tuple[str, str], Markup]:
    """(facet, value) -> its label escaped, kept per index version: a label is a fixed
    vocabulary's or country's name, or an institution's name, read per index version too."""
    return per_index_version(get_board(), "facet_labels", dict)


def _country_name(code: str) -> str:
    return country_name(code)


@lru_cache(maxsize=2048)
def _region_name(code: str) -> str:
    import pycountry

    try:
        region = pycountry.subdivisions.get(code=code.upper())
    except (KeyError, LookupError):
        region = None
    if region is None:
        return code
    return f"{region.name} ({_country_name(code.split('-')[0])})"


def _institution_names() -> dict[str, str]:
    """Slug -> name for the facet sidebar, read once per index version (see versioned)."""
    from flask import g

    from board.models import Institution

    def load() -> dict[str, str]:
        return dict(get_db().execute(select(Institution.slug, Institution.name)).all())

    if "institution_names" not in g:  # the version checked once a request, not once a label
        g.institution_names = per_index_version(get_board(), "institution_names", load)
    return g.institution_names
