"""Search parameters: query string <-> SearchRequest, lenient for pages and strict for the API."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import MultiDict

from board.normalize.annual import USD_PER_UNIT, to_usd
from search_index.schema import FILTER_FACETS as FACETS

if TYPE_CHECKING:
    from search_index import SearchRequest

_UPPER_FACETS = ("country", "region")  # ISO codes; every other facet value is lower case
STATUSES = ("open", "closed", "all")
RELEVANCE = ("true", "false", "all")
SORTS = ("relevance", "newest", "closing")
DEFAULTS = {"status": "open", "relevant": "true", "sort": "relevance", "page": 1, "per_page": 20}
MAX_QUERY = 500
#: Entries in a search's feed (its default per_page, left out of feed URLs).
FEED_SIZE = 50
MAX_VALUE = 100
MAX_VALUES = 20
MAX_PAGE = 10_000
MAX_PER_PAGE = 100
MAX_SALARY = 100_000_000
CURRENCIES = tuple(USD_PER_UNIT)
FALSE = ("false", "0", "no", "off")
_AMOUNT = re.compile(r"(\d+(?:\.\d+)?)(k?)")
# Control characters (NUL included), lone surrogates and the noncharacters U+FFFE/U+FFFF never
# reach the index, a page or a feed (XML cannot carry them); tabs and newlines become spaces.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


class ParameterError(ValueError):
    """One or more query parameters are invalid; `errors` maps each name to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass
class _Parsed:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def clean_text(value: Any, limit: int) -> str:
    """A string without control characters, collapsed whitespace, at most `limit` characters."""
    text = _CONTROL.sub(" ", str(value))
    return " ".join(text.split())[:limit]


def _getlist(args: Mapping[str, Any], name: str) -> list[Any]:
    getlist = getattr(args, "getlist", None)
    if getlist is not None:
        return list(getlist(name))
    value = args.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _choice(parsed: _Parsed, args: Mapping[str, Any], name: str, choices: tuple[str, ...]) -> None:
    raw = args.get(name)
    value = clean_text(raw, 20).lower() if raw is not None else ""
    if not value:
        parsed.values[name] = DEFAULTS[name]
    elif value in choices:
        parsed.values[name] = value
    else:
        parsed.values[name] = DEFAULTS[name]
        parsed.errors[name] = f"must be one of {', '.join(choices)}"


def _number(parsed: _Parsed, args: Mapping[str, Any], name: str, high: int) -> None:
    raw = args.get(name)
    parsed.values[name] = DEFAULTS[name]
    if raw is None or not str(raw).strip():
        return
    try:
        number = int(str(raw).strip())
    except ValueError:
        parsed.errors[name] = "must be a whole number"
        return
    if number < 1:
        parsed.errors[name] = "must be at least 1"
        return
    parsed.values[name] = min(number, high)  # too large is clamped, not an error


def _salary(parsed: _Parsed, args: Mapping[str, Any]) -> None:
    """salary_min (a yearly amount, "120,000" or "120k") in salary_currency, and its US dollars."""
    given = args.get("salary_currency")
    currency = (clean_text(given, 10).upper() if given else "") or "USD"
    if currency not in CURRENCIES:
        parsed.errors["salary_currency"] = f"must be one of {', '.join(CURRENCIES)}"
        currency = "USD"
    parsed.values.update(salary_min=None, salary_currency=currency, salary_usd=None)
    given = args.get("salary_min")
    if not given:
        return
    raw = clean_text(given, 30).replace(",", "").replace(" ", "").lower()
    if not raw:
        return
    match = _AMOUNT.fullmatch(raw)
    if match is None:
        parsed.errors["salary_min"] = "must be a yearly amount like 120000 or 120k"
        return
    amount = int(float(match.group(1)) * (1000 if match.group(2) else 1))
    if amount <= 0:
        return  # "at least 0": no filter
    amount = min(amount, MAX_SALARY)
    usd = to_usd(amount, currency) or amount
    parsed.values.update(salary_min=amount, salary_usd=max(1, math.floor(usd)))


def _parse(args: Mapping[str, Any]) -> _Parsed:
    parsed = _Parsed()
    parsed.values["q"] = clean_text(args.get("q") or "", MAX_QUERY)
    filters: dict[str, list[str]] = {}
    for name in FACETS:
        given = _getlist(args, name)
        if not given:
            continue
        # Facet values are codes: "ca" is CA and "Director" is director, as a user types them.
        case = str.upper if name in _UPPER_FACETS else str.lower
        values = [case(clean_text(v, MAX_VALUE)) for v in given]
        values = list(dict.fromkeys(v for v in values if v))[:MAX_VALUES]
        if values:
            filters[name] = values
    parsed.values["filters"] = filters
    _choice(parsed, args, "status", STATUSES)
    _choice(parsed, args, "relevant", RELEVANCE)
    _choice(parsed, args, "sort", SORTS)
    _number(parsed, args, "page", MAX_PAGE)
    _number(parsed, args, "per_page", MAX_PER_PAGE)
    _salary(parsed, args)
    correct = args.get("correct")
    parsed.values["correct"] = not correct or clean_text(correct, 10).lower() not in FALSE
    parsed.values["posted_since"] = None
    since = args.get("posted_since")
    since = clean_text(since, 20) if since else ""
    if since:
        try:
            parsed.values["posted_since"] = date.fromisoformat(since)
        except ValueError:
            parsed.errors["posted_since"] = "must be a date like 2026-03-01"
    return parsed


class _Lists(Mapping[str, Any]):
    """A MultiDict (request.args) read as a dict of lists: get() and getlist() as the
    MultiDict's, without the exception werkzeug raises and catches for each missing name
    (a search asks for about twenty names and gets three)."""

    def __init__(self, args: MultiDict[str, Any]) -> None:
        self.lists = dict(args.lists())

    def __getitem__(self, name: str) -> Any:
        found = self.lists.get(name)
        if not found:
            raise KeyError(name)
        return found[0]

    def get(self, name: str, default: Any = None) -> Any:
        found = self.lists.get(name)
        return found[0] if found else default

    def getlist(self, name: str) -> list[Any]:
        return list(self.lists.get(name, ()))

    def __iter__(self) -> Iterator[str]:
        return iter(self.lists)

    def __len__(self) -> int:
        return len(self.lists)


def search_request(
    args: Mapping[str, Any], strict: bool = False, highlight: bool = True
) -> SearchRequest:
    """A SearchRequest from request.args; strict raises ParameterError, lenient uses defaults
    (`highlight`: the request's, False where nothing shows highlights)."""
    from search_index import SearchRequest

    if isinstance(args, MultiDict):
        args = _Lists(args)
    parsed = _parse(args)
    if strict and parsed.errors:
        raise ParameterError(parsed.errors)
    return SearchRequest(**parsed.values, highlight=highlight)


def to_args(search: SearchRequest, **changes: Any) -> MultiDict[str, str]:
    """The query string of a search (defaults left out), with some parameters changed."""
    state: dict[str, Any] = {
        "q": search.q,
        "filters": {k: list(v) for k, v in search.filters.items()},
        "status": search.status,
        "relevant": search.relevant,
        "posted_since": search.posted_since,
        "sort": search.sort,
        "page": search.page,
        "per_page": search.per_page,
        "salary_min": search.salary_min,
        "salary_currency": search.salary_currency,
        "correct": search.correct,
    }
    state.update(changes)
    args: MultiDict[str, str] = MultiDict()
    if state["q"]:
        args.add("q", state["q"])
    for name in FACETS:
        for value in state["filters"].get(name, ()):
            args.add(name, value)
    for name in ("status", "relevant", "sort", "page", "per_page"):
        if state[name] != DEFAULTS[name]:
            args.add(name, str(state[name]))
    if state["posted_since"]:
        args.add("posted_since", state["posted_since"].isoformat())
    if state["salary_min"]:
        args.add("salary_min", str(state["salary_min"]))
        if state["salary_currency"] and state["salary_currency"] != "USD":
            args.add("salary_currency", state["salary_currency"])
    if not state["correct"]:
        args.add("correct", "false")
    return args


def toggle_filter(search: SearchRequest, facet: str, value: str) -> MultiDict[str, str]:
    """The query string with one facet value added, or removed when present (back to page 1)."""
    filters = {k: list(v) for k, v in search.filters.items()}
    values = filters.setdefault(facet, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return to_args(search, filters=filters, page=1)


def is_default(search: SearchRequest) -> bool:
    """Whether the search is the plain listing (nothing typed, nothing filtered)."""
    return not search.q and not search.filters and not search.posted_since and not search.salary_min
