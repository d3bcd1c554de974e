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

from board.web.leanflask import MATCH_MEMO, LeanFlask, MemoMap

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
