"""The listing page built in Python (listing_page) is the bytes templates/jobs/listing.html
renders (template_page), for odd searches and results and for real requests, and its
responses are those a render gave: same body, same headers."""

from __future__ import annotations

import dataclasses
import html
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from board.web import jobs
from board.web import params as P
from board.web.links import SearchLinks, query_pair
from board.web.listing_page import facet_items, listing_page, template_page
from search_index import Hit, SearchResult
from tests.accounts.support import add_editor, login
from tests.web.test_cards import HITS, ODD

#: Facet values that recur, so chosen values are often among a result's facet values.
VALUES = st.sampled_from(
    ["CA", "US", "GB", "CA-ON", "director", "manager", "hpc", "data", "remote", "stated",
     "not_stated", "university", "mcmaster", "<x>", "a&b", "é", "'q'", '"', "a b", "x" * 30]
)  # fmt: skip
FACET_NAMES = [*P.FACETS, "status", "relevant"]
TODAY = date(2026, 3, 10)  # the conftest's frozen clock
SINCE = st.one_of(
    st.none(),
    st.sampled_from([TODAY - timedelta(days=d) for d in (7, 30, 90)]).map(date.isoformat),
    st.sampled_from(["2026-01-01", "bad", "2026-13-01"]),
)


@st.composite
def args(draw: Any) -> MultiDict[str, str]:
    """A query string as a browser may send it (the view parses it leniently)."""
    out: MultiDict[str, str] = MultiDict()
    if draw(st.booleans()):
        out.add("q", draw(ODD))
    for name in draw(st.lists(st.sampled_from(P.FACETS), max_size=3)):
        for value in draw(st.lists(st.one_of(VALUES, ODD), min_size=1, max_size=3)):
            out.add(name, value)
    for name, choices in (
        ("status", ["open", "closed", "all", "bogus"]),
        ("relevant", ["true", "false", "all", "x"]),
        ("sort", ["relevance", "newest", "closing", "nope"]),
        ("page", ["1", "2", "3", "7", "40", "0", "x", "9999"]),
        ("per_page", ["1", "3", "20", "50", "1000"]),
        ("salary_min", ["120k", "90000", "abc", "0", "1.5k"]),
        ("salary_currency", ["USD", "CAD", "eur", "XYZ"]),
        ("correct", ["false", "true"]),
    ):
        if draw(st.integers(0, 3)) == 0:
            out.add(name, draw(st.sampled_from(choices)))
    since = draw(SINCE)
    if since:
        out.add("posted_since", since)
    return out


SUMMARY_LINES = st.lists(st.one_of(ODD, ODD.map(lambda t: f"- {t}")), min_size=1, max_size=4).map(
    "\n".join
)


@st.composite
def highlights(draw: Any) -> str:
    """A summary's highlight as the index writes it (escaped, words in <mark>), or markup
    the listing must clean."""
    text = draw(SUMMARY_LINES)
    if draw(st.integers(0, 4)) == 0:
        return text  # raw: nh3 cleans it
    words = text.split(" ")
    marked = draw(st.lists(st.booleans(), min_size=len(words), max_size=len(words)))
    return " ".join(
        f"<mark>{html.escape(w)}</mark>" if m else html.escape(w)
        for w, m in zip(words, marked, strict=True)
    )


@st.composite
def hits(draw: Any) -> Any:
    hit = draw(HITS)
    summary = draw(st.one_of(st.just(""), SUMMARY_LINES))
    return dataclasses.replace(hit, summary=summary, highlight=draw(highlights()))


@st.composite
def results(draw: Any, search: Any) -> SearchResult | None:
    if draw(st.integers(0, 15)) == 0:
        return None  # the index failed
    facets = {
        name: draw(st.lists(st.tuples(VALUES, st.integers(0, 5000)), max_size=16))
        for name in draw(st.lists(st.sampled_from(FACET_NAMES), unique=True))
    }
    found = draw(st.lists(hits(), max_size=4))
    total = draw(st.one_of(st.just(len(found)), st.integers(0, 250_000)))
    return SearchResult(
        total=total,
        page=search.page,
        per_page=search.per_page,
        hits=found,
        facets=facets,
        suggestion=draw(st.one_of(st.none(), ODD)),
        corrected=draw(st.one_of(st.none(), st.none(), ODD)),
    )


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_page_is_the_template_s_bytes(app, data):
    query = data.draw(args())
    search = P.search_request(query)
    result = data.draw(results(search))
    for root in ("", "/board"):
        with app.test_request_context(
            "/jobs", query_string=query, base_url=f"http://jobs.example.test{root}"
        ):
            urls = SearchLinks(search)
            expected = template_page(search, result, urls).encode()
            assert listing_page(search, result, urls) == expected


def test_hostile_text_is_escaped_as_the_template_escapes_it(app):
    evil = "<script>alert('x')</script>&\""
    search = P.search_request(MultiDict([("q", evil), ("country", evil), ("role", "<b>")]))
    hit = Hit(
        "abc", 1.0, evil, evil, "a<b", evil, "<x>", date(2026, 1, 2), None, evil, "closed",
        False, evil + "\n- " + evil, None, evil, evil,
    )  # fmt: skip
    result = SearchResult(
        1, 1, 20, [hit], {"country": [(evil.upper(), 3)], "role": [("<b>", 1)]}, evil, evil
    )
    with app.test_request_context("/jobs"):
        encoded = listing_page(search, result, SearchLinks(search))
        assert encoded == template_page(search, result, SearchLinks(search)).encode()
    page = encoded.decode()
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#34;" in page


#: Real requests: every part of the page (facets chosen and not, pages, sorts, corrections,
#: empty results, bad values the listing reads leniently).
PATHS = [
    "/jobs",
    "/jobs?q=director",
    "/jobs?q=dirctor",
    "/jobs?q=dirctor&correct=false",
    "/jobs?q=reserch+computng",
    "/jobs?q=zzzzqqq",
    "/jobs?q=%3Cscript%3Ealert(1)%3C/script%3E",
    "/jobs?q=%F0%9F%98%80+data",
    "/jobs?q=%00&country=%00",
    "/jobs?q=%ff",
    "/jobs?q=" + "x" * 600,
    "/jobs?q=institution:mcmaster",
    "/jobs?q=hpc*",
    "/jobs?country=CA",
    "/jobs?country=ca&role=director",
    "/jobs?country=CA&country=US&role=manager",
    "/jobs?role=%3Cb%3E&country=ZZ",
    "/jobs?technical=hpc&technical=data&remote=remote",
    "/jobs?region=CA-ON",
    "/jobs?salary=stated",
    "/jobs?status=all",
    "/jobs?status=closed",
    "/jobs?status=bogus",
    "/jobs?relevant=all",
    "/jobs?relevant=false",
    "/jobs?sort=newest",
    "/jobs?sort=closing&status=all",
    "/jobs?sort=bogus",
    "/jobs?page=2&per_page=1",
    "/jobs?page=3&per_page=2&status=all&relevant=all",
    "/jobs?page=9999",
    "/jobs?page=0",
    "/jobs?page=x",
    "/jobs?per_page=1000",
    "/jobs?per_page=1&page=4&q=research",
    "/jobs?salary_min=120k",
    "/jobs?salary_min=90000&salary_currency=CAD",
    "/jobs?salary_min=abc&salary_currency=XYZ",
    "/jobs?posted_since=2026-03-03",
    "/jobs?posted_since=2026-13-01",
    "/jobs?posted_since=2026-02-08&sort=newest",
    "/jobs?unknown=1",
]


@pytest.mark.parametrize("who", ["anonymous", "session", "junk remember-me", "editor"])
def test_responses_are_those_a_render_gave(app, board, ids, monkeypatch, who):
    client = app.test_client()
    if who == "session":
        client.get("/login")  # a session holding a CSRF token
    elif who == "junk remember-me":
        client.set_cookie("remember_token", "junk|abc")
    elif who == "editor":
        add_editor(board)
        assert login(client).status_code == 302
    built = [client.get(path) for path in PATHS]
    monkeypatch.setattr(jobs, "listing_page", template_page)
    rendered = [client.get(path) for path in PATHS]
    for path, ours, theirs in zip(PATHS, built, rendered, strict=True):
        assert ours.status_code == theirs.status_code == 200, path
        assert ours.get_data() == theirs.get_data(), path
        assert _headers(ours) == _headers(theirs), path
    if who == "editor":  # base.html's shell is the same for every user: the nav shows no one
        assert b"Editor</a>" in built[0].get_data()


def _headers(response: Any) -> list[tuple[str, str]]:
    return [(k, v) for k, v in response.headers.items() if k != "Date"]


def test_a_failed_search_is_the_template_s_page(app, ids, monkeypatch):
    client = app.test_client()

    def broken(*_args: Any) -> None:
        raise RuntimeError("index gone")

    monkeypatch.setattr(app.extensions["rcjobs"].index, "search", broken)
    ours = client.get("/jobs?q=director")
    monkeypatch.setattr(jobs, "listing_page", template_page)
    theirs = client.get("/jobs?q=director")
    assert ours.status_code == theirs.status_code == 200
    assert b"Search is unavailable right now" in ours.get_data()
    assert ours.get_data() == theirs.get_data()


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=args(), value=st.one_of(VALUES, ODD))
def test_adding_a_value_is_toggling_it(app, query, value):
    search = P.search_request(query)
    with app.test_request_context("/jobs"):
        urls = SearchLinks(search)
        for facet in P.FACETS:
            if value in search.filters.get(facet, ()):
                continue
            around = urls.adding(facet)
            assert around is not None
            assert around[0] + query_pair(facet, value) + around[1] == urls.toggle(facet, value)
        assert urls.adding("status") is None


#: The facet items as a template loop (what jobs.facet_items replaced), their reference.
FACET_ITEMS = (
    "{% for value, count in values %}{% set selected = value in chosen %}"
    "{% if loop.index <= 12 or selected %}"
    '{{ nl }}        <li>{{ nl }}          <a class="toggle" href="{{ urls.toggle(name, value) }}"'
    '{% if selected %} aria-current="true"{% endif %}>'
    '{% if selected %}<span class="visually-hidden">Selected: </span>{% endif %}'
    '{{ value|facet_label(name) }} <span class="count">({{ count }})</span></a>'
    "{{ nl }}        </li>{% endif %}{% endfor %}"
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    query=args(),
    name=st.sampled_from(P.FACETS),
    values=st.lists(st.tuples(st.one_of(VALUES, ODD), st.integers(0, 9999)), max_size=20),
)
def test_facet_items_are_the_template_loop_s_bytes(app, query, name, values):
    search = P.search_request(query)
    chosen = search.filters.get(name, [])
    if values and chosen and values[-1][0] not in chosen:
        values[-1] = (chosen[0], values[-1][1])  # a chosen value ranked past the first 12
    with app.test_request_context("/jobs"):
        urls = SearchLinks(search)
        expected = app.jinja_env.from_string(FACET_ITEMS).render(
            urls=urls, name=name, values=values, chosen=chosen, nl="\n"
        )
        assert str(facet_items(urls, name, values, chosen)) == expected
