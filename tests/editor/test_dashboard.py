"""The dashboard: ranked new postings with reasons, source health with SVG charts, audit log."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from board import postings, queries
from board.editor.health import source_health, week_starts, weekly_new_relevant
from board.models import CrawlRun
from board.newsletter import services as issues
from board.web.charts import bar_chart
from tests.accounts.support import add_posting

TODAY = date(2026, 3, 10)


def runs(board, source: str, items: list[int], outcome: str = "success") -> None:
    with board.session() as session:
        postings.ensure_source(session, source, source.title(), "workday", "https://x.test/")
        start = datetime(2026, 3, 10, 3) - timedelta(days=len(items))
        for n, count in enumerate(items):
            at = start + timedelta(days=n)
            session.add(
                CrawlRun(
                    source_id=source,
                    started_at=at,
                    finished_at=at,
                    items=count,
                    errors=0,
                    outcome=outcome,
                    complete=True,
                    stats={},
                )
            )


def test_new_postings_are_ranked_by_relevance_with_reasons(editor_client, board):
    add_posting(
        board,
        "low",
        title="Research Software Engineer",
        score=0.4,
        reasons=[
            "not relevant (score 0.40)",
            "research computing: title area software_development",
        ],
    )
    add_posting(
        board,
        "high",
        title="Director of Research Computing",
        score=0.95,
        reasons=[
            "relevant (score 0.95)",
            "role director: title says 'director'",
            "research computing: title says 'research computing'",
        ],
    )
    add_posting(
        board,
        "off",
        title="Payroll Clerk",
        score=0.1,
        relevant=False,
        reasons=["not a leadership role"],
    )
    html = editor_client.get("/editor/").get_data(as_text=True)
    ranked = re.search(r'<section id="ranked"[^>]*>(.*?)</section>', html, re.S).group(1)
    order = [
        ranked.index(t)
        for t in ("Director of Research Computing", "Research Software Engineer", "Payroll Clerk")
    ]
    assert order == sorted(order)
    # Reasons in plain words: no internal tokens, no score line (the score has its column)
    assert "<td>Director</td>" in ranked  # the role in its column, in words
    assert "Research computing in the title (“research computing”)" in ranked
    assert "Research software in the title" in ranked
    assert "software_development" not in ranked and "(score" not in ranked
    assert "3 waiting for review" in ranked


def test_only_postings_new_since_the_last_issue_are_ranked(editor_client, board):
    add_posting(board, "old", title="Old Director", now=datetime(2026, 2, 20))
    add_posting(board, "new", title="New Director", now=datetime(2026, 3, 9))
    with board.session() as session:
        draft = issues.create_issue(session, 2, date(2026, 3, 8), "test")
        issues.publish(
            session, issues.create_issue(session, 1, date(2026, 3, 1), "test"), "t", True
        )
    html = editor_client.get("/editor/").get_data(as_text=True)
    assert "New since 2026-03-01" in html  # the last published issue, not the draft
    assert "New Director" in html and "Old Director" not in html
    assert draft.number == 2 and 'draft <a href="/editor/issues/2">issue 2</a>' in html


def test_recently_highlighted_postings_are_marked(editor_client, board):
    public_id = add_posting(board, "a", now=datetime(2026, 3, 9))
    with board.session() as session:
        issue = issues.create_issue(session, 7, date(2026, 3, 9), "test")
        issues.pick(session, issue, queries.get_posting(session, public_id), "test")
    assert "highlighted in #7" not in editor_client.get("/editor/").get_data(as_text=True)
    with board.session() as session:
        issues.publish(session, issues.get_issue(session, 7), "test")
    html = editor_client.get("/editor/").get_data(as_text=True)
    assert "highlighted in #7" in html


def test_weekly_counts_cover_six_months(board):
    add_posting(board, "a", title="Director A", now=datetime(2026, 3, 9))
    add_posting(board, "b", title="Director B", now=datetime(2026, 3, 2))
    add_posting(board, "c", title="Director C", now=datetime(2026, 3, 3), relevant=False)
    add_posting(board, "d", title="Director D", now=datetime(2025, 6, 1))  # over six months
    with board.session() as session:
        weeks = weekly_new_relevant(session, TODAY)
    assert len(weeks) == 26
    assert weeks[-1] == (date(2026, 3, 9), 1) and weeks[-2] == (date(2026, 3, 2), 1)
    assert sum(count for _, count in weeks) == 2
    assert week_starts(TODAY)[0] == date(2025, 9, 15)


def test_a_source_that_stopped_yielding_is_warned_about(board):
    runs(board, "quiet", [12, 11, 12, 0, 0])
    runs(board, "steady", [5, 6, 5, 6])
    with board.session() as session:
        report = {h.source.id: h for h in source_health(session, TODAY)}
    assert "used to yield postings, none in the last 2 crawls" in report["quiet"].warnings
    assert report["steady"].warnings == []
    assert report["steady"].last_success is not None
    assert report["quiet"].last_run.items == 0


def test_failed_and_stale_sources_are_warned_about(board):
    runs(board, "broken", [4, 4], outcome="failed")
    add_posting(board, "a", source="dormant", now=datetime(2025, 12, 1))
    with board.session() as session:
        session.add(
            CrawlRun(
                source_id="dormant",
                started_at=datetime(2026, 1, 2),
                finished_at=datetime(2026, 1, 2),
                items=3,
                outcome="success",
                complete=True,
                stats={},
            )
        )
    with board.session() as session:
        report = {h.source.id: h for h in source_health(session, TODAY)}
    assert any(w.startswith("last crawl failed") for w in report["broken"].warnings)
    assert "no successful crawl yet" in report["broken"].warnings
    assert "no new relevant postings in 4 weeks" in report["dormant"].warnings
    assert "no successful crawl since 2026-01-02" in report["dormant"].warnings


def test_a_partial_crawl_names_the_pages_it_failed_on(board):
    """A page in a shape the platform module does not know: source health names the reason."""
    runs(board, "changed", [5], outcome="partial")
    with board.session() as session:
        run = session.scalar(select(CrawlRun).where(CrawlRun.source_id == "changed"))
        run.stats = {"rcjobs/failed/unknown_listing_shape": 1, "rcjobs/dropped/no_title": 2}
    with board.session() as session:
        report = {h.source.id: h for h in source_health(session, TODAY)}
    assert "last crawl partial: failed: unknown_listing_shape ×1" in report["changed"].warnings


def test_dashboard_shows_health_charts_and_audit(editor_client, board):
    runs(board, "quiet", [3, 3, 0, 0])
    add_posting(board, "a", source="quiet", now=datetime(2026, 3, 9))
    html = editor_client.get("/editor/").get_data(as_text=True)
    health = re.search(r'<section id="health"[^>]*>(.*?)</section>', html, re.S).group(1)
    assert health.count("<svg") == 2  # overall and one per source
    assert "used to yield postings" in health
    assert "<script" not in health  # charts are plain SVG, no chart code


def test_bar_chart_is_escaped_svg():
    points = [(date(2026, 1, 5) + timedelta(weeks=n), n) for n in range(26)]
    svg = str(bar_chart(points, 'Source <script>alert("x")</script>'))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert svg.count("<rect") == 26
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "max 25" in svg
    empty = str(bar_chart([(date(2026, 1, 5), 0)], "none"))
    assert 'height="0.0"' in empty
