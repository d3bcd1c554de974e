"""The query string read as plain lists gives the SearchRequest (and the errors) the MultiDict
gives; the API's lean response headers answer as werkzeug's; the Date header is now's."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

from board.web import params

ARGS = [
    [],
    [("q", "hpc director")],
    [("q", "x"), ("q", "second"), ("country", "ca"), ("country", "US"), ("country", "")],
    [("page", "abc"), ("per_page", "0"), ("sort", "weird"), ("status", "bogus")],
    [("salary_min", "120k"), ("salary_currency", "eur"), ("posted_since", "2026-01-01")],
    [("salary_min", "lots"), ("posted_since", "soon"), ("correct", "false"), ("relevant", "")],
    [("role", "Director"), ("technical", "HPC"), ("remote", "remote"), ("unknown", "1")],
]


@pytest.mark.parametrize("pairs", ARGS)
@pytest.mark.parametrize("strict", [False, True])
def test_lists_read_as_the_multidict(pairs: list[tuple[str, str]], strict: bool) -> None:
    args = ImmutableMultiDict(pairs)

    def old(read: Any) -> Any:
        parsed = params._parse(read)  # the MultiDict itself, as before
        if strict and parsed.errors:
            return ("error", parsed.errors)
        from search_index import SearchRequest

        return SearchRequest(**parsed.values)

    try:
        got: Any = params.search_request(args, strict=strict)
    except params.ParameterError as exc:
        got = ("error", exc.errors)
    assert got == old(args) == old(MultiDict(pairs))
    lists = params._Lists(args)
    assert dict(lists) == args.to_dict() and len(lists) == len(args)
    for name in ("q", "country", "nothing"):
        assert lists.get(name) == args.get(name) and lists.getlist(name) == args.getlist(name)


def test_lean_headers_answer_as_werkzeugs() -> None:
    from werkzeug.datastructures import Headers

    from board.web.responses import LeanHeaders

    pairs = [("Content-Type", "application/json"), ("X-Two", "a"), ("x-two", "b")]
    lean, plain = LeanHeaders(pairs), Headers(pairs)
    for name in ("content-type", "X-TWO", "x-two", "Missing", "date"):
        assert (name in lean) == (name in plain)
        assert lean.get(name) == plain.get(name)
        assert lean.get(name, "d") == plain.get(name, "d")
    assert lean.get("content-type", type=len) == plain.get("content-type", type=len)
    assert lean.get("missing", 5, type=int) == plain.get("missing", 5, type=int)
    for name, value in (("X-Two", "c"), ("Vary", "Cookie"), ("vary", "Other")):
        assert lean.setdefault(name, value) == plain.setdefault(name, value)
    assert lean.to_wsgi_list() == plain.to_wsgi_list()
    with pytest.raises(ValueError, match="newline"):
        lean.setdefault("X-Bad", "a\nb")
    for name, value in (("x-two", "d"), ("New", 3), ("NEW", "4"), ("\u212a", "kelvin"), ("k", "5")):
        lean.set(name, value)
        plain.set(name, value)
        assert lean.to_wsgi_list() == plain.to_wsgi_list()
    lean.set("Content-Disposition", "attachment", filename="a.txt")
    plain.set("Content-Disposition", "attachment", filename="a.txt")
    assert lean.to_wsgi_list() == plain.to_wsgi_list()
    for name in ("K", "\u212a", "\u0130", "i\u0307", "new"):
        assert (name in lean) == (name in plain) and lean.get(name) == plain.get(name)
    with pytest.raises(ValueError, match="newline"):
        lean.set("X-Bad", "a\r\nb")


def test_an_api_answer_without_a_cookie_has_werkzeugs_headers(client) -> None:
    response = client.get("/api/v1/jobs?q=hpc")
    assert response.headers["Vary"] == "Cookie" and response.headers["ETag"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/api/v1/jobs?q=hpc", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == response.headers["ETag"]


def test_the_date_header_is_now_to_the_second() -> None:
    import time_machine
    from werkzeug.http import http_date

    from board.web import caching

    for moment in ("2026-03-10T12:00:00.000", "2026-03-10T12:00:00.999", "2026-03-10T12:00:01"):
        with time_machine.travel(moment + "+00:00", tick=False):
            assert caching._date_now() == http_date()


@pytest.mark.parametrize(
    ("status", "headers", "body"),
    [
        (200, {}, b"{}"),
        (200, {"Location": "/caf\u00e9"}, b"moved"),
        (201, {"content-location": "/caf\u00e9"}, b""),
        (200, {"X-Other": "1"}, iter([b"streamed"])),
        (204, {}, b""),
        (304, {"ETag": '"x"', "Content-Type": "application/json"}, b""),
        (404, {"Vary": "Cookie"}, b"missing"),
    ],
)
def test_lean_wsgi_headers_are_werkzeugs(status: int, headers: dict[str, str], body: Any) -> None:
    from flask import Response  # the base of LeanResponse
    from werkzeug.test import create_environ

    from board.web.responses import LeanResponse

    environ = create_environ("/api/v1/jobs", "http://localhost/")
    lean = LeanResponse(body, status, headers).get_wsgi_headers(environ)
    if not isinstance(body, bytes):
        body = iter([b"streamed"])
    plain = Response(body, status, headers).get_wsgi_headers(environ)
    assert lean.to_wsgi_list() == plain.to_wsgi_list()
