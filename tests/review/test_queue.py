"""The review queue: ranked new postings, filters, one-click and bulk decisions, the audit log,
the search index following, and the decisions as the relevance model's training data."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select

from board import indexing, queries
from board.audit import AuditEntry
from board.decisions import ReviewDecision
from board.newsletter import services as issues
from board.review import training_data
from tests.accounts.support import XSS, add_posting, assert_escaped, csrf_token

QUEUE = "/editor/queue/"


def rows(html: str) -> list[str]:
    """The public ids of the queue's rows, top to bottom."""
    return re.findall(r'<tr id="row-(\w+)"', html)


def decide(client, public_id: str, decision: str, **extra: str):
    token = csrf_token(client.get(QUEUE).get_data(as_text=True))
    data = {"csrf_token": token, "public_id": public_id, "decision": decision, **extra}
    return client.post(f"{QUEUE}decide", data=data)


def search_ids(client, **params: str) -> list[str]:
    body = client.get("/api/v1/jobs", query_string=params).get_json()
    return [result["id"] for result in body["results"]]


def three(board) -> tuple[str, str, str]:
    top = add_posting(board, "a", title="Director of Research Computing", score=0.97)
    mid = add_posting(
        board,
        "b",
        title="Program Manager, Research Data",
        role="program_manager",
        score=0.71,
        reasons=[
            "relevant (score 0.71)",
            "role program_manager: title says 'program manager'",
            "research computing: title area data_management",
        ],
        source="other",
        locations=[{"city": "Oxford", "region": None, "country": "GB"}],
        location_display="Oxford UK",
    )
    low = add_posting(board, "c", title="Payroll Clerk", score=0.05, relevant=False)
    return top, mid, low


def test_the_queue_ranks_new_postings_by_score_with_plain_words(editor_client, board):
    top, mid, low = three(board)
    html = editor_client.get(QUEUE).get_data(as_text=True)
    assert rows(html) == [top, mid, low]
    row = html[html.index(f'id="row-{mid}"') :]
    row = row[: row.index("</tr>")]
    assert f'<a href="/jobs/{mid}">Program Manager, Research Data</a>' in row
    assert "<td>Program manager</td>" in row and "program_manager" not in row
    assert "<td>Oxford, United Kingdom</td>" in row and ">0.71<" in row  # spelled out
    assert "Data management in the title" in row and "data_management" not in row
    assert "relevant (score" not in html and "relevant: True" not in html
    assert "3</strong> of 3 postings new since 2026-02-24" in html
    assert '<caption id="review-caption">' in html and 'scope="col"' in html


def test_only_postings_new_since_the_last_published_issue(editor_client, board):
    add_posting(board, "old", title="Old Director", now=datetime(2026, 3, 2))
    new = add_posting(board, "new", title="New Director", now=datetime(2026, 3, 9))
    with board.session() as session:
        issues.create_issue(session, 4, date(2026, 3, 8), "test")  # a draft moves nothing
    assert len(rows(editor_client.get(QUEUE).get_data(as_text=True))) == 2
    with board.session() as session:
        issues.publish(session, issues.create_issue(session, 3, date(2026, 3, 5), "t"), "t", True)
    assert rows(editor_client.get(QUEUE).get_data(as_text=True)) == [new]


def test_filters_by_score_source_and_country(editor_client, board):
    top, mid, low = three(board)

    def shown(**args: str) -> list[str]:
        return rows(editor_client.get(QUEUE, query_string=args).get_data(as_text=True))

    assert shown(min_score="0.5") == [top, mid]
    assert shown(min_score="0.5", max_score="0.9") == [mid]
    assert shown(source="other") == [mid]
    assert shown(country="gb") == [mid]
    assert shown(country="CA") == [top, low]
    # nonsense is dropped, never an error
    response = editor_client.get(QUEUE, query_string={"min_score": "lots", "show": "<x>"})
    assert response.status_code == 200 and rows(response.get_data(as_text=True)) == [top, mid, low]


def test_a_decision_is_recorded_audited_and_leaves_the_waiting_view(editor_client, board):
    top, mid, low = three(board)
    response = decide(editor_client, mid, "not_relevant", after=low, next=f"{QUEUE}?min_score=0")
    assert response.status_code == 302
    assert response.headers["Location"] == f"{QUEUE}?min_score=0#row-{low}"
    back = editor_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Marked not relevant: Program Manager, Research Data." in back
    with board.session() as session:
        (decision,) = session.scalars(select(ReviewDecision)).all()
        assert (decision.decision, decision.actor) == ("not_relevant", "editor@example.org")
        assert decision.editor_id is not None and decision.posting.public_id == mid
        assert queries.get_posting(session, mid).relevant is False
        actions = [e.action for e in session.scalars(select(AuditEntry))]
        assert "review: not relevant" in actions
    assert rows(editor_client.get(QUEUE).get_data(as_text=True)) == [top, low]
    decided = editor_client.get(QUEUE, query_string={"show": "not_relevant"})
    html = decided.get_data(as_text=True)
    assert rows(html) == [mid] and '<span class="status" aria-live="polite">Not relevant' in html
    # the redirect never leaves the queue
    away = decide(editor_client, top, "keep", next="https://evil.example/")
    assert away.headers["Location"].startswith(QUEUE)


def test_hide_and_not_relevant_reach_the_search_index_after_the_response(
    editor_client, client, board
):
    top, mid, _low = three(board)
    indexing.rebuild(board)
    assert set(search_ids(client)) == {top, mid}
    response = decide(editor_client, top, "hide")
    response.close()  # the catch-up runs once the response is sent
    assert search_ids(client) == [mid]
    decide(editor_client, mid, "not_relevant").close()
    assert search_ids(client) == []
    assert search_ids(client, relevant="false") != []
    assert client.get(f"/jobs/{top}").status_code == 410  # hidden: gone for the public


def test_keep_marks_a_missed_posting_relevant(editor_client, board):
    _top, _mid, low = three(board)
    decide(editor_client, low, "keep")
    with board.session() as session:
        posting = queries.get_posting(session, low)
        assert posting.relevant is True and posting.overrides["relevant"] is True


def test_pick_goes_to_the_current_draft_issue(editor_client, board):
    top, mid, _low = three(board)
    refused = decide(editor_client, top, "pick")
    page = editor_client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "no draft issue to pick into" in page
    assert 'action="/editor/issues/"' in page  # the form to create one is right there
    with board.session() as session:
        issues.create_issue(session, 9, date(2026, 3, 13), "test")
    decide(editor_client, top, "pick")
    decide(editor_client, top, "pick")  # twice: still one highlight
    with board.session() as session:
        issue = issues.get_issue(session, 9)
        assert [h.public_id for h in issue.highlights] == [top]
        picks = session.scalars(select(ReviewDecision)).all()
        assert [d.issue_number for d in picks] == [9, 9]
    assert "Picks go to draft" in editor_client.get(QUEUE).get_data(as_text=True)


def test_the_keyboard_script_posts_the_same_form_and_reads_json(editor_client, board):
    top, _mid, _low = three(board)
    token = csrf_token(editor_client.get(QUEUE).get_data(as_text=True))
    data = {"csrf_token": token, "public_id": top, "decision": "keep"}
    reply = editor_client.post(f"{QUEUE}decide", data=data, headers={"Accept": "application/json"})
    assert reply.status_code == 200 and reply.get_json()["label"] == "Kept"
    bad = editor_client.post(
        f"{QUEUE}decide",
        data=dict(data, decision="delete"),
        headers={"Accept": "application/json"},
    )
    assert bad.status_code == 400 and "Unknown decision" in bad.get_json()["message"]
    missing = editor_client.post(
        f"{QUEUE}decide", data=dict(data, public_id="nope"), headers={"Accept": "application/json"}
    )
    assert missing.status_code == 400


def test_bulk_decisions(editor_client, board):
    top, mid, low = three(board)
    token = csrf_token(editor_client.get(QUEUE).get_data(as_text=True))
    none = editor_client.post(f"{QUEUE}bulk", data={"csrf_token": token, "decision": "keep"})
    assert "Check the postings" in editor_client.get(none.headers["Location"]).get_data(
        as_text=True
    )
    done = editor_client.post(
        f"{QUEUE}bulk",
        data={"csrf_token": token, "decision": "not_relevant", "ids": [mid, low]},
    )
    assert "Not relevant: 2 posting(s)." in editor_client.get(done.headers["Location"]).get_data(
        as_text=True
    )
    assert rows(editor_client.get(QUEUE).get_data(as_text=True)) == [top]


def test_the_queue_is_for_editors_and_escapes_what_it_shows(client, editor_client, board):
    add_posting(board, "x", title=f"Director {XSS}", institution=f"Lab {XSS}")
    assert client.get(QUEUE).status_code in (302, 401)
    anonymous = client.post(f"{QUEUE}decide", data={"public_id": "x", "decision": "hide"})
    assert anonymous.status_code in (302, 400, 401)
    assert_escaped(editor_client.get(QUEUE).get_data(as_text=True))


def test_decisions_are_training_labels(editor_client, board):
    top, mid, low = three(board)
    hidden = add_posting(board, "d", title="Head of Research Software", score=0.9)
    with board.session() as session:
        issues.create_issue(session, 9, date(2026, 3, 13), "test")
    decide(editor_client, top, "pick")
    decide(editor_client, mid, "keep")
    decide(editor_client, mid, "not_relevant")  # the latest decision counts
    decide(editor_client, low, "keep")
    decide(editor_client, hidden, "hide")  # says nothing about relevance
    found = training_data.database_examples(board.settings.database_url)
    labels = {e.key: (e.relevant, e.kind, e.extra.get("decision")) for e in found}
    assert labels == {
        top: (True, "review", "pick"),
        mid: (False, "review", "not_relevant"),  # replaces the editor's override row
        low: (True, "review", "keep"),
    }
