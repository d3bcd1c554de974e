"""The issue builder (editor) and the public archive at /newsletter/<N>."""

from __future__ import annotations

import re
from datetime import date, datetime

from board import postings, queries
from board.newsletter import services
from tests.accounts.support import XSS, add_posting, assert_escaped, csrf_token


def post(client, url: str, page: str, **data: str):
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def new_issue(client, number: str = "12", issued_on: str = "2026-03-10"):
    return post(client, "/editor/issues/", "/editor/issues/", number=number, issued_on=issued_on)


def pick(client, public_id: str, number: int = 12):
    return post(
        client, f"/editor/issues/{number}/pick", f"/editor/issues/{number}", public_id=public_id
    )


def publish(client, number: int = 12, force: bool = False):
    data = {"force": "1"} if force else {}
    page = f"/editor/issues/{number}"
    return post(client, f"{page}/publish", page, **data)


def highlight_ids(board, number: int = 12) -> list[int]:
    with board.session() as session:
        return [h.id for h in services.get_issue(session, number).highlights]


def test_create_an_issue_and_refuse_a_duplicate_number(editor_client, board):
    form = editor_client.get("/editor/issues/").get_data(as_text=True)
    assert 'value="1"' in form and 'value="2026-03-10"' in form  # next number, today
    response = new_issue(editor_client)
    assert response.status_code == 302 and response.headers["Location"] == "/editor/issues/12"
    again = new_issue(editor_client)
    assert again.status_code == 400 and "Issue 12 already exists." in again.get_data(as_text=True)
    bad = new_issue(editor_client, number="-3", issued_on="someday")
    assert bad.status_code == 400


def test_pick_prefills_the_blurb_from_the_summary(editor_client, board):
    public_id = add_posting(board, "a", summary="Lead a team of twelve.")
    new_issue(editor_client)
    builder = editor_client.get("/editor/issues/12").get_data(as_text=True)
    assert f'name="public_id" value="{public_id}"' in builder
    assert pick(editor_client, public_id).status_code == 302
    page = editor_client.get("/editor/issues/12").get_data(as_text=True)
    assert "Director of Research Computing</a> - McMaster University, Hamilton ON CA" in page
    assert ">Lead a team of twelve.</textarea>" in page
    assert 'class="badge">picked' in page
    follow = pick(editor_client, public_id)
    assert "already in issue 12" in editor_client.get(follow.headers["Location"]).get_data(
        as_text=True
    )


def test_edit_reorder_and_remove_highlights(editor_client, board):
    first = add_posting(board, "a", title="Director of Research Computing")
    second = add_posting(board, "b", title="Manager, HPC Operations")
    third = add_posting(board, "c", title="Head of Research Software Engineering")
    new_issue(editor_client)
    for public_id in (first, second, third):
        pick(editor_client, public_id)
    a, b, c = highlight_ids(board)
    page = "/editor/issues/12"
    post(editor_client, f"{page}/highlights/{c}/move", page, direction="up")
    assert highlight_ids(board) == [a, c, b]
    post(editor_client, f"{page}/highlights/{a}/move", page, direction="up")  # already first
    post(editor_client, f"{page}/highlights/{a}/move", page, direction="down")
    assert highlight_ids(board) == [c, a, b]
    post(editor_client, f"{page}/highlights/{a}/remove", page)
    assert highlight_ids(board) == [c, b]
    post(editor_client, f"{page}/highlights/{b}/blurb", page, blurb="  A new\n\nblurb.  ")
    with board.session() as session:
        issue = services.get_issue(session, 12)
        assert [h.position for h in issue.highlights] == [0, 1]
        assert issue.highlights[1].blurb == "A new blurb."
    too_long = post(editor_client, f"{page}/highlights/{b}/blurb", page, blurb="x" * 3001)
    assert "3000" in editor_client.get(too_long.headers["Location"]).get_data(as_text=True)
    missing = post(editor_client, f"{page}/highlights/999/remove", page)
    assert "No such highlight" in editor_client.get(missing.headers["Location"]).get_data(
        as_text=True
    )


def test_postings_highlighted_in_a_recent_issue_are_marked(editor_client, board):
    public_id = add_posting(board, "a", now=datetime(2026, 3, 9))
    with board.session() as session:
        issue = services.create_issue(session, 11, date(2026, 3, 3), "test")
        services.pick(session, issue, queries.get_posting(session, public_id), "test")
        services.publish(session, issue, "test")
        services.create_issue(session, 12, date(2026, 3, 10), "test")
    page = editor_client.get("/editor/issues/12").get_data(as_text=True)
    assert "highlighted in #11" in page


def test_past_issues_stay_browsable_after_postings_close_or_change(editor_client, client, board):
    public_id = add_posting(board, "a", summary="Lead the team.")
    new_issue(editor_client)
    pick(editor_client, public_id)
    assert publish(editor_client).status_code == 302
    with board.session() as session:
        posting = queries.get_posting(session, public_id)
        postings.close_posting(session, posting)
        posting.title = "Renamed later"
    page = client.get("/newsletter/12")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Director of Research Computing</a> - McMaster University, Hamilton ON CA" in html
    assert f'href="/jobs/{public_id}"' in html and "(closed)" in html
    assert "Lead the team." in html
    assert "Issue 12" in client.get("/newsletter").get_data(as_text=True)


def test_future_and_unknown_issues_are_not_public(editor_client, client):
    new_issue(editor_client, number="13", issued_on="2026-03-17")
    assert client.get("/newsletter/13").status_code == 404
    assert client.get("/newsletter/99").status_code == 404
    assert "Issue 13" not in client.get("/newsletter").get_data(as_text=True)
    assert editor_client.get("/editor/issues/13").status_code == 200


def test_markup_is_escaped_in_the_builder_archive_and_exports(editor_client, client, board):
    public_id = add_posting(board, "a", title=f"Director {XSS}", summary=XSS, location_display=XSS)
    new_issue(editor_client)
    pick(editor_client, public_id)
    (hid,) = highlight_ids(board)
    post(
        editor_client,
        f"/editor/issues/12/highlights/{hid}/blurb",
        "/editor/issues/12",
        blurb=f"Blurb {XSS}",
    )
    publish(editor_client)
    for html in (
        editor_client.get("/editor/issues/12").get_data(as_text=True),
        client.get("/newsletter/12").get_data(as_text=True),
    ):
        assert_escaped(html)
        assert "&lt;script&gt;" in html
    for fmt in ("markdown", "html", "text"):
        response = editor_client.get(f"/editor/issues/12/export/{fmt}")
        assert response.mimetype == "text/plain"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert_escaped(editor_client.get("/editor/issues/12/export/html").get_data(as_text=True))
    assert editor_client.get("/editor/issues/12/export/pdf").status_code == 404


def test_exports_link_to_the_permanent_pages(editor_client, board):
    public_id = add_posting(board, "a")
    new_issue(editor_client)
    pick(editor_client, public_id)
    markdown = editor_client.get("/editor/issues/12/export/markdown").get_data(as_text=True)
    assert f"(http://jobs.example.test/jobs/{public_id})" in markdown
    assert "[job board](http://jobs.example.test/jobs)" in markdown
    builder = editor_client.get("/editor/issues/12").get_data(as_text=True)
    assert re.search(r'<textarea id="markdown-export"[^>]*>## Jobs Leading', builder)


def test_builder_actions_return_to_the_highlight_or_candidate_worked_on(editor_client, board):
    """With a dozen highlights on the page, each action brings the editor back where they were."""
    first, second = add_posting(board, "a"), add_posting(board, "b", title="Manager, HPC")
    new_issue(editor_client)
    assert pick(editor_client, first).headers["Location"] == "/editor/issues/12#candidates"
    pick(editor_client, second)
    one, two = highlight_ids(board)
    page = "/editor/issues/12"
    moved = post(editor_client, f"{page}/highlights/{two}/move", page, direction="up")
    assert moved.headers["Location"] == f"{page}#highlight-{two}"
    saved = post(editor_client, f"{page}/highlights/{one}/blurb", page, blurb="Lead the team.")
    assert saved.headers["Location"] == f"{page}#highlight-{one}"
    assert "Blurb saved." in editor_client.get(page).get_data(as_text=True)
    removed = post(editor_client, f"{page}/highlights/{one}/remove", page)
    assert removed.headers["Location"] == f"{page}#highlights"
