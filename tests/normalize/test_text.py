"""Descriptions: sanitized HTML, plain text and the listing summary; one-line fields."""

from __future__ import annotations

import html
import json

from board.normalize import normalize_record
from board.normalize.text import clean_line, description_fields, summarize
from tests.shared import read_fixture


def test_sanitizer_removes_scripts_styles_and_event_handlers() -> None:
    dirty = (
        '<p onclick="steal()">Lead our <b>HPC</b> team.</p><script>alert(1)</script>'
        "<style>p{color:red}</style><img src=x onerror=alert(2)>"
        '<a href="https://example.org/apply" target="_blank">Apply</a>'
        '<a href="javascript:alert(3)">bad</a>'
    )
    safe, text = description_fields(dirty, [])
    assert safe is not None and text is not None
    lowered = safe.lower()
    for forbidden in (
        "<script",
        "alert(1)",
        "<style",
        "color:red",
        "onclick",
        "onerror",
        "javascript:",
    ):
        assert forbidden not in lowered
    assert '<a href="https://example.org/apply" rel="nofollow noopener">Apply</a>' in safe
    assert text.startswith("Lead our HPC team.")


def test_plain_text_description_becomes_escaped_paragraphs() -> None:
    safe, text = description_fields("Lead a team of 5.\n\nSalary < $100k & benefits", [])
    assert safe == "<p>Lead a team of 5.</p><p>Salary &lt; $100k &amp; benefits</p>"
    assert text == "Lead a team of 5.\n\nSalary < $100k & benefits"


def test_greenhouse_escaped_html_from_a_real_posting() -> None:
    posting = json.loads(read_fixture("greenhouse/stripe-job-detail.json"))
    safe, text = description_fields(html.unescape(posting["content"]), [])
    assert safe and "<h2>" in safe and "class=" not in safe
    assert text and "Who we are" in text and "<" not in text.split("\n")[0]


def test_summary_is_about_sixty_words() -> None:
    text = " ".join(f"word{i}" for i in range(200))
    summary = summarize(text)
    assert summary is not None
    assert 50 <= len(summary.split()) <= 60
    assert summary.endswith("…")


def test_summary_ends_on_a_sentence_when_one_ends_near_the_limit() -> None:
    text = ("This sentence has exactly eight words in it. " * 8).strip()
    summary = summarize(text)
    assert summary is not None and summary.endswith(".")
    assert len(summary.split()) <= 60


def test_two_megabyte_description_is_cut_not_fatal() -> None:
    record = normalize_record(
        {"title": "Director of HPC", "description": "<p>" + "x " * 1_000_000 + "</p>"}
    )
    assert any("description:" in p and "cut" in p for p in record["problems"])
    assert len(record["description_text"]) <= 200_000


def test_title_of_only_punctuation_is_null_with_a_reason() -> None:
    problems: list[str] = []
    assert clean_line("?!-- ...", problems, "title") is None
    assert problems == ["title: only punctuation, dropped"]


def test_html_in_the_title_is_removed() -> None:
    problems: list[str] = []
    assert clean_line("<b>Director</b>, Research &amp; Computing", problems, "title") == (
        "Director, Research & Computing"
    )
    assert problems == ["title: HTML removed"]


def test_mixed_scripts_and_invisible_characters() -> None:
    problems: list[str] = []
    got = clean_line("Directeur\u200b du calcul – 研究计算主任\u0000", problems, "title")
    assert got == "Directeur du calcul – 研究计算主任"


def test_markdown_from_the_submission_form_is_rendered_and_sanitized() -> None:
    text = (
        "## About the role\n\nLead our **HPC** team.\n\n- manage 6 engineers\n- run Slurm\n\n"
        "[Apply](https://example.org/apply) <script>alert(1)</script>"
    )
    safe, plain = description_fields(text, [])
    assert safe is not None and plain is not None
    assert "<h2>About the role</h2>" in safe
    assert "<strong>HPC</strong>" in safe and "<li>manage 6 engineers</li>" in safe
    assert '<a href="https://example.org/apply" rel="nofollow noopener">Apply</a>' in safe
    assert "<script" not in safe
    assert plain.startswith("About the role\n\nLead our HPC team.")
