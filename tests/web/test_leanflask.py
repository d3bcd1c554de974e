"""LeanFlask: remembered route matches answer as werkzeug's matcher does, and a search request
leaves no reference cycle for the garbage collector."""

from __future__ import annotations

import gc
from collections import Counter
from types import FunctionType
from typing import Any

import pytest
from flask import Flask
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect, Rule
from werkzeug.test import create_environ

from board.web.leanflask import MATCH_MEMO, LazyBuildRule, LeanFlask, MemoMap

PATHS = [
    "/",
    "/jobs",
    "/jobs/",
    "/jobs/abc123",
    "/jobs/abc123/",
    "/api/v1/jobs",
    "/api/v1/jobs/",
    "/api/v1/jobs/abc123",
    "/api/v1//jobs",
    "/api/v1/openapi.json",
    "/institutions/some-university",
    "/feeds/jobs.atom",
    "/nowhere",
    "/static/style.css",
    "/editor",
    "/editor/",
    "/submit",
]
METHODS = ["GET", "HEAD", "POST", "DELETE", "OPTIONS"]
#: Top-level packages whose code serves a request.
SERVED = ("werkzeug", "flask", "flask_login", "flask_wtf", "board", "search_index", "whoosh")


def _outcome(adapter: Any, path: str, method: str) -> tuple[Any, ...]:
    try:
        rule, args = adapter.match(path, method, return_rule=True)
    except RequestRedirect as exc:
        return ("redirect", exc.new_url)
    except HTTPException as exc:
        allowed = getattr(exc, "valid_methods", None)  # werkzeug lists a set: in any order
        return (type(exc).__name__, sorted(allowed) if allowed is not None else None)
    return ("match", rule.rule, rule.endpoint, args)


def _plain_copy(memo: Map) -> Map:
    return Map([rule.empty() for rule in memo.iter_rules()], strict_slashes=memo.strict_slashes)


def test_remembered_matches_answer_as_werkzeug_s(app: Flask) -> None:
    assert isinstance(app, LeanFlask) and isinstance(app.url_map, MemoMap)
    plain = _plain_copy(app.url_map)
    for host in ("localhost", "example.org"):
        ours = app.url_map.bind(host)
        theirs = plain.bind(host)
        for _ in range(2):  # the second time from the memo
            for path in PATHS:
                for method in METHODS:
                    assert _outcome(ours, path, method) == _outcome(theirs, path, method)
    assert app.url_map._matcher.memo  # noqa: SLF001 - the memo was used


def test_each_match_gets_its_own_view_arguments() -> None:
    routes = MemoMap([Rule("/jobs/<public_id>", endpoint="posting")]).bind("localhost")
    _, first = routes.match("/jobs/abc")
    first["public_id"] = "changed"
    assert routes.match("/jobs/abc") == ("posting", {"public_id": "abc"})


def test_a_rule_added_later_is_matched() -> None:
    routes = MemoMap([Rule("/a/<name>", endpoint="any")])
    assert routes.bind("localhost").match("/a/b") == ("any", {"name": "b"})
    routes.add(Rule("/a/b", endpoint="exact"))
    assert routes.bind("localhost").match("/a/b") == ("exact", {})


def test_the_memo_stays_bounded() -> None:
    routes = MemoMap([Rule("/jobs/<public_id>", endpoint="posting")])
    adapter = routes.bind("localhost")
    for number in range(MATCH_MEMO + 10):
        assert adapter.match(f"/jobs/{number}") == ("posting", {"public_id": str(number)})
    assert len(routes._matcher.memo) <= MATCH_MEMO  # noqa: SLF001


def test_ensure_sync_is_flask_s() -> None:
    app = LeanFlask(__name__)

    def view() -> str:
        return "ok"

    assert app.ensure_sync(view) is view
    assert app.ensure_sync(view) is view

    async def coroutine() -> str:
        return "ok"

    def outcome(flask_app: Flask) -> tuple[str, str]:
        try:  # Flask runs a coroutine view through asgiref, or refuses it without asgiref
            return ("ran", flask_app.ensure_sync(coroutine)())
        except RuntimeError as exc:
            return ("refused", str(exc))

    assert outcome(app) == outcome(Flask(__name__))
    assert outcome(app) == outcome(Flask(__name__))  # asked again: the same answer


@pytest.mark.parametrize(
    "query", ["q=data&country=CA&page=2", "role=director", "q=research+computing", "page=abc"]
)
def test_a_search_request_leaves_no_reference_cycle(app: Flask, ids: dict[str, str], query: str):
    def call() -> None:
        environ = create_environ("/api/v1/jobs", query_string=query)
        body = app(environ, lambda status, headers, exc_info=None: None)
        b"".join(body)

    call()  # the first request of a process fills caches
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        gc.collect()
        for _ in range(5):
            call()
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        # Only functions of the request's own code count: a thread another test left running
        # (a follower, a scheduler) may leave garbage of its own meanwhile.
        ours = Counter(
            f"{thing.__module__}.{thing.__qualname__}"
            for thing in gc.garbage
            if isinstance(thing, FunctionType) and thing.__module__.partition(".")[0] in SERVED
        )
        assert not ours, ours.most_common(8)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was_enabled:
            gc.enable()


def _sample(rule: Rule) -> dict[str, Any]:
    """Values for a rule's arguments that its converters accept."""
    values: dict[str, Any] = {}
    for name in rule.arguments:
        if name in (rule.defaults or {}):
            values[name] = rule.defaults[name]  # type: ignore[index]
            continue
        converter = rule._converters.get(name)  # noqa: SLF001 - werkzeug's own table
        if hasattr(converter, "items"):  # any(atom, rss)
            values[name] = sorted(converter.items)[0]
        elif type(converter).__name__ == "IntegerConverter":
            values[name] = 7
        else:
            values[name] = "a-b"
    return values


def test_lazily_compiled_builders_build_werkzeug_s_urls(app: Flask) -> None:
    plain = Map(
        [Rule(rule.rule, **rule.get_empty_kwargs()) for rule in app.url_map.iter_rules()],
        strict_slashes=app.url_map.strict_slashes,
    ).bind("example.org")
    ours = app.url_map.bind("example.org")
    rules = list(app.url_map.iter_rules())
    assert rules and all(isinstance(rule, LazyBuildRule) for rule in rules)
    built = 0
    for _ in range(2):  # compiling, then compiled
        for rule in rules:
            for extra in ({}, {"page": 2, "q": "data & more"}):
                values = {**_sample(rule), **extra}
                for unknown in (True, False):
                    got = ours.build(rule.endpoint, values, append_unknown=unknown)
                    assert got == plain.build(rule.endpoint, values, append_unknown=unknown)
                    built += 1
    assert built == 2 * 2 * 2 * len(rules)


def _compiled(app: Flask) -> set[str]:
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if not getattr(rule._build_unknown, "lazy", False)  # noqa: SLF001
    }


def test_the_master_compiles_the_builders_the_public_pages_use(
    app: Flask, ids: dict[str, str]
) -> None:
    from board.serving import WARM_ENDPOINTS
    from board.web.leanflask import compile_builders

    assert _compiled(app) == set()  # nothing is compiled when the rules are added
    warm = [rule for rule in app.url_map.iter_rules() if rule.endpoint in WARM_ENDPOINTS]
    assert compile_builders(app.url_map, WARM_ENDPOINTS) == len(warm) >= len(WARM_ENDPOINTS)
    assert _compiled(app) == set(WARM_ENDPOINTS)
    client = app.test_client()
    some_id = next(iter(ids.values()))
    for path in ("/jobs", "/jobs?q=research&country=CA", f"/jobs/{some_id}", "/api/v1/jobs",
                 "/api/v1/jobs?q=data&page=1", "/institutions", "/nowhere"):  # fmt: skip
        assert client.get(path).status_code in (200, 404)
    assert _compiled(app) == set(WARM_ENDPOINTS)  # a worker compiles none of its own for these
    client.get("/login")
    assert "accounts.login" in _compiled(app)  # the others: when first built
