"""The search request path: the API answers what the index finds, with no SQL per request.

Hidden postings are kept out by the index (the change log's catch-up deletes them), the API
builds no highlights, and institution names and Last-Modified come from a cache that follows
the index's version.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import asdict
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import event

from board import indexing, ingest, queries
from board.services import Board
from board.web.jobs import marked_text, summary_blocks
from search_index import SearchRequest
from search_index.analysis import highlight

TITLES = [
    "Director of Research Computing",
    "Manager, HPC Operations",
    "Research Software Engineering Lead",
    "Head of Data Science Platforms",
    "Cloud Infrastructure Manager",
    "Senior Research Software Engineer",
    "Bioinformatics Team Lead",
    "Machine Learning Platform Director",
]
PLACES = [("Hamilton", "ON", "CA"), ("Golden", "CO", "US"), ("Oxford", "OXF", "GB")]
INSTITUTIONS = [("McMaster University", "mcmaster"), ("NREL", "nrel"), ("Oxford", "oxford")]
WORDS = ["hpc", "gpu", "storage", "python", "kubernetes", "genomics", "slurm", "budget"]


def corpus(size: int = 240) -> list[dict[str, Any]]:
    """Documents of the index contract, deterministic, with ties in dates and scores."""
    rng = random.Random(15)
    docs = []
    for n in range(size):
        city, region, country = rng.choice(PLACES)
        name, slug = rng.choice(INSTITUTIONS)
        words = " ".join(rng.sample(WORDS, 3))
        title = rng.choice(TITLES)
        posted = date(2026, 1, 1) + timedelta(days=rng.randint(0, 40))
        docs.append(
            {
                "id": f"g{n:04d}",
                "title": title,
                "institution": name,
                "institution_slug": slug,
                "description": f"{title}. Lead the {words} team & its <services>.",
                "summary": f"{title}: {words} & \"friends\" <b>'x'</b>.",
                "location_display": f"{city} {region} {country}",
                "location_text": f"{city} {region} {country}",
                "countries": [country],
                "regions": [f"{country}-{region}"],
                "cities": [city],
                "role": rng.choice(["director", "manager", "lead"]),
                "technical": rng.sample(["hpc", "data", "cloud", "rse"], 2),
                "sector": "academic",
                "institution_type": "university",
                "remote": rng.choice(["onsite", "hybrid", "remote"]),
                "status": "open" if rng.random() < 0.8 else "closed",
                "relevant": rng.random() < 0.9,
                "score": 0.9,
                "posted_on": posted,
                "closes_on": posted + timedelta(days=30) if n % 3 else None,
                "updated_at": None,
                "salary": {"min": 100000, "max": 150000, "currency": "CAD", "period": "year"}
                if n % 4 == 0
                else None,
            }
        )
    return docs


QUERIES = ["", "research", "hpc director", '"research software"', "comput*", "reserch", "gpu"]
FILTERS: list[dict[str, list[str]]] = [
    {},
    {"country": ["CA"]},
    {"role": ["director", "manager"], "country": ["US"]},
    {"technical": ["hpc"]},
]


def old_hit_body(hit: Any, url: str) -> dict[str, Any]:
    """The API's hit as it was built before (asdict, dates made ISO, highlight dropped)."""
    body = asdict(hit)
    body["posted_on"] = hit.posted_on.isoformat() if hit.posted_on else None
    body["closes_on"] = hit.closes_on.isoformat() if hit.closes_on else None
    del body["highlight"]
    body.update(
        rank=round(float(body.pop("score") or 0.0), 4),
        relevant=bool(hit.relevant),
        institution_slug=hit.institution_slug or None,
        url=url,
    )
    return body


@pytest.fixture
def generated(board: Board) -> list[dict[str, Any]]:
    docs = corpus()
    board.index.rebuild(docs, total=len(docs))
    return docs


def test_api_answers_exactly_what_the_index_finds_with_highlights(client, board, generated):
    cases = itertools.product(QUERIES, FILTERS, ["relevance", "newest"], [1, 2], ["open", "all"])
    checked = 0
    for q, filters, sort, page, status in cases:
        params = [("q", q), ("sort", sort), ("page", str(page)), ("status", status)]
        params += [(name, value) for name, values in filters.items() for value in values]
        body = client.get("/api/v1/jobs?" + urlencode(params)).json
        before = board.index.search(
            SearchRequest(q=q, filters=filters, sort=sort, page=page, status=status)
        )
        assert before.hits and before.hits[0].highlight or not before.hits or not q
        expected = {
            "total": before.total,
            "page": before.page,
            "per_page": before.per_page,
            "results": [
                old_hit_body(hit, f"http://jobs.example.test/jobs/{hit.id}") for hit in before.hits
            ],
            "facets": {
                name: [{"value": v, "count": c} for v, c in values]
                for name, values in before.facets.items()
            },
            "suggestion": before.suggestion,
            "corrected": before.corrected,
            "query_corrected": before.corrected is not None,
        }
        assert body == expected, (q, filters, sort, page, status)
        checked += bool(before.hits)
    assert checked > 50  # most cases find something: the comparison is not of empty pages


def test_no_highlight_changes_nothing_but_the_highlight(board, generated):
    for q, filters in itertools.product(QUERIES, FILTERS):
        marked = board.index.search(SearchRequest(q=q, filters=filters, per_page=50))
        plain = board.index.search(SearchRequest(q=q, filters=filters, per_page=50, highlight=0))
        assert [h.id for h in plain.hits] == [h.id for h in marked.hits]
        assert [h.score for h in plain.hits] == [h.score for h in marked.hits]
        assert (plain.total, plain.facets, plain.suggestion, plain.corrected) == (
            marked.total,
            marked.facets,
            marked.suggestion,
            marked.corrected,
        )
        assert all(h.highlight == "" for h in plain.hits)
        for hit in marked.hits:  # the hit's dict is asdict's, dates as ISO text
            old = asdict(hit) | {
                "posted_on": hit.posted_on.isoformat() if hit.posted_on else None,
                "closes_on": hit.closes_on.isoformat() if hit.closes_on else None,
            }
            assert hit.to_dict() == old


def test_json_keeps_its_shape_types_and_non_ascii_text(client, board):
    docs = corpus(12)
    docs[0] |= {"title": "Directrice, calcul scientifique (Montréal) — “HPC” ✓", "status": "open"}
    docs[0] |= {"relevant": True}
    board.index.rebuild(docs, total=len(docs))
    response = client.get("/api/v1/jobs?q=Montréal")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["ETag"] and response.headers["Cache-Control"]
    body = response.json
    assert list(body) == sorted(body)  # keys sorted, as Flask's JSON wrote them
    assert set(body) == {
        "total",
        "page",
        "per_page",
        "results",
        "facets",
        "suggestion",
        "corrected",
        "query_corrected",
    }
    hit = body["results"][0]
    assert hit["title"] == docs[0]["title"]
    assert set(hit) == {
        "id",
        "rank",
        "title",
        "institution",
        "institution_slug",
        "location_display",
        "role",
        "posted_on",
        "closes_on",
        "summary",
        "status",
        "relevant",
        "salary",
        "location_label",
        "unit",
        "url",
    }
    assert isinstance(hit["rank"], float) and isinstance(hit["relevant"], bool)
    etag = {"If-None-Match": response.headers["ETag"]}
    again = client.get("/api/v1/jobs?q=Montréal", headers=etag)
    assert again.status_code == 304
    error = client.get("/api/v1/jobs?page=x")
    assert error.status_code == 400 and error.json["error"]["status"] == 400


def count_statements(board: Board) -> list[str]:
    seen: list[str] = []
    event.listen(board.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_searches_run_no_sql_once_the_index_version_is_known(client, board, ids):
    # The first request of this index version reads the names and the old slugs (aliases).
    client.get("/jobs?q=research&institution=nrel")
    client.get("/api/v1/jobs?q=research")
    seen = count_statements(board)
    for path in (
        "/api/v1/jobs?q=director&country=CA",
        "/api/v1/jobs?q=hpc+operations",
        "/jobs?q=software&institution=mcmaster-university",
        "/jobs?institution=nrel",
    ):
        assert client.get(path).status_code == 200
    assert seen == []
    page = client.get("/jobs?institution=mcmaster-university").get_data(as_text=True)
    assert "McMaster University" in page  # the facet's label is the institution's name


def test_a_hidden_posting_is_never_returned_once_the_change_log_is_followed(client, board, ids):
    director = ids["director"]
    assert director in {r["id"] for r in client.get("/api/v1/jobs?q=director").json["results"]}
    with board.session() as session:  # the editor's hide: a change-log entry, no index write
        ingest.hide(session, queries.get_posting(session, director), True)
    done = indexing.catch_up(board)  # what follows every write (and `rcjobs index`)
    assert done.deleted == 1
    for path in ("/api/v1/jobs?q=director", "/api/v1/jobs", "/api/v1/jobs?status=all"):
        assert director not in {r["id"] for r in client.get(path).json["results"]}, path
    assert director not in client.get("/jobs?q=director").get_data(as_text=True)
    with board.session() as session:
        ingest.hide(session, queries.get_posting(session, director), False)
    indexing.catch_up(board)
    assert director in {r["id"] for r in client.get("/api/v1/jobs?q=director").json["results"]}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        self.tags.append("/" + tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize(
    "text",
    [
        "Lead the <script>alert(1)</script> HPC team",
        "HPC & data \"quoted\" 'single' <mark>not ours</mark> </mark>",
        '<img src=x onerror=alert(1)> hpc <a href="javascript:x">hpc</a>',
        "&lt;already escaped&gt; hpc &amp; more",
    ],
)
def test_highlighted_text_keeps_only_marks_and_every_character(text):
    html = highlight(text, {"hpc"})
    shown = marked_text(html)
    assert shown == html  # the highlighter's output is used as it is, not cleaned again
    parsed = _Tags()
    parsed.feed(str(summary_blocks(html)))
    assert set(parsed.tags) <= {"mark", "/mark", "p", "/p"}
    assert "".join(parsed.text) == text


@pytest.mark.parametrize(
    "html",
    ["<script>alert(1)</script>", '<mark onclick="x">a</mark>', "<mark>open", "a 'b' <i>c</i>"],
)
def test_anything_else_is_cleaned_by_nh3(html):
    shown = marked_text(html)
    assert "<script" not in shown and "onclick" not in shown and "<i>" not in shown
    assert shown.count("<mark>") == shown.count("</mark>")


def test_a_corrected_posting_s_card_and_json_change_once_the_index_caught_up(client, board, ids):
    # Result cards and hits' JSON are remembered per index version (jobs.HitRenderer,
    # api.HitJson): an editor's correction reaches the index through the change log, and the
    # next listing and API answer show it.
    director = ids["director"]
    before = client.get("/jobs?q=director").get_data(as_text=True)
    assert "Director of Research Computing" in before
    api = {r["id"]: r for r in client.get("/api/v1/jobs?q=director").json["results"]}
    assert api[director]["title"] == "Director of Research Computing"
    assert client.get("/jobs").get_data(as_text=True).count(f'id="hit-{director}"') == 1
    with board.session() as session:
        row = queries.get_posting(session, director)
        ingest.correct(session, row, {"title": "Chief Research Computing Officer"})
    indexing.catch_up(board)
    for path in ("/jobs?q=director", "/jobs", "/jobs?country=CA&page=1"):
        page = client.get(path).get_data(as_text=True)
        card = page[page.index(f'id="hit-{director}"') :].split("</article>")[0]
        assert ">Director of Research Computing</a></h3>" not in card, path
        assert ">Chief Research Computing Officer</a></h3>" in card, path
        assert f'href="/jobs/{director}/chief-research-computing-officer"' in card, path
    for path in ("/api/v1/jobs?q=director", "/api/v1/jobs?q=research+computing"):
        api = {r["id"]: r for r in client.get(path).json["results"]}
        assert api[director]["title"] == "Chief Research Computing Officer", path


@pytest.mark.parametrize(
    "path", ["/api/v1/jobs?q=director", "/jobs/feed.atom?q=hpc", "/api/v1/jobs/{director}"]
)
def test_conditional_headers_are_werkzeug_s_own(client, app, ids, path):
    # caching.conditional writes ETag, Last-Modified, Cache-Control, Date and Content-Length
    # itself when the request asks nothing conditional; werkzeug's path gives the same headers.
    from board.web import caching

    path = path.format(**ids)
    plain = client.get(path)
    assert plain.status_code == 200
    fast = {k: v for k, v in plain.headers.items() if k != "Date"}
    assert plain.headers["ETag"] and plain.headers["Cache-Control"] and "Date" in plain.headers
    original = caching.CONDITIONAL_ENVIRON
    caching.CONDITIONAL_ENVIRON = ("REQUEST_METHOD",)  # every request "conditional"
    try:
        slow = client.get(path)
    finally:
        caching.CONDITIONAL_ENVIRON = original
    assert {k: v for k, v in slow.headers.items() if k != "Date"} == fast
    assert slow.data == plain.data
    again = client.get(path, headers={"If-None-Match": plain.headers["ETag"]})
    assert again.status_code == 304 and again.headers["ETag"] == plain.headers["ETag"]


def test_a_request_reads_the_index_version_once_and_again_after_its_own_write(app, board, ids):
    # versioned.index_token: one token a request (two stats instead of eight), read again when
    # this process wrote the index during the request, and read afresh by the next request.
    from board.web.versioned import index_token

    director = ids["director"]
    reads = []
    real = board.index.layout.token
    board.index.layout.token = lambda: reads.append(1) or real()  # type: ignore[method-assign]
    other = Board(board.settings)  # another worker of the node: its own SearchIndex
    with app.test_request_context("/jobs"):
        first = index_token(board)
        assert index_token(board) == first and len(reads) == 1
        with board.session() as session:
            ingest.correct(session, queries.get_posting(session, director), {"title": "Chief"})
        indexing.catch_up(other)  # another process's write: this request keeps its version
        assert index_token(board) == first
        with board.session() as session:
            ingest.correct(session, queries.get_posting(session, director), {"title": "Head"})
        indexing.catch_up(board)  # this process's own write: seen at once
        second = index_token(board)
        assert second != first and second == board.index.version_token()
        hits = board.index.search(SearchRequest(q="head"), second).hits
        assert director in {hit.id for hit in hits}
    with board.session() as session:
        ingest.correct(session, queries.get_posting(session, director), {"title": "Officer"})
    indexing.catch_up(other)
    with app.test_request_context("/jobs"):  # the next request reads the files again
        assert index_token(board) == other.index.version_token() != second
    other.engine.dispose()


def test_a_posting_another_process_indexed_shows_on_the_next_request(client, board, ids):
    director = ids["director"]
    api = {r["id"]: r for r in client.get("/api/v1/jobs?q=director").json["results"]}
    assert api[director]["title"] == "Director of Research Computing"
    assert ">Director of Research Computing</a></h3>" in client.get("/jobs?q=director").text
    other = Board(board.settings)  # the node's follower, in another worker
    with board.session() as session:
        row = queries.get_posting(session, director)
        ingest.correct(session, row, {"title": "Chief Research Computing Officer"})
    indexing.catch_up(other)
    api = {r["id"]: r for r in client.get("/api/v1/jobs?q=officer").json["results"]}
    assert api[director]["title"] == "Chief Research Computing Officer"
    api = {r["id"]: r for r in client.get("/api/v1/jobs").json["results"]}
    assert api[director]["title"] == "Chief Research Computing Officer"
    page = client.get("/jobs").text
    card = page[page.index(f'id="hit-{director}"') :].split("</article>")[0]
    assert ">Chief Research Computing Officer</a></h3>" in card
    other.engine.dispose()


def test_facet_labels_follow_the_index_version(client, board, ids):
    # listing_page.shown_labels keeps each facet value's escaped label per index version: an
    # institution's new name shows once a write reached the index.
    from sqlalchemy import update

    from board.models import Institution

    page = client.get("/jobs?q=research").text
    assert 'McMaster University <span class="count">' in page
    with board.session() as session:
        session.execute(
            update(Institution)
            .where(Institution.slug == "mcmaster-university")
            .values(name="McMaster & Co <University>")
        )
        ingest.correct(session, queries.get_posting(session, ids["director"]), {"title": "Chief"})
    indexing.catch_up(board)
    page = client.get("/jobs?q=research").text
    assert 'McMaster &amp; Co &lt;University&gt; <span class="count">' in page


def test_hit_urls_follow_the_host_and_root_without_a_base_url(app, ids):
    # api._permanent_base keeps the URLs' prefix per root and host (or per BASE_URL).
    app.config["BASE_URL"] = None
    client = app.test_client()
    for host, root in (("a.example", ""), ("b.example:8080", ""), ("a.example", "/board")):
        body = client.get("/api/v1/jobs?q=director", base_url=f"http://{host}{root}").json
        assert body["results"]
        for hit in body["results"]:
            assert hit["url"] == f"http://{host}{root}/jobs/{hit['id']}"
    app.config["BASE_URL"] = "https://jobs.example.org"
    for hit in client.get("/api/v1/jobs?q=director", base_url="http://c.example").json["results"]:
        assert hit["url"] == f"https://jobs.example.org/jobs/{hit['id']}"
