"""Editor actions on postings: hide, not relevant, corrections kept across re-crawls, splits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from board import indexing, postings, queries
from board.audit import AuditEntry
from board.models import Posting, PostingSource
from tests.accounts.support import XSS, add_posting, assert_escaped, csrf_token, normalized
from tests.records import upsert


def act(editor_client, public_id: str, action: str, **data: str):
    page = editor_client.get(f"/editor/postings/{public_id}").get_data(as_text=True)
    return editor_client.post(
        f"/editor/postings/{public_id}/{action}", data={"csrf_token": csrf_token(page), **data}
    )


def correction(**changes: str) -> dict[str, str]:
    data = {
        "title": "Director of Research Computing",
        "institution": "McMaster University",
        "location_display": "Hamilton ON CA",
        "role": "director",
        "closes_on": "2026-12-31",
        "summary": "Director of Research Computing: lead the research computing team.",
    }
    data.update(changes)
    return data


def recrawl(board, title: str = "Director of Research Computing (updated)") -> None:
    with board.session() as session:
        upsert(
            session,
            normalized(title),
            {"title": title, "k": "a"},
            "src",
            "a",
            now=datetime(2026, 3, 10, 6),
        )


def test_hide_removes_the_public_page_and_is_logged(editor_client, client, board):
    public_id = add_posting(board, "a")
    assert client.get(f"/jobs/{public_id}").status_code == 200
    assert act(editor_client, public_id, "hide", hidden="1").status_code == 302
    assert client.get(f"/jobs/{public_id}").status_code == 410  # gone, and says so
    recrawl(board)
    with board.session() as session:
        assert queries.get_posting(session, public_id).hidden is True
        entry = session.scalar(select(AuditEntry))
        assert (entry.actor, entry.action, entry.target) == (
            "editor@example.org",
            "hide posting",
            f"posting {public_id}",
        )
    act(editor_client, public_id, "hide", hidden="0")
    assert client.get(f"/jobs/{public_id}").status_code == 200


def test_not_relevant_survives_a_recrawl(editor_client, board):
    public_id = add_posting(board, "a")
    act(editor_client, public_id, "relevance", relevant="0")
    recrawl(board)
    with board.session() as session:
        posting = queries.get_posting(session, public_id)
        assert posting.relevant is False and posting.overrides == {"relevant": False}
        assert posting.title == "Director of Research Computing (updated)"


def test_corrections_are_kept_across_recrawls(editor_client, board):
    public_id = add_posting(board, "a")
    response = act(
        editor_client,
        public_id,
        "correct",
        **correction(
            title="Director, Research Computing Services",
            location_display="Hamilton ON CA",
            role="manager",
            closes_on="2026-06-30",
        ),
    )
    assert response.status_code == 302
    recrawl(board)
    with board.session() as session:
        posting = queries.get_posting(session, public_id)
        assert posting.title == "Director, Research Computing Services"
        assert posting.role == "manager"
        assert posting.closes_on.isoformat() == "2026-06-30"
        assert set(posting.overrides) == {"title", "role", "closes_on"}
        entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "correct posting"))
        assert "title=" in entry.detail


def search_ids(client, **params: str) -> list[str]:
    body = client.get("/api/v1/jobs", query_string=params).get_json()
    return [result["id"] for result in body["results"]]


REMOTE_USA = {
    "locations": [{"city": None, "region": None, "country": "US"}],
    "remote": "remote",
    "location_display": "Remote USA",
}


def test_a_location_correction_moves_the_posting_between_country_filters(
    editor_client, client, board
):
    public_id = add_posting(board, "a", **REMOTE_USA)
    indexing.rebuild(board)
    assert search_ids(client, country="US") == [public_id]
    assert search_ids(client, country="CA") == []
    assert search_ids(client, remote="remote") == [public_id]
    response = act(
        editor_client, public_id, "correct", **correction(location_display="Hamilton ON CA")
    )
    assert response.status_code == 302
    assert search_ids(client, country="CA") == [public_id]
    assert search_ids(client, country="US") == []
    assert search_ids(client, remote="remote") == []
    recrawl(board)  # still "Remote USA" at the source: the correction stands
    indexing.catch_up(board)
    assert search_ids(client, country="CA") == [public_id]
    with board.session() as session:
        posting = queries.get_posting(session, public_id)
        assert posting.title == "Director of Research Computing (updated)"
        assert posting.locations == [{"city": "Hamilton", "region": "ON", "country": "CA"}]
        assert (posting.remote, posting.location_display) == (None, "Hamilton ON CA")
        assert set(posting.overrides) == {"location_display", "locations", "remote"}


def test_a_location_correction_is_read_like_the_normalizer_reads_it(editor_client, board):
    public_id = add_posting(board, "a", **REMOTE_USA)
    act(editor_client, public_id, "correct", **correction(location_display="Golden, Colorado"))
    with board.session() as session:
        posting = queries.get_posting(session, public_id)
        assert posting.locations == [{"city": "Golden", "region": "CO", "country": "US"}]
        assert posting.location_display == "Golden CO USA"
    response = act(
        editor_client, public_id, "correct", **correction(location_display="Golden CO USA")
    )
    follow = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Nothing changed." in follow


def test_an_unreadable_location_is_kept_as_typed_with_a_warning(editor_client, board):
    public_id = add_posting(board, "a", **REMOTE_USA)
    response = act(
        editor_client, public_id, "correct", **correction(location_display="Building 7, Zorblax")
    )
    follow = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "names no place the filters know" in follow
    with board.session() as session:
        posting = queries.get_posting(session, public_id)
        assert (posting.location_display, posting.locations) == ("Building 7, Zorblax", [])


def test_correction_errors_change_nothing(editor_client, board):
    public_id = add_posting(board, "a")
    response = act(editor_client, public_id, "correct", **correction(title="", role="emperor"))
    assert response.status_code == 400
    with board.session() as session:
        assert queries.get_posting(session, public_id).overrides == {}


def test_split_moves_a_wrongly_merged_link_to_a_new_posting(editor_client, board):
    public_id = add_posting(board, "a")
    with board.session() as session:
        postings.ensure_source(session, "other", "Elsewhere", "jsonld", "https://y.test/")
        posting = queries.get_posting(session, public_id)
        link = PostingSource(
            posting=posting,
            source_id="other",
            source_key="b",
            raw={
                "title": "Manager, HPC Operations",
                "institution": "Colorado School of Mines",
                "location": "Golden, CO",
            },
            content_hash="x",
            merge_reason="same title",
            first_seen=posting.first_seen,
            last_seen=posting.last_seen,
        )
        session.add(link)
        session.flush()
        link_id = link.id
    response = act(editor_client, public_id, f"split/{link_id}")
    assert response.status_code == 302
    with board.session() as session:
        moved = session.scalar(select(PostingSource).where(PostingSource.id == link_id)).posting
        assert moved.public_id != public_id
        assert moved.title == "Manager, HPC Operations"
        assert moved.institution_name == "Colorado School of Mines"
        assert [x.source_key for x in queries.get_posting(session, public_id).links] == ["a"]
        moved_id = moved.public_id
    with board.session() as session:  # the next crawl updates the split posting, not the old one
        upsert(
            session,
            normalized("Manager, HPC Operations (2)"),
            {"title": "Manager, HPC Operations (2)"},
            "other",
            "b",
        )
    with board.session() as session:
        assert queries.get_posting(session, moved_id).title == "Manager, HPC Operations (2)"
        assert queries.get_posting(session, public_id).title == "Director of Research Computing"


def test_a_single_source_posting_cannot_be_split(editor_client, board):
    public_id = add_posting(board, "a")
    with board.session() as session:
        link_id = queries.get_posting(session, public_id).links[0].id
    response = act(editor_client, public_id, f"split/{link_id}")
    follow = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "cannot be split" in follow
    with board.session() as session:
        assert len(session.scalars(select(Posting)).all()) == 1


def test_editor_pages_escape_crawled_markup(editor_client, board):
    public_id = add_posting(
        board,
        "a",
        title=f"Director {XSS}",
        reasons=[XSS],
        institution=f"Uni {XSS}",
        location_display=XSS,
    )
    for url in ("/editor/", f"/editor/postings/{public_id}"):
        html = editor_client.get(url).get_data(as_text=True)
        assert_escaped(html)
        assert "&lt;script&gt;" in html


def test_unknown_posting_is_404(editor_client):
    assert editor_client.get("/editor/postings/nope").status_code == 404
