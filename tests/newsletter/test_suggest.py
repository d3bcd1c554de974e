"""The drafted highlight list: top postings since the last published issue, spread over
institutions and regions, each with a blurb of the sentences that describe the role."""

from __future__ import annotations

from datetime import date

from click.testing import CliRunner

from board import queries
from board.cli import main
from board.clock import today
from board.newsletter import services
from board.newsletter.suggest import draft_highlights, drafted_blurb, suggest
from tests.accounts.support import add_posting, csrf_token

DESCRIPTION = """About us
Example University is a world-leading research university founded in 1850.

The role
You will lead a team of twelve research software engineers and HPC specialists. You will set
the direction of the research computing service with the faculties.
- Budget
- Hiring

Benefits
We offer a generous pension and 30 days of annual leave.

Example University is an equal opportunity employer."""


def place(city: str, region: str | None, country: str) -> dict:
    display = " ".join(x for x in (city, region, country) if x)
    return {
        "locations": [{"city": city, "region": region, "country": country}],
        "location_display": display,
    }


def test_the_blurb_is_the_role_not_the_boilerplate(board):
    public_id = add_posting(board, "a", description_text=DESCRIPTION)
    with board.session() as session:
        blurb = drafted_blurb(queries.get_posting(session, public_id))
    assert blurb.startswith("You will lead a team of twelve research software engineers")
    assert "set the direction of the research computing service" in blurb
    for boilerplate in ("world-leading", "pension", "equal opportunity", "About us", "Budget"):
        assert boilerplate not in blurb


def test_the_list_spreads_over_institutions_and_regions(board, frozen):
    for n in range(5):  # five strong postings from one institution, in one region
        add_posting(
            board,
            f"m{n}",
            title=f"Director {n}",
            score=0.99 - n * 0.001,
            institution="McMaster University",
            **place("Hamilton", "ON", "CA"),
        )
    for n, (city, region, country) in enumerate(
        [("Oxford", None, "GB"), ("Golden", "CO", "US"), ("Lyon", None, "FR")]
    ):
        add_posting(
            board,
            f"o{n}",
            title=f"Head of RSE {n}",
            score=0.8,
            institution=f"Other {n}",
            **place(city, region, country),
        )
    add_posting(board, "off", title="Payroll Clerk", score=0.1, relevant=False)
    with board.session() as session:
        issue = services.create_issue(session, 12, date(2026, 3, 13), "test")
        found = suggest(session, today(), issue, count=6)
    institutions = [s.posting.institution_name for s in found]
    assert len(found) == 5  # two from McMaster at most, then the three others
    assert institutions.count("McMaster University") == 2
    assert institutions[0] == "McMaster University"  # the best first
    assert {"Other 0", "Other 1", "Other 2"} <= set(institutions)
    assert "Payroll Clerk" not in [s.posting.title for s in found]


def test_already_highlighted_or_decided_against_is_left_out(editor_client, board):
    shown = add_posting(board, "a", title="Director of Research Computing", score=0.9)
    add_posting(board, "b", title="Manager, HPC", score=0.95, institution="B")
    old = add_posting(board, "c", title="Head of RSE", score=0.99, institution="C")
    with board.session() as session:
        last = services.create_issue(session, 11, date(2026, 3, 3), "test")
        services.pick(session, last, queries.get_posting(session, old), "test")
        services.publish(session, last, "test")
        services.create_issue(session, 12, date(2026, 3, 10), "test")
    page = "/editor/queue/"
    token = csrf_token(editor_client.get(page).get_data(as_text=True))
    editor_client.post(
        f"{page}decide",
        data={
            "csrf_token": token,
            "public_id": queries_id(board, "Manager, HPC"),
            "decision": "hide",
        },
    )
    with board.session() as session:
        found = suggest(session, today(), services.get_issue(session, 12))
    assert [s.posting.public_id for s in found] == [shown]


def queries_id(board, title: str) -> str:
    from sqlalchemy import select

    from board.models import Posting

    with board.session() as session:
        return session.scalar(select(Posting.public_id).where(Posting.title == title))


def test_the_builder_button_drafts_the_list_for_editing(editor_client, board):
    first = add_posting(board, "a", title="Director of Research Computing", score=0.9)
    second = add_posting(board, "b", title="Manager, HPC", score=0.8, institution="B",
                         description_text=DESCRIPTION)  # fmt: skip
    with board.session() as session:
        services.create_issue(session, 12, date(2026, 3, 10), "test")
    page = "/editor/issues/12"
    token = csrf_token(editor_client.get(page).get_data(as_text=True))
    response = editor_client.post(f"{page}/suggest", data={"csrf_token": token})
    assert response.headers["Location"] == f"{page}#highlights"
    html = editor_client.get(page).get_data(as_text=True)
    assert "Drafted 2 highlight(s): edit, reorder and cut below." in html
    with board.session() as session:
        issue = services.get_issue(session, 12)
        assert [h.public_id for h in issue.highlights] == [first, second]
        assert issue.highlights[1].blurb.startswith("You will lead a team of twelve")
    again = editor_client.post(f"{page}/suggest", data={"csrf_token": token})
    assert "No more postings to suggest" in editor_client.get(again.headers["Location"]).get_data(
        as_text=True
    )


def test_cli_suggest(board, frozen):
    add_posting(board, "a", title="Director of Research Computing", score=0.9)
    runner = CliRunner()
    runner.invoke(main, ["issue", "new", "5", "--date", "2026-03-13"])
    dry = runner.invoke(main, ["issue", "suggest", "5", "--dry-run"])
    assert dry.exit_code == 0 and "would add 1 drafted highlight(s)" in dry.output
    assert "Director of Research Computing - McMaster University" in dry.output
    with board.session() as session:
        assert services.get_issue(session, 5).highlights == []
    added = runner.invoke(main, ["issue", "suggest", "5", "--count", "12"])
    assert added.exit_code == 0 and "added 1 drafted highlight(s)" in added.output
    assert runner.invoke(main, ["issue", "suggest", "9"]).exit_code == 2


def test_a_published_issue_is_not_drafted_over(board):
    with board.session() as session:
        issue = services.create_issue(session, 5, date(2026, 3, 13), "test")
        services.publish(session, issue, "test", force=True)
        try:
            draft_highlights(session, today(), issue, "test")
        except services.IssueError as exc:
            assert "is published" in str(exc)
        else:
            raise AssertionError("a published issue was drafted over")
