"""The queue's "why" column: the normalizer's reasons in plain words, one line."""

from __future__ import annotations

from board.normalize import roles
from board.review.reasons import one_line, plain


def test_internal_tokens_become_words():
    assert plain("relevant (score 0.93)") == ""
    assert plain("role program_manager: title says 'program manager'") == (
        "Program manager in the title (“program manager”)"
    )
    assert plain("research computing: title area data_management") == (
        "Data management in the title"
    )
    assert plain("the description confirms: it mentions gpu, slurm") == (
        "the description mentions gpu, slurm"
    )
    assert (
        plain("not research-computing leadership: finance or administration: title says 'payroll'")
        == "finance or administration (“payroll”)"
    )


def test_one_line_of_what_the_normalizer_really_says():
    result = roles.classify(
        "Program Manager, Research Data Management",
        "You will lead a team running HPC clusters, Slurm scheduling and GPU research storage.",
        "Example University",
    )
    line = one_line(result.reasons)
    assert "\n" not in line and line[0].isupper()
    for token in ("program_manager", "data_management", "relevant (score", "_"):
        assert token not in line, line
    assert "Program manager in the title" in line


def test_an_editors_mark_comes_first_and_nothing_recorded_is_said():
    assert one_line(["relevant (score 0.20)"], {"relevant": True}) == (
        "Marked relevant by an editor"
    )
    assert one_line([]) == "No reasons recorded"
