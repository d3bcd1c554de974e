"""The listing's HTML (/jobs) built in Python: the page, its result cards and facet items.

templates/jobs/listing.html (and _hit.html for a card) stay as the page's reference: a
listing was about half Jinja's own work (about 425 outputs through two generator levels, a
context built per render), so the view writes the same bytes here, every value escaped as
autoescape escapes it (markupsafe), and tests (tests/web/test_listing_page.py,
tests/web/test_cards.py) hold the two to byte-equality on many inputs, hostile text included.
A change to listing.html must be made here too: those tests fail until it is.

What base.html writes around the listing's blocks is its "shell": it depends only on the app
(its routes) and the root it is mounted at (its URLs) — base.html reads `request.endpoint`,
which is always jobs.listing here, `current_app.view_functions` and `url_for` — so it is
rendered once per app and root, from base.html itself, with markers in the blocks, and the
listing's blocks are written between its pieces. The template context processors still run
on every listing, as render_template runs them (they read the session: `Vary: Cookie`, and
load the user where that can matter), so headers and side effects stay those of a render.
"""

from __future__ import annotations

from functools import lru_cache, partial
from typing import TYPE_CHECKING, cast

from flask import current_app, render_template, render_template_string, request
from markupsafe import Markup, escape

from board.web import params as P
from board.web.context import get_board
from board.web.display import (
    FACET_TITLES,
    facet_label,
    format_day,
    format_iso,
    format_salary,
    page_window,
    since_options,
    slugify,
    summary_blocks,
)
from board.web.links import SearchLinks, query_pair, request_url_for
from board.web.versioned import per_index_version

if TYPE_CHECKING:
    from collections.abc import Callable

    from search_index import Hit, SearchRequest, SearchResult


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
        self.cache: dict[tuple[str, str], bytes] = per_index_version(get_board(), "hit_html", dict)
        self.root = request.script_root
        self.pieces = card_pieces(self.root)

    def __call__(self, hit: Hit) -> Markup:
        """The card as markup (the reference template's hit_card)."""
        return Markup(self.encoded(hit).decode())  # noqa: S704 - card_html escaped it

    def encoded(self, hit: Hit) -> bytes:
        """The card's UTF-8 bytes, as the listing writes them (kept encoded: the page is
        joined as bytes, and a card's names and places are often not ASCII, which made
        encoding the whole page's text cost more than joining it)."""
        key = (self.root, hit.id)
        found = self.cache.get(key)
        if found is None:
            found = card_html(hit, self.urls, self.pieces).encode()
            if len(self.cache) >= HIT_HTML_CACHE:
                self.cache.clear()
            self.cache[key] = found
        return found


def card_html(hit: Hit, urls: SearchLinks, pieces: CardPieces | None = None) -> Markup:
    """templates/jobs/_hit.html rendered for hit, byte for byte (trim_blocks and
    lstrip_blocks as the app sets them), every value escaped as autoescape escapes it.

    pieces (card_pieces(), or a dict of the caller's) keeps the parts many cards share — an
    institution's link, a unit, a place, a role, a salary, the dates and badges — escaped
    once: each depends only on its values and on the URLs of the app and root of urls."""
    if pieces is None:
        pieces = {}
    ident = escape(hit.id)
    href = escape(urls.path("jobs.posting", public_id=hit.id, slug=slugify(hit.title or "")))
    out = [
        f'      <li class="hit">\n        <article aria-labelledby="hit-{ident}">\n'
        f'          <h3 id="hit-{ident}"><a href="{href}">{escape(hit.title)}</a></h3>\n'
        '          <p class="meta">\n'
    ]
    key: tuple[object, ...] = ("institution", hit.institution_slug, hit.institution)
    found = pieces.get(key)
    if found is None:
        if hit.institution_slug:
            place = escape(urls.path("institutions.show", slug=hit.institution_slug))
            found = f'<a href="{place}">{escape(hit.institution)}</a>'
        else:
            found = str(escape(hit.institution))
        found = _keep(pieces, key, found)
    out.append(found)
    where = hit.location_label or hit.location_display
    key = ("place", hit.unit, where, hit.role)
    found = pieces.get(key)
    if found is None:
        place_parts = []
        if hit.unit:
            place_parts.append(f' · <span class="unit">{escape(hit.unit)}</span>')
        if where:
            place_parts.append(f' · <span class="location">{escape(where)}</span>')
        place_parts.append(
            f'            · <span class="role">{escape(facet_label(hit.role, "role"))}</span>\n'
            "          </p>\n"
        )
        found = _keep(pieces, key, "".join(place_parts))
    out.append(found)
    salary = hit.salary
    key = ("salary", *_salary_key(salary)) if salary else ("salary",)
    found = pieces.get(key)
    if found is None:
        shown = format_salary(salary)
        found = f'<p class="salary">{escape(shown)}</p>' if shown else ""
        if len(key) > 1 and _hashable(key):
            found = _keep(pieces, key, found)
    out.append(found)
    key = ("dates", hit.posted_on, hit.closes_on, hit.status == "closed", hit.relevant)
    found = pieces.get(key) if _hashable(key) else None
    if found is None:
        found = _dates(hit)
        if _hashable(key):
            found = _keep(pieces, key, found)
    out.append(found)
    return Markup("".join(out))  # noqa: S704 - every value above is escaped


#: What card_html keeps per app, root and index version: (kind, values...) -> escaped text.
CardPieces = dict[tuple[object, ...], str]
#: Pieces kept (cleared when full: there are about as many places and institutions as cards).
CARD_PIECES = 20_000


def card_pieces(root: str) -> CardPieces:
    """The pieces of cards kept for this app, root and index version (see card_html)."""
    per_root: dict[str, CardPieces] = per_index_version(get_board(), "card_pieces", dict)
    found = per_root.get(root)
    if found is None:
        found = per_root.setdefault(root, {})
    return found


def _keep(pieces: CardPieces, key: tuple[object, ...], text: str) -> str:
    if len(pieces) >= CARD_PIECES:
        pieces.clear()
    pieces[key] = text
    return text


def _salary_key(salary: dict[str, object]) -> tuple[object, ...]:
    """What format_salary reads of a salary."""
    return (salary.get("min"), salary.get("max"), salary.get("currency"), salary.get("period"))


def _hashable(key: tuple[object, ...]) -> bool:
    try:
        hash(key)
    except TypeError:
        return False
    return True


def _dates(hit: Hit) -> str:
    """A card's dates paragraph and badges."""
    out = ['          <p class="dates">\n']
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
    return "".join(out)


#: Rendered result cards kept per worker (see HitRenderer).
HIT_HTML_CACHE = 12_000


def facet_items(
    urls: SearchLinks,
    name: str,
    values: list[tuple[str, int]],
    chosen: list[str],
    labels: dict[tuple[str, str], tuple[Markup, str]] | None = None,
) -> Markup:
    """The listing's items for one facet: its first FACET_SHOWN values and every chosen one,
    each a link that toggles it, with its count. labels is shown_labels(), found once a page
    by the listing (else here). A value not chosen links to the search's URL with that one
    pair added (SearchLinks.adding: the text around it is escaped once a facet)."""
    if labels is None:
        labels = shown_labels()
    around = urls.adding(name)
    start = '\n        <li>\n          <a class="toggle" href="'
    middle = ""
    if around:  # plain text: a str added to Markup would be escaped again
        start = f"{start}{escape(around[0])}"
        middle = f'{escape(around[1])}">'
    out: list[str] = []
    shown = list(values[:FACET_SHOWN])
    if chosen:  # a chosen value is listed wherever it ranks, in its place
        shown += [item for item in values[FACET_SHOWN:] if item[0] in chosen]
    for value, count in shown:
        found = labels.get((name, value))
        if found is None:
            found = (escape(facet_label(value, name)), query_pair(name, value))
            if len(labels) >= FACET_LABELS:
                labels.clear()
            labels[(name, value)] = found
        label, pair = found
        if value in chosen:
            out.append(
                '\n        <li>\n          <a class="toggle" '
                f'href="{escape(urls.toggle(name, value))}" aria-current="true">'
                '<span class="visually-hidden">Selected: </span>'
                f'{label} <span class="count">({count})</span></a>\n        </li>'
            )
        elif around:
            out.append(
                f'{start}{pair}{middle}{label} <span class="count">({count})</span></a>'
                "\n        </li>"
            )
        else:
            out.append(
                f'{start}{escape(urls.toggle(name, value))}">{label}'
                f' <span class="count">({count})</span></a>\n        </li>'
            )
    return Markup("".join(out))  # noqa: S704 - every value above is escaped


#: Values a facet lists (chosen ones are listed too, wherever they rank).
FACET_SHOWN = 12
#: Facet values' escaped labels and query pairs kept per index version (see shown_labels).
FACET_LABELS = 50_000


def shown_labels() -> dict[tuple[str, str], tuple[Markup, str]]:
    """(facet, value) -> its label escaped and its query pair, kept per index version: a
    label is a fixed vocabulary's or country's name, or an institution's name, read per
    index version too."""
    return per_index_version(get_board(), "facet_labels", dict)


# -- the page -------------------------------------------------------------------------------

#: Stand for the listing's blocks while base.html's shell is rendered (in no page's text).
_BLOCKS = ("title", "head", "content")
_MARKS = tuple(f"\x00rcjobs-block-{name}\x00" for name in _BLOCKS)
_SHELL_SOURCE = '{% extends "base.html" %}' + "".join(
    f"{{% block {name} %}}{mark}{{% endblock %}}"
    for name, mark in zip(_BLOCKS, _MARKS, strict=True)
)
#: The listing's sort choices, as listing.html lists them.
SORT_CHOICES = (("relevance", "Best match"), ("newest", "Newest"), ("closing", "Closing soonest"))


def listing_page(search: SearchRequest, result: SearchResult | None, urls: SearchLinks) -> bytes:
    """templates/jobs/listing.html rendered for this search and result and encoded (UTF-8,
    as Flask encodes a rendered page), byte for byte (with the context render_template gives
    it: its processors run here too). The page is joined as bytes: base.html's shell, the
    cards and the summary blocks are kept encoded, and only the text written for this search
    is encoded on each request (encoding a whole 40 KB page with a few characters beyond
    ASCII in it took longer than writing its sidebar)."""
    current_app.update_template_context({})  # what a render does first (reads the session)
    describe = cast(
        "Callable[[SearchRequest], str]", current_app.jinja_env.globals["describe_search"]
    )
    described = escape(describe(search))
    shell = _shell()
    title = f"Jobs: {described}" if search.q or search.filters else "Jobs"
    links = urls.feeds(P.FEED_SIZE)
    head = (
        '  <link rel="alternate" type="application/atom+xml" title="rcjobs: '
        f'{described} (Atom)" href="{escape(links["atom"])}">\n'
        '  <link rel="alternate" type="application/rss+xml" title="rcjobs: '
        f'{described} (RSS)" href="{escape(links["rss"])}">\n'
    )
    if search.page > 1 or search.q:
        head += '<meta name="robots" content="noindex, follow">'
    content = _content(search, result, urls, links)
    return b"".join(
        (shell[0], title.encode(), shell[1], head.encode(), shell[2], *content, shell[3])
    )


def template_page(search: SearchRequest, result: SearchResult | None, urls: SearchLinks) -> str:
    """The reference: templates/jobs/listing.html rendered by Jinja (listing_page's bytes)."""
    return render_template(
        "jobs/listing.html",
        search=search,
        result=result,
        facet_titles=FACET_TITLES,
        P=P,
        urls=urls,
        hit_card=HitRenderer(urls),
        facet_items=partial(facet_items, urls, labels=shown_labels()),
        feed_size=P.FEED_SIZE,
    )


def _shell() -> tuple[bytes, bytes, bytes, bytes]:
    """base.html's text around the listing's blocks, for this app and root (see the module
    doc), rendered the first time and kept on the app, encoded."""
    shells = current_app.extensions.setdefault("rcjobs_listing_shells", {})
    found = shells.get(request.script_root)
    if found is None:
        text = render_template_string(_SHELL_SOURCE)
        pieces: list[bytes] = []
        for mark in _MARKS:
            before, found_mark, text = text.partition(mark)
            if not found_mark or mark in text:
                raise ValueError(f"base.html must write each block once: {mark!r}")
            pieces.append(before.encode())
        pieces.append(text.encode())
        found = shells[request.script_root] = (pieces[0], pieces[1], pieces[2], pieces[3])
    return found


def _hidden(inputs: list[tuple[str, str]], indent: str, *left_out: str) -> str:
    """The hidden inputs of a form keeping the search's other parameters: `inputs` is
    _inputs(search), each form leaving out the parameters it sets (to_args(search, ...) with
    those at their defaults leaves them out, the rest in the same order)."""
    return "".join(
        f'{indent}<input type="hidden" name="{name}" value="{value}">\n'
        for name, value in inputs
        if name not in left_out
    )


def _inputs(search: SearchRequest) -> list[tuple[str, str]]:
    """P.to_args(search) as (name, value) pairs, each escaped."""
    return [(escape(n), escape(v)) for n, v in P.to_args(search).items(multi=True)]


def _content(
    search: SearchRequest, result: SearchResult | None, urls: SearchLinks, links: dict[str, str]
) -> list[bytes]:
    """The content block, in encoded pieces."""
    listing_url = escape(request_url_for("jobs.listing"))
    inputs = _inputs(search)
    out = [
        "<h1>Jobs leading research computing teams</h1>\n\n"
        f'<form method="get" action="{listing_url}" role="search" class="search-form">\n'
        '  <label for="q">Search jobs</label>\n'
        '  <div class="search-row">\n'
        f'    <input id="q" name="q" type="search" value="{escape(search.q)}" maxlength="500"\n'
        '           placeholder="e.g. director HPC, &quot;research software&quot;, '
        'institution:mcmaster"\n'
        '           aria-describedby="q-help">\n',
        _hidden(inputs, "    ", "q", "page", "correct"),
        '    <button type="submit">Search</button>\n'
        "  </div>\n"
        '  <p id="q-help" class="hint">Use quotes for phrases; prefix with <code>title:</code> '
        "or <code>institution:</code>; end a word with <code>*</code> to match its beginning. "
        "Your filters are kept.</p>\n"
        "</form>\n\n",
    ]
    if result is None:
        out.append(
            '<div class="notice notice-error search-unavailable" role="alert">\n'
            "  <h2>Search is unavailable right now</h2>\n"
            "  <p>Posting pages still work. Please try again in a minute.</p>\n"
            "</div>\n"
        )
        return ["".join(out).encode()]
    last_page = ((result.total - 1) // result.per_page + 1) if result.total else 1
    out.append('<div class="layout">\n')
    out.append(_filters(search, result, urls, listing_url, inputs))
    results = _results(search, result, urls, links, listing_url, last_page, inputs)
    return ["".join(out).encode(), *results, b"</div>\n"]


def _toggle(label: str, on: bool, href: str, count: object) -> str:
    """A "Show" toggle's link: to turn it off when on (marked as selected), else to turn it on
    (with the number of postings it would add)."""
    if on:
        return (
            f'          <a class="toggle" aria-current="true" href="{escape(href)}">'
            f'<span class="visually-hidden">Selected: </span>{label}</a>\n'
        )
    shown = f' <span class="count">({escape(count)})</span>' if count else ""
    return f'          <a class="toggle" href="{escape(href)}">{label}{shown}</a>\n'


def _filters(
    search: SearchRequest,
    result: SearchResult,
    urls: SearchLinks,
    listing_url: Markup,
    inputs: list[tuple[str, str]],
) -> str:
    """The sidebar: closed and not-relevant toggles, posted within, salary, the facets."""
    chosen_count = ""
    if search.filters:
        total = sum(len(values) for values in search.filters.values())
        chosen_count = f' <span class="count">({total} selected)</span>'
    out = [
        '  <aside class="filters" aria-labelledby="filters-title">\n'
        '    <a class="skip-link" href="#results">Skip to results</a>\n'
        '    <details class="filter-panel" open>\n'
        f'    <summary><h2 id="filters-title">Filter{chosen_count}</h2></summary>\n\n'
        '    <section class="facet" aria-labelledby="facet-status">\n'
        '      <h3 id="facet-status">Show</h3>\n'
        "      <ul>\n"
        "        <li>\n"
    ]
    closed_count = dict(result.facets.get("status") or []).get("closed")
    notrel_count = dict(result.facets.get("relevant") or []).get("false")
    out.append(
        _toggle(
            "Include closed postings",
            search.status != "open",
            urls.to(status="open" if search.status != "open" else "all", page=1),
            closed_count,
        )
    )
    out.append("        </li>\n        <li>\n")
    out.append(
        _toggle(
            "Include postings judged not relevant",
            search.relevant != "true",
            urls.to(relevant="true" if search.relevant != "true" else "all", page=1),
            notrel_count,
        )
    )
    out.append(
        "        </li>\n"
        "      </ul>\n"
        "    </section>\n\n"
        '    <section class="facet" aria-labelledby="facet-posted">\n'
        '      <h3 id="facet-posted">Posted</h3>\n'
        "      <ul>\n"
    )
    for text, since in since_options():
        chosen = search.posted_since == since
        href = escape(urls.to(posted_since=None if chosen else since, page=1))
        current = ' aria-current="true"' if chosen else ""
        said = '<span class="visually-hidden">Selected: </span>' if chosen else ""
        out.append(
            f'        <li><a class="toggle" href="{href}"{current}>{said}{escape(text)}</a></li>\n'
        )
    options = _currency_options(search.salary_currency)
    out.append(
        "      </ul>\n"
        "    </section>\n\n"
        '    <section class="facet salary-filter" aria-labelledby="facet-salary-min">\n'
        '      <h3 id="facet-salary-min">Salary</h3>\n'
        f'      <form method="get" action="{listing_url}">\n'
    )
    out.append(_hidden(inputs, "        ", "salary_min", "salary_currency", "page"))
    out.append(
        '        <label for="salary_min">At least, a year</label>\n'
        '        <div class="salary-row">\n'
        '          <input id="salary_min" name="salary_min" type="text" inputmode="numeric" '
        'maxlength="12"\n'
        f'                 value="{escape(search.salary_min or "")}" placeholder="e.g. 120000" '
        'aria-describedby="salary-help">\n'
        '          <label for="salary_currency"><span class="visually-hidden">Currency</span>'
        "</label>\n"
        '          <select id="salary_currency" name="salary_currency">\n'
        f"{options}          </select>\n"
        '          <button type="submit">Apply</button>\n'
        "        </div>\n"
        '        <p id="salary-help" class="hint">Postings that state a salary reaching this '
        "much; other currencies are compared at "
        f'<a href="{escape(request_url_for("jobs.salary_rates"))}">fixed rates</a>.</p>\n'
        "      </form>\n"
        "    </section>\n\n"
    )
    labels = shown_labels()
    for name in P.FACETS:
        values = result.facets.get(name) or []
        chosen_values = search.filters.get(name, [])
        if values or chosen_values:
            out.append(
                f'    <section class="facet" aria-labelledby="facet-{escape(name)}">\n'
                f'      <h3 id="facet-{escape(name)}">{escape(FACET_TITLES[name])}</h3>\n'
                "      <ul>"
                f"{facet_items(urls, name, values, chosen_values, labels)}\n"
                "      </ul>\n"
                "    </section>\n"
            )
    out.append("    </details>\n  </aside>\n\n")
    return "".join(out)


@lru_cache(maxsize=64)
def _currency_options(chosen: str) -> str:
    """The salary form's currency <option>s, the chosen one selected."""
    return "".join(
        f'<option value="{escape(code)}"{" selected" if chosen == code else ""}>'
        f"{escape(code)}</option>"
        for code in P.CURRENCIES
    )


def _results(
    search: SearchRequest,
    result: SearchResult,
    urls: SearchLinks,
    links: dict[str, str],
    listing_url: Markup,
    last_page: int,
    inputs: list[tuple[str, str]],
) -> list[bytes]:
    """The results column, in encoded pieces: the total, sorting, active filters,
    corrections, hits (each card and summary block kept encoded), pages."""
    total = result.total
    matching = ""
    if result.corrected:
        matching = f" matching <q>{escape(result.corrected)}</q>"
    elif search.q:
        matching = f" matching <q>{escape(search.q)}</q>"
    if total > result.per_page:
        matching += f", page {escape(result.page)} of {escape(last_page)}"
    sorts = "".join(
        f'          <option value="{value}"{" selected" if search.sort == value else ""}>'
        f"{text}</option>\n"
        for value, text in SORT_CHOICES
    )
    alerts = "alerts.new" in current_app.view_functions
    alert_url = escape(urls.url("alerts.new", page=1)) if alerts else ""
    out = [
        '  <section id="results" class="results" aria-labelledby="results-title" tabindex="-1">\n'
        '    <h2 id="results-title" class="visually-hidden">Results</h2>\n'
        '    <div class="results-bar">\n'
        '      <p class="total" role="status">\n'
        f"        <strong>{escape(f'{total:,}')}</strong> job{'' if total == 1 else 's'}"
        f"{matching}      </p>\n"
        f'      <form method="get" action="{listing_url}" class="sort-form">\n',
        _hidden(inputs, "        ", "sort", "page"),
        '        <label for="sort">Sort by</label>\n'
        '        <select id="sort" name="sort">\n'
        f"{sorts}"
        "        </select>\n"
        '        <button type="submit" class="sort-apply">Sort</button>\n'
        "      </form>\n",
    ]
    if alerts:
        out.append(
            f'<a class="alert-link button-quiet" href="{alert_url}">'
            "Email me new jobs like these</a>"
        )
    out.append("    </div>\n\n")
    if search.filters or search.salary_min:
        out.append('    <ul class="active-filters" aria-label="Active filters">\n')
        for name, chosen in search.filters.items():
            title = escape(FACET_TITLES.get(name, name))
            for value in chosen:
                out.append(
                    f'      <li><a href="{escape(urls.toggle(name, value))}">{title}: '
                    f"{escape(facet_label(value, name))} {_REMOVE}</a></li>\n"
                )
        if search.salary_min:
            salary = format_salary(
                {"min": search.salary_min, "currency": search.salary_currency, "period": "year"}
            )
            out.append(
                f'      <li><a href="{escape(urls.to(salary_min=None, page=1))}">Salary: at least '
                f"{escape(salary)} {_REMOVE}</a></li>\n"
            )
        out.append(
            f'      <li><a href="{escape(urls.to(filters={}, salary_min=None, page=1))}">'
            "Clear all filters</a></li>\n"
            "    </ul>\n"
        )
    out.append("\n")
    if result.corrected:
        out.append(
            '    <p class="corrected" role="status">Showing results for '
            f'<a href="{escape(urls.to(q=result.corrected, page=1, correct=True))}">'
            f"<strong>{escape(result.corrected)}</strong></a>. Search instead for "
            f'<a class="original-query" href="{escape(urls.to(page=1, correct=False))}">'
            f"{escape(search.q)}</a>.</p>\n"
        )
    out.append("\n")
    if result.suggestion:
        out.append(
            '    <p class="suggestion">Did you mean '
            f'<a href="{escape(urls.to(q=result.suggestion, page=1))}">'
            f"{escape(result.suggestion)}</a>?</p>\n"
        )
    out.append("\n")
    pieces: list[bytes] = []
    if result.hits:
        out.append(
            f'    <ol class="hits" start="{escape((result.page - 1) * result.per_page + 1)}">\n'
        )
        pieces.append("".join(out).encode())
        out = []
        card = HitRenderer(urls).encoded
        for hit in result.hits:
            pieces.append(card(hit))
            pieces.append(_summary(hit.highlight) if hit.summary else _CARD_END)
        out.append("    </ol>\n")
    elif result.page > 1 and total:
        out.append(
            f'    <p class="empty">There are no results on page {escape(result.page)}. '
            f'<a href="{escape(urls.to(page=1))}">Go to the first page</a>.</p>\n'
        )
    else:
        out.append('    <div class="empty">\n      <p>No jobs match this search.</p>\n      <ul>\n')
        if search.filters or search.salary_min:
            out.append(
                f'<li><a href="{escape(urls.to(filters={}, salary_min=None, page=1))}">'
                "Remove the filters</a></li>"
            )
        if search.status == "open":
            out.append(
                f'<li><a href="{escape(urls.to(status="all", page=1))}">'
                "Include closed postings</a></li>"
            )
        if search.relevant == "true":
            out.append(
                f'<li><a href="{escape(urls.to(relevant="all", page=1))}">'
                "Include postings judged not relevant</a></li>"
            )
        if search.q:
            out.append(
                f'<li><a href="{escape(urls.to(q="", page=1))}">Search without words</a></li>'
            )
        out.append("      </ul>\n    </div>\n")
    out.append("\n")
    if last_page > 1:
        out.append(_pagination(result.page, last_page, urls))
    out.append("\n")
    follow = (
        f'<a class="alert-link" href="{alert_url}">Email me new jobs like these</a> · '
        if alerts
        else ""
    )
    out.append(
        f'    <p class="subscribe">Follow this search: {follow}'
        f'<a href="{escape(links["atom"])}" class="feed-link" type="application/atom+xml">'
        f'Atom feed</a> · <a href="{escape(links["rss"])}" class="feed-link" '
        'type="application/rss+xml">RSS feed</a> · '
        f'<a href="{escape(urls.url("api.jobs"))}" type="application/json">JSON</a></p>\n'
        "  </section>\n"
    )
    pieces.append("".join(out).encode())
    return pieces


#: The end of a card's article and item, and what follows a card without a summary.
_ARTICLE_END = b"        </article>\n      </li>\n"
_CARD_END = b"\n" + _ARTICLE_END


def _summary(highlighted: str) -> bytes:
    """A card's summary block (summary_blocks of its highlight) and the end of its card,
    encoded, remembered per text: the same postings come back with the same words marked
    (or none) search after search."""
    found = _SUMMARIES.get(highlighted)
    if found is None:
        block = f'\n<div class="summary">{summary_blocks(highlighted)}</div>'
        found = block.encode() + _ARTICLE_END
        if len(_SUMMARIES) >= SUMMARIES_MAX:
            _SUMMARIES.clear()
        _SUMMARIES[highlighted] = found
    return found


_SUMMARIES: dict[str, bytes] = {}
#: Summary blocks remembered per worker (about 0.5 KB each).
SUMMARIES_MAX = 8_000


#: The end of an active filter's link.
_REMOVE = (
    '<span aria-hidden="true">×</span><span class="visually-hidden">(remove this filter)</span>'
)


def _pagination(page: int, last_page: int, urls: SearchLinks) -> str:
    """The page links: previous, a window of numbers with gaps, next."""
    out = ['    <nav class="pagination" aria-label="Pages">\n      <ul>\n']
    if page > 1:
        out.append(
            f'        <li><a rel="prev" href="{escape(urls.to(page=min(page - 1, last_page)))}">'
            'Previous<span class="visually-hidden"> page</span></a></li>\n'
        )
    for number in page_window(page, last_page):
        if number:
            current = ' aria-current="page"' if number == page else ""
            out.append(
                f'        <li><a href="{escape(urls.to(page=number))}"{current}>'
                f'<span class="visually-hidden">Page </span>{number}</a></li>\n'
            )
        else:
            out.append('        <li class="gap" aria-hidden="true">…</li>\n')
    if page < last_page:
        out.append(
            f'        <li><a rel="next" href="{escape(urls.to(page=page + 1))}">'
            'Next<span class="visually-hidden"> page</span></a></li>\n'
        )
    out.append("      </ul>\n    </nav>\n")
    return "".join(out)
