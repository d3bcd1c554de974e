"""The export reproduces the recorded newsletter section line for line, with links."""

from __future__ import annotations

import html as htmllib
import re

from markdown_it import MarkdownIt

from board.newsletter import services
from board.newsletter.export import export
from tests.accounts.support import XSS, add_posting, assert_escaped
from tests.newsletter.fixture_issue import build_fixture_issue, fixture_lines

BASE = "http://jobs.example.test"


def exported(board, fmt: str) -> str:
    with board.session() as session:
        return export(services.get_issue(session, 42), BASE, fmt)


def markdown_lines(text: str) -> list[str]:
    """The lines a reader sees: headings, emphasis, links and escapes removed."""
    lines = []
    for line in text.splitlines():
        if not line.strip():
            continue
        line = re.sub(r"^## ", "", line)
        line = re.sub(r"^\*\*(.*)\*\*$", r"\1", line)
        line = re.sub(r"\[((?:\\.|[^\]\\])*)\]\([^)]*\)", r"\1", line)
        lines.append(re.sub(r"\\(.)", r"\1", line))
    return lines


def test_markdown_export_reproduces_the_fixture_line_for_line(board):
    ids = build_fixture_issue(board)
    text = exported(board, "markdown")
    assert markdown_lines(text) == fixture_lines()
    lines = [line for line in text.splitlines() if line]
    assert lines[0] == "## Jobs Leading Research Computing Teams"
    assert lines[1] == (
        f"Highlights below; full listing available on the [job board]({BASE}/jobs)."
    )
    links = re.findall(r"^\*\*\[.*?\]\((\S+?)\)", text, re.M)
    assert links == [f"{BASE}/jobs/{public_id}" for public_id in ids]
    assert lines[2].startswith(
        "**[Director, Research and High Performance Computing Support (RHPCS)]("
    )


def test_markdown_export_renders_to_the_fixture_lines(board):
    build_fixture_issue(board)
    rendered = MarkdownIt("commonmark").render(exported(board, "markdown"))
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", rendered))
    assert [line for line in text.splitlines() if line.strip()] == fixture_lines()


def test_html_export_has_the_same_lines_and_links(board):
    ids = build_fixture_issue(board)
    text = exported(board, "html")
    visible = htmllib.unescape(re.sub(r"<[^>]+>", "", text))
    assert [line for line in visible.splitlines() if line.strip()] == fixture_lines()
    assert f'<a href="{BASE}/jobs">job board</a>' in text
    assert re.findall(r'<strong><a href="([^"]+)">', text) == [f"{BASE}/jobs/{i}" for i in ids]


def test_text_export_is_the_fixture_plus_link_lines(board):
    ids = build_fixture_issue(board)
    lines = exported(board, "text").splitlines()
    assert [line for line in lines if not line.startswith("<http")] == fixture_lines()
    assert lines[2] == f"<{BASE}/jobs>"
    assert [line for line in lines[3:] if line.startswith("<http")] == [
        f"<{BASE}/jobs/{i}>" for i in ids
    ]


def test_exports_escape_markup_in_titles_and_blurbs(board):
    public_id = add_posting(
        board,
        "x",
        title=f"Director {XSS}",
        summary=f"Lead *us* {XSS}",
        institution=f"R&D [Lab] {XSS}",
    )
    from board import queries
    from board.clock import utcnow

    with board.session() as session:
        issue = services.create_issue(session, 42, utcnow().date(), "test")
        services.pick(session, issue, queries.get_posting(session, public_id), "test")
    markdown = exported(board, "markdown")
    rendered = MarkdownIt("commonmark").render(markdown)
    assert_escaped(rendered)
    assert "&lt;script&gt;" in rendered and "<em>" not in rendered
    assert_escaped(exported(board, "html"))
    assert "&lt;script&gt;alert" in exported(board, "html")


def test_unknown_format_is_an_error(board):
    build_fixture_issue(board)
    import pytest

    with pytest.raises(ValueError, match="unknown format"):
        exported(board, "pdf")
