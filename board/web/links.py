"""The links a search page prints dozens of times, built without url_for and urlencode per link.

A listing page links to the same search with one thing changed (a facet value toggled, another
page, closed postings included...) about 45 times, and to each hit's posting and institution.
`url_for` + `params.to_args` + `urlencode` per link cost more than the search itself there, so
`SearchLinks` encodes the search's parameters once and joins pieces: `links.to(**changes)` is
`page_url("jobs.listing", to_args(search, **changes))` character for character (tested), and
`links.path(endpoint, **values)` is `url_for(endpoint, **values)` for values that fill path
segments (the rule's shape is read once a page, each value quoted as werkzeug quotes it).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, quote_plus

from flask import g, url_for

from board.web.params import DEFAULTS
from search_index.schema import FILTER_FACETS

if TYPE_CHECKING:
    from search_index import SearchRequest

#: werkzeug's converters quote a path segment keeping these (BaseConverter.to_url).
_PATH_SAFE = "!$&'()*+,/:;=@"
#: Stands for a value while a rule's shape is read (never quoted, in no route).
_MARK = "0rcjobs0value0"
#: The parameters after the filters, in to_args's order.
_TAIL = ("status", "relevant", "sort", "page", "per_page", "posted_since", "salary", "correct")
#: A URL split around its values: the texts between them and, in order, the values' names.
_Shape = tuple[tuple[str, ...], tuple[str, ...]]


@lru_cache(maxsize=4096)
def query_pair(name: str, value: str) -> str:
    """One `name=value` of a query string, as urlencode writes it (quote_plus: no character
    that HTML escaping changes)."""
    return f"{quote_plus(name)}={quote_plus(value)}"


def _tail_part(name: str, value: Any, currency: str | None = None) -> str:
    """The encoded text of one parameter after the filters ("" when it is left out)."""
    if name == "posted_since":
        return query_pair(name, value.isoformat()) if value else ""
    if name == "salary":
        if not value:
            return ""
        text = query_pair("salary_min", str(value))
        if currency and currency != "USD":
            text = f"{text}&{query_pair('salary_currency', currency)}"
        return text
    if name == "correct":
        return "" if value else query_pair("correct", "false")
    return query_pair(name, str(value)) if value != DEFAULTS[name] else ""


class SearchLinks:
    """Every link of one search's page (made once per render; request context needed)."""

    def __init__(self, search: SearchRequest) -> None:
        self.search = search
        self._bases: dict[str, str] = {}
        self._shapes: dict[tuple[str, tuple[str, ...]], _Shape] = {}
        self._toggled: dict[str, tuple[str, str]] = {}
        self._q = query_pair("q", search.q) if search.q else ""
        self._facets = {
            name: [query_pair(name, value) for value in search.filters.get(name, ())]
            for name in FILTER_FACETS
        }
        self._filters = [part for parts in self._facets.values() for part in parts]
        self._tail = {
            "status": _tail_part("status", search.status),
            "relevant": _tail_part("relevant", search.relevant),
            "sort": _tail_part("sort", search.sort),
            "page": _tail_part("page", search.page),
            "per_page": _tail_part("per_page", search.per_page),
            "posted_since": _tail_part("posted_since", search.posted_since),
            "salary": _tail_part("salary", search.salary_min, search.salary_currency),
            "correct": _tail_part("correct", search.correct),
        }

    @staticmethod
    def _filter_parts(filters: dict[str, list[str]]) -> list[str]:
        return [
            query_pair(name, value) for name in FILTER_FACETS for value in filters.get(name, ())
        ]

    def query(self, **changes: Any) -> str:
        """urlencode(to_args(search, **changes)): same pairs, same order, defaults left out."""
        if not changes:
            parts = [self._q, *self._filters, *self._tail.values()]
            return "&".join(p for p in parts if p)
        q = changes.get("q")
        parts = [self._q if "q" not in changes else query_pair("q", q) if q else ""]
        parts += self._filter_parts(changes["filters"]) if "filters" in changes else self._filters
        tail = self._tail
        if "salary_min" in changes or "salary_currency" in changes:
            amount = changes.get("salary_min", self.search.salary_min)
            currency = changes.get("salary_currency", self.search.salary_currency)
            tail = {**tail, "salary": _tail_part("salary", amount, currency)}
        for name, text in tail.items():
            parts.append(_tail_part(name, changes[name]) if name in changes else text)
        return "&".join(p for p in parts if p)

    def url(self, endpoint: str, **changes: Any) -> str:
        """page_url(endpoint, to_args(search, **changes))."""
        base = self._base(endpoint)
        query = self.query(**changes)
        return f"{base}?{query}" if query else base

    def _base(self, endpoint: str) -> str:
        base = self._bases.get(endpoint)
        if base is None:
            base = self._bases[endpoint] = request_url_for(endpoint)
        return base

    def to(self, **changes: Any) -> str:
        """The listing of this search with some parameters changed."""
        return self.url("jobs.listing", **changes)

    def toggle(self, facet: str, value: str) -> str:
        """The listing with one facet value added, or removed when present (back to page 1):
        page_url("jobs.listing", toggle_filter(search, facet, value)). Only the toggled
        facet's pairs are encoded again."""
        if facet not in self._facets:  # not a filter facet: to_args would leave it out
            return self.url("jobs.listing", page=1)
        values = list(self.search.filters.get(facet, ()))
        if value in values:
            values.remove(value)
        else:
            values.append(value)
        before, after = self._around(facet)
        parts = [before, *[query_pair(facet, v) for v in values], after]
        query = "&".join(p for p in parts if p)
        base = self._base("jobs.listing")
        return f"{base}?{query}" if query else base

    def adding(self, facet: str) -> tuple[str, str] | None:
        """(head, tail) such that toggle(facet, value) is head + query_pair(facet, value) +
        tail for every value the search does not filter on; None for a facet toggle ignores."""
        if facet not in self._facets:
            return None
        before, after = self._around(facet)
        head = "&".join(p for p in (before, *self._facets[facet]) if p)
        base = self._base("jobs.listing")
        return (f"{base}?{head}&" if head else f"{base}?", f"&{after}" if after else "")

    def _around(self, facet: str) -> tuple[str, str]:
        """The encoded query before a facet's pairs (q, the facets before it) and after them
        (the facets after it, the tail on page 1), found for every facet in one pass the
        first time one is asked for (a page asks for most of them)."""
        found = self._toggled.get(facet)
        if found is None:
            names = list(self._facets)
            encoded = ["&".join(self._facets[name]) for name in names]
            tail = "&".join(
                part
                for name, text in self._tail.items()
                if (part := _tail_part("page", 1) if name == "page" else text)
            )
            heads: list[str] = []
            head = self._q
            for text in encoded:
                heads.append(head)
                head = _joined(head, text)
            for at in range(len(names) - 1, -1, -1):
                self._toggled[names[at]] = (heads[at], tail)
                tail = _joined(encoded[at], tail)
            found = self._toggled[facet]
        return found

    def feeds(self, feed_size: int) -> dict[str, str]:
        """feeds.feed_links(search): the Atom and RSS feeds of this search, page 1, the
        feed's own defaults (newest first, feed_size entries) left out of the URL."""
        changes: dict[str, Any] = {"page": 1}
        if self.search.sort == "newest":
            changes["sort"] = DEFAULTS["sort"]
        if self.search.per_page == feed_size:
            changes["per_page"] = DEFAULTS["per_page"]
        query = self.query(**changes)
        out = {}
        for kind in ("atom", "rss"):
            base = request_url_for("feeds.feed", kind=kind)  # a route per kind, no segment
            out[kind] = f"{base}?{query}" if query else base
        return out

    def path(self, endpoint: str, **values: str) -> str:
        """url_for(endpoint, **values) for values that fill path segments of its rule."""
        names = tuple(sorted(values))
        shape = self._shapes.get((endpoint, names))
        if shape is None:
            shapes = built_urls()
            shape = shapes.get(("shape", endpoint, names))
            if shape is None:
                marks: dict[str, Any] = {n: f"{_MARK}{i}{_MARK}" for i, n in enumerate(names)}
                marked = url_for(endpoint, **marks)
                shape = shapes[("shape", endpoint, names)] = _split(marked, names)
            self._shapes[(endpoint, names)] = shape
        texts, slots = shape
        out = [texts[0]]
        for name, text in zip(slots, texts[1:], strict=True):
            out.append(_segment(str(values[name])))
            out.append(text)
        return "".join(out)


def _joined(before: str, after: str) -> str:
    """Two encoded query texts joined with "&" (either may be empty)."""
    return f"{before}&{after}" if before and after else before or after


def _segment(value: str) -> str:
    """A path segment as werkzeug's converters quote it: as it is when quote would keep every
    character (public ids and slugs always), else quoted (remembered: they recur)."""
    if _UNQUOTED(value):
        return value
    return _quoted(value)


@lru_cache(maxsize=16384)
def _quoted(value: str) -> str:
    return quote(value, safe=_PATH_SAFE)


#: Whether quote(value, safe=_PATH_SAFE) is value: only characters quote never changes
#: (ASCII letters, digits, "_.-~") and the safe ones.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.\-~!$&'()*+,/:;=@]*").fullmatch


def _split(marked: str, names: tuple[str, ...]) -> _Shape:
    """The shape of a URL built with marked values (each must appear once, unquoted)."""
    marks = [f"{_MARK}{i}{_MARK}" for i in range(len(names))]
    if any(marked.count(mark) != 1 for mark in marks):
        raise ValueError(f"not every value is one path segment of {marked!r}")
    places = sorted(
        (marked.find(mark), mark, name) for mark, name in zip(marks, names, strict=True)
    )
    texts: list[str] = []
    cursor = 0
    for at, mark, _ in places:
        texts.append(marked[cursor:at])
        cursor = at + len(mark)
    texts.append(marked[cursor:])
    return tuple(texts), tuple(name for _, _, name in places)


def request_url_for(endpoint: str, **values: Any) -> str:
    """url_for for templates, remembered (see built_urls): a page asks for the same few URLs
    (the stylesheet, the site's sections, the listing) on every request. Values that cannot be
    a dictionary key are not remembered."""
    try:
        key = (endpoint, tuple(sorted(values.items())))
        hash(key)
    except TypeError:
        return url_for(endpoint, **values)
    built = built_urls()
    found = built.get(key)
    if found is None:
        found = url_for(endpoint, **values)
        if len(built) >= BUILT_URLS:
            built.clear()
        built[key] = found
    return found


def built_urls() -> dict[Any, Any]:
    """URLs (and URL shapes) built for this app under this request's root, kept across
    requests: a relative URL depends only on the app's rules, which do not change once it
    serves, the root it is mounted at, and the values (rcjobs has no url_defaults and no
    host or subdomain rules). Found once a request, in `g`."""
    found = g.get("built_urls")
    if found is None:
        from flask import current_app, request

        per_root = current_app.extensions.setdefault("rcjobs_built_urls", {})
        found = per_root.get(request.script_root)
        if found is None:
            found = per_root.setdefault(request.script_root, {})
        g.built_urls = found
    return found


#: URLs kept per app and root (cleared when full: institution and posting pages add some).
BUILT_URLS = 10_000
