"""Searching: request and result types, views reopened only when the index changed, result cache.

Facet convention: each of the eight drill-down facets (country, region, role, technical, sector,
institution, institution_type, remote) is counted over the query and every *other* filter, so
a facet's own values stay selectable. status and relevant are view switches: they are counted
within the current selection (all filters applied), so the default view never reads the archive.
"""

from __future__ import annotations

import contextlib
import operator
import os
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from search_index import facetcache
from search_index.analysis import fold, highlight, term
from search_index.engine import View, stored_of
from search_index.layout import Layout
from search_index.query import ParsedQuery, QueryBuilder, clean
from search_index.schema import FACETS, make_schema
from search_index.segments import PostingCache, SegmentData, alive_bits

STATUSES = ("open", "closed", "all")
RELEVANT = ("true", "false", "all")
SORTS = ("relevance", "newest", "closing")
MAX_PER_PAGE = 1000
MAX_PAGE = 100_000
SUGGEST_BELOW = 3
#: Results a searcher remembers per index version (~10 KB each with their facets). With
#: HIT_FIELDS_CACHE and the web layer's card and hit-JSON caches (12,000 each) sized so a
#: worker at 100k postings stays near 125 MB of its own memory after a long run of
#: never-repeating searches (twice these: ~160 MB; docs/performance.md, sixth session).
RESULT_CACHE = 1024
PARSED_CACHE = 4096
MAX_SALARY = 100_000_000
MAX_ONLY_IDS = 10_000
#: A view's per-document arrays that warm() reads (before fork: shared by the workers).
ARRAYS: tuple[str, ...] = ("posted", "closes", "salary_usd", "newest", "closing", "fresh")
ARRAYS += ("newest_order", "closing_order")
#: Documents whose display fields a searcher keeps (see Searcher._display; ~1 KB each).
HIT_FIELDS_CACHE = 12_000


@dataclass
class SearchRequest:
    """What to search for: query text, facet filters, view, sort and page.

    `salary_usd`: only postings whose salary range reaches this many US dollars a year; the
    caller converts it from `salary_min` in `salary_currency`, which it keeps for links.
    `correct`: when nothing matches and a spelling correction does, search for the correction
    instead. `only_ids`: only these postings (alerts use it for the postings first seen since
    their last mail). `highlight`: build each hit's highlighted summary (False where nothing
    shows it, as in the JSON API: the hit's `highlight` is then empty).
    """

    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    status: str = "open"
    relevant: str = "true"
    posted_since: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    salary_min: int | None = None
    salary_currency: str = "USD"
    salary_usd: int | None = None
    correct: bool = True
    only_ids: tuple[str, ...] | None = None
    highlight: bool = True

    def normalized(self) -> SearchRequest:
        """The same request with every value bounded and defaulted."""
        filters: dict[str, list[str]] = {}
        for name, values in (self.filters or {}).items():
            if name in FACETS and values:
                items = [values] if isinstance(values, str) else values
                kept = sorted({str(v) for v in items if str(v).strip()})
                if kept:
                    filters[name] = kept
        return SearchRequest(
            q=clean(self.q or ""),
            filters=filters,
            status=self.status if self.status in STATUSES else "open",
            relevant=str(self.relevant).lower()
            if str(self.relevant).lower() in RELEVANT
            else "true",
            posted_since=self.posted_since if isinstance(self.posted_since, date) else None,
            sort=self.sort if self.sort in SORTS else "relevance",
            page=min(max(_int(self.page, 1), 1), MAX_PAGE),
            per_page=min(max(_int(self.per_page, 20), 1), MAX_PER_PAGE),
            salary_min=_salary(self.salary_min),
            salary_currency=str(self.salary_currency or "USD").upper()[:3],
            salary_usd=_salary(self.salary_usd),
            correct=bool(self.correct),
            only_ids=None
            if self.only_ids is None
            else tuple(sorted({str(i) for i in self.only_ids}))[:MAX_ONLY_IDS],
            highlight=bool(self.highlight),
        )

    def key(self) -> tuple[Any, ...]:
        """A hashable cache key (call on a normalized request)."""
        return (
            self.q,
            tuple((k, tuple(v)) for k, v in sorted(self.filters.items())),
            self.status,
            self.relevant,
            self.posted_since,
            self.sort,
            self.page,
            self.per_page,
            self.salary_min,
            self.salary_currency,
            self.salary_usd,
            self.correct,
            self.only_ids,
            self.highlight,
        )


def _salary(value: Any) -> int | None:
    number = _int(value, 0) if value not in (None, "") else 0
    return min(number, MAX_SALARY) if number > 0 else None


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@dataclass
class Hit:
    """One result: the posting's display fields, its score and highlighted summary."""

    id: str
    score: float
    title: str
    institution: str
    institution_slug: str
    location_display: str
    role: str
    posted_on: date | None
    closes_on: date | None
    summary: str
    status: str
    relevant: bool
    highlight: str
    salary: dict[str, Any] | None = None
    location_label: str = ""
    #: The unit of the institution the posting names ("Office of Research Computing and Data").
    unit: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (dates as ISO strings), in the order of the dataclass fields."""
        return {
            "id": self.id,
            "score": self.score,
            "title": self.title,
            "institution": self.institution,
            "institution_slug": self.institution_slug,
            "location_display": self.location_display,
            "role": self.role,
            "posted_on": self.posted_on.isoformat() if self.posted_on else None,
            "closes_on": self.closes_on.isoformat() if self.closes_on else None,
            "summary": self.summary,
            "status": self.status,
            "relevant": self.relevant,
            "highlight": self.highlight,
            "salary": dict(self.salary) if self.salary else self.salary,
            "location_label": self.location_label,
            "unit": self.unit,
        }


@dataclass
class SearchResult:
    """A page of hits, the total, every facet's counts and a did-you-mean suggestion.

    `corrected`: the query whose results these are, when the one asked for found nothing and a
    spelling correction did (the request's own `q` is then the query as typed).
    """

    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    corrected: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The API shape: total, page, per_page, results, facets, suggestion, corrected."""
        return {
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "results": [hit.to_dict() for hit in self.hits],
            "facets": {
                name: [{"value": value, "count": count} for value, count in values]
                for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "corrected": self.corrected,
        }


def empty_result(request: SearchRequest) -> SearchResult:
    """No hits, every facet present and empty."""
    return SearchResult(0, request.page, request.per_page, [], {name: [] for name in FACETS})


def _date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


class _State:
    """One index version: each partition's leaf segments (opened on first use) and views."""

    def __init__(self, token: Any, generation: Path | None) -> None:
        self.token = token
        self.generation = generation
        self.leaves: dict[str, list[tuple[Any, Any]]] = {}
        self.views: dict[str, View] = {}

    def facets_file(self, name: str, key: Any) -> Path | None:
        """Where a segment of one partition keeps its facet bitsets (search_index.facetcache);
        None for a leaf without a segment id."""
        ident = key[2]
        if self.generation is None or not isinstance(ident, str):
            return None
        return facetcache.cache_path(self.generation / name, ident)

    def part(self, name: str) -> list[tuple[Any, Any]]:
        """(leaf reader, segment key) of one partition, opening it the first time."""
        found = self.leaves.get(name)
        if found is None:
            found = []
            if self.generation is not None:
                reader = whoosh_index.open_dir(str(self.generation / name)).reader()
                if reader.doc_count_all():
                    for leaf, _ in reader.leaf_readers():
                        segment = leaf.segment()
                        ident = segment.segment_id() if segment is not None else id(leaf)
                        found.append((leaf, (self.generation.name, name, ident)))
            self.leaves[name] = found
        return found


class Searcher:
    """Answers SearchRequests for one index directory; safe to share between threads."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.builder = QueryBuilder(make_schema())
        self.postings = PostingCache()
        self._segments: dict[Any, SegmentData] = {}
        self._state: _State | None = None
        self._pid = os.getpid()
        self._lock = threading.RLock()
        self._results: OrderedDict[Any, SearchResult] = OrderedDict()
        self._parsed: dict[str, ParsedQuery] = {}
        self._fields: dict[tuple[Any, int], tuple[Any, ...]] = {}
        self._fields_generation: str | None = None

    # versions

    def state(self, token: Any = None) -> _State:
        """The current index version, reopened only when some process wrote the index
        (`token`: Layout.token() as the caller read it, else read here)."""
        if token is None:
            token = self.layout.token()
        state = self._state
        if state is not None and state.token == token and self._pid == os.getpid():
            return state
        if self._pid != os.getpid():  # forked without after_fork: reopen what is open
            self.after_fork()
            return self.state(token)
        with self._lock:
            state = self._state
            if state is not None and state.token == token:
                return state
            previous = self._state.generation if self._state is not None else None
            state = self._open(token)
            with self._results_lock:
                self._results.clear()
            self._state = state  # the previous state's hold is released when it is unused
            if previous is not None and previous != state.generation:
                with contextlib.suppress(OSError):
                    self.layout.sweep()
            return state

    _results_lock = threading.Lock()

    def after_fork(self) -> None:
        """In a forked child: keep what was read into memory before the fork (segment arrays,
        facet bitsets, cached postings, composed views: shared with the parent until written)
        but reopen every Whoosh reader and make new locks, so no open file or lock is shared."""
        self._pid = os.getpid()
        self._lock = threading.RLock()
        self._results_lock = threading.Lock()
        self.postings.lock = threading.Lock()
        state = self._state
        fresh: dict[Any, Any] = {}
        if state is not None and state.generation is not None:
            for part in state.leaves:
                with contextlib.suppress(OSError, whoosh_index.EmptyIndexError):
                    reader = whoosh_index.open_dir(str(state.generation / part)).reader()
                    for leaf, _ in reader.leaf_readers():
                        segment = leaf.segment()
                        ident = segment.segment_id() if segment is not None else id(leaf)
                        fresh[(state.generation.name, part, ident)] = leaf
        for key, data in list(self._segments.items()):
            leaf = fresh.get(key)
            if leaf is None:
                del self._segments[key]
                continue
            data.reader = leaf
            data.lock = threading.Lock()
        if state is not None and all(
            key in fresh for leaves in state.leaves.values() for _, key in leaves
        ):
            state.leaves = {
                part: [(fresh[key], key) for _, key in leaves]
                for part, leaves in state.leaves.items()
            }
        else:
            self._state = None
        with self._results_lock:
            self._results.clear()

    def warm(self) -> None:
        """Read everything a search of the default and all-postings views needs (arrays, facet
        bitsets, field lengths, the spelling vocabulary), so no request pays for it."""
        from search_index.schema import TEXT_FIELDS

        state = self.state()
        for name in ("live", "all"):
            view = self.view(state, name)
            if not view.size:
                continue
            for array in ARRAYS:
                view.array(array)
            for _, fieldname in FACETS.values():
                view.facet(fieldname)
            view.facet_rows()
            for fieldname in TEXT_FIELDS:
                view.avg_length(fieldname)
                for segment, _, _ in view.segments:
                    segment.lengths(fieldname)
            view.spelling()

    def forget_results(self) -> None:
        """Empty the result cache (the readers and arrays stay)."""
        with self._results_lock:
            self._results.clear()

    def reset(self) -> None:
        """Forget every open reader and cached result (the next search reopens)."""
        with self._lock:
            self._state = None
            self._segments.clear()
            self._fields = {}
            self.postings.clear()
            with self._results_lock:
                self._results.clear()

    def _open(self, token: Any) -> _State:
        generation, hold = self.layout.hold_current()  # kept while the state is in use
        current = generation.name if generation is not None else None
        for key in list(self._segments):
            if key[0] != current:  # segments of a generation swapped out by a rebuild
                del self._segments[key]
        if current != self._fields_generation:  # every field kept was of another generation
            self._fields = {}
            self._fields_generation = current
        state = _State(token, generation)
        if hold is not None:
            weakref.finalize(state, hold.close)
        return state

    def view(self, state: _State, name: str) -> View:
        """The live, archive or combined view of a version."""
        found = state.views.get(name)
        if found is not None:
            return found
        with self._lock:
            found = state.views.get(name)
            if found is not None:
                return found
            parts = ("live", "archive") if name == "all" else (name,)
            members = []
            for part in parts:
                current = {key for _, key in state.part(part)}
                for key in [k for k in self._segments if k[1] == part and k not in current]:
                    del self._segments[key]  # merged away by a later write
                for leaf, key in state.part(part):
                    segment = self._segments.get(key)
                    if segment is None:
                        kept = state.facets_file(part, key)
                        segment = self._segments[key] = SegmentData(leaf, kept)
                    members.append((segment, alive_bits(leaf, segment.size), key))
            found = state.views[name] = View(members, self.postings)
            return found

    # searching

    def search(self, request: SearchRequest, token: Any = None) -> SearchResult:
        """Hits, total, facets and suggestion for a request; never raises on query text
        (`token`: the index's version token as the caller read it, else read here)."""
        request = request.normalized()
        state = self.state(token)
        key = (state.token, request.key())
        cached = self._results.get(key)
        if cached is not None:
            with self._results_lock, contextlib.suppress(KeyError):
                self._results.move_to_end(key)
            return cached
        result = self._search(state, request)
        with self._results_lock:
            if state is self._state:
                self._results[key] = result
                while len(self._results) > RESULT_CACHE:
                    self._results.popitem(last=False)
        return result

    def _search(self, state: _State, request: SearchRequest) -> SearchResult:
        name = _view_name(request)
        view = self.view(state, name)
        if not view.size:
            return empty_result(request)
        parsed = self.parse(request.q)
        base = self._base(view, request)
        matched = base if parsed.tree is None else view.evaluate(parsed.tree) & base
        filters = {
            facet: _union(view.facet(FACETS[facet][1]), values)
            for facet, values in request.filters.items()
        }
        hits = matched
        for bits in filters.values():
            hits &= bits
        total = hits.bit_count()
        facets = self._facets(view, request, matched, filters, hits)
        order = request.sort
        if order == "relevance" and not (parsed.scoring or parsed.prefixes):
            order = "newest"
        scores = view.scores(parsed.scoring, parsed.prefixes) if order == "relevance" else None
        tiers = None
        if scores is not None and not parsed.prefixes:
            tiers = view.title_tiers([t for f, t in parsed.scoring if f == "title"], hits)
        start = (request.page - 1) * request.per_page
        docs, values = view.top(hits, order, start + request.per_page, scores, tiers)
        page_hits = [
            self._hit(view, doc, score, parsed, request.highlight)
            for doc, score in zip(docs[start:], values[start:], strict=True)
        ]
        suggestion = None
        if parsed.words and total < SUGGEST_BELOW:
            suggestion = self._suggest(view, request, parsed, base, filters, total)
        if suggestion and total == 0 and request.correct:
            # Nothing matched and the correction does: show its results, saying so.
            found = self._search(state, replace(request, q=suggestion, correct=False))
            if found.total:
                return replace(found, suggestion=None, corrected=suggestion)
        return SearchResult(total, request.page, request.per_page, page_hits, facets, suggestion)

    def parse(self, q: str) -> ParsedQuery:
        """The parsed query, remembered by its text (parsing is pure and the same words come
        back with other filters and pages; the schema never changes within a process)."""
        found = self._parsed.get(q)
        if found is None:
            found = self.builder.parse(q)
            if len(self._parsed) >= PARSED_CACHE:
                self._parsed.clear()
            self._parsed[q] = found
        return found

    def _base(self, view: View, request: SearchRequest) -> int:
        """The view's documents narrowed by status, relevance and date."""
        base = view.alive
        if request.status != "all":
            base &= view.facet("f_status").get(request.status, 0)
        if request.relevant != "all":
            base &= view.facet("f_relevant").get(request.relevant, 0)
        if request.posted_since is not None:
            base &= view.since(request.posted_since.toordinal())
        if request.salary_usd is not None:
            base &= view.salary_at_least(request.salary_usd)
        if request.only_ids is not None:
            base &= view.ids_bits(request.only_ids)
        return base

    def _facets(
        self,
        view: View,
        request: SearchRequest,
        matched: int,
        filters: dict[str, int],
        hits: int,
    ) -> dict[str, list[tuple[str, int]]]:
        out: dict[str, list[tuple[str, int]]] = {}
        rows = view.facet_rows()
        of_hits = rows.listing(hits) if hits else None  # every facet not filtered counts hits
        for facet, (_, fieldname) in FACETS.items():
            if facet in filters and facet not in ("status", "relevant"):
                scope = matched
                for other, bits in filters.items():
                    if other != facet:
                        scope &= bits
                counts = rows.values(fieldname, scope) if scope else []
            else:
                counts = of_hits[fieldname] if of_hits is not None else []
            selected = request.filters.get(facet, ())
            missing = set(selected).difference(value for value, _ in counts) if selected else ()
            if missing:  # a selected value stays listed, with no documents
                counts.extend((value, 0) for value in sorted(missing))
                counts.sort(key=_by_count)
            else:  # in value order: a stable sort by count, most first, keeps it within a count
                counts.sort(key=_count, reverse=True)
            out[facet] = counts
        return out

    def _hit(
        self, view: View, doc: int, score: float, parsed: ParsedQuery, marked: bool = True
    ) -> Hit:
        (ident, title, institution, slug, where, role, posted, closes, summary, status,
         relevant, salary, label, unit) = self._display(view, doc)  # fmt: skip
        shown = (
            highlight(summary, parsed.highlight_terms(), parsed.highlight_prefixes())
            if marked
            else ""
        )
        return Hit(
            ident, round(float(score), 4), title, institution, slug, where, role, posted,
            closes, summary, status, relevant, shown, salary, label, unit
        )  # fmt: skip

    def _display(self, view: View, doc: int) -> tuple[Any, ...]:
        """A document's display fields in Hit's order (score and highlight left out), from its
        stored fields, remembered per (segment, document): a segment never changes once
        written (a posting's new version is a document of a new segment), so what is kept
        stays right until the segment is merged away, and a generation swap forgets it all.
        At most HIT_FIELDS_CACHE documents; the Hits share the salary dict (read-only)."""
        segment, local, key = view.locate_key(doc)
        memo = (key, local)
        fields = self._fields
        found = fields.get(memo)
        if found is not None:
            return found
        stored = stored_of(segment, local)
        found = (
            str(stored.get("id") or ""),
            str(stored.get("title") or ""),
            str(stored.get("institution") or ""),
            str(stored.get("institution_slug") or ""),
            str(stored.get("location_display") or ""),
            str(stored.get("role") or ""),
            _date(stored.get("posted_on")),
            _date(stored.get("closes_on")),
            str(stored.get("summary") or ""),
            str(stored.get("status") or "open"),
            bool(stored.get("relevant", True)),
            stored.get("salary") or None,
            str(stored.get("location_label") or stored.get("location_display") or ""),
            str(stored.get("unit") or ""),
        )
        if len(fields) >= HIT_FIELDS_CACHE:
            fields.clear()
        fields[memo] = found
        return found

    def _suggest(
        self,
        view: View,
        request: SearchRequest,
        parsed: ParsedQuery,
        base: int,
        filters: dict[str, int],
        total: int,
    ) -> str | None:
        """A corrected query that finds more, when the query's words look misspelled."""
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        vocabulary, freqs = view.spelling()
        known = set(vocabulary)
        changed = False
        words = []
        for word in parsed.words[:12]:
            folded = fold(word)
            indexed = term(word)
            if (
                len(folded) < 3
                or folded.isdigit()
                or folded in known
                or (indexed and view.term_bits("description", indexed) & view.alive)
            ):
                words.append(folded)
                continue
            limit = 1 if len(folded) <= 4 else 2
            matches = process.extract(
                folded, vocabulary, scorer=Levenshtein.distance, score_cutoff=limit, limit=25
            )
            if not matches:
                words.append(folded)
                continue
            best = min(matches, key=lambda m: (m[1], -freqs[m[2]], m[0]))
            words.append(best[0])
            changed = True
        if not changed:
            return None
        suggestion = " ".join(words)
        again = self.builder.parse(suggestion)
        if again.tree is None:
            return None
        found = view.evaluate(again.tree) & base
        for bits in filters.values():
            found &= bits
        return suggestion if found.bit_count() > total else None


_count = operator.itemgetter(1)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    """Facet values by count, most first, then by value."""
    return (-item[1], item[0])


def _union(values_bits: dict[str, int], wanted: list[str]) -> int:
    bits = 0
    for value in wanted:
        bits |= values_bits.get(value, 0)
    return bits


def _view_name(request: SearchRequest) -> str:
    if request.status == "open" and request.relevant == "true":
        return "live"
    if request.status == "closed" or request.relevant == "false":
        return "archive"
    return "all"
