"""Places spelled out for people and card summaries that keep their lists."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from board.places import location_label, place_label
from board.summaries import card_summary


def test_places_name_their_country():
    hamilton = {"city": "Hamilton", "region": "ON", "country": "CA"}
    assert place_label(hamilton) == "Hamilton, ON, Canada"
    assert place_label({"city": "Golden", "region": "CO", "country": "US"}) == (
        "Golden, CO, United States"
    )
    assert place_label({"city": "Oxford", "region": "OXF", "country": "GB"}) == (
        "Oxford, United Kingdom"
    )
    assert location_label([{"city": None, "region": None, "country": "CA"}], "remote", "") == (
        "Remote (Canada)"
    )
    assert location_label([], "remote", "Remote") == "Remote"
    assert location_label([], None, "Somewhere") == "Somewhere"
    many = [{"city": f"C{n}", "region": None, "country": "FR"} for n in range(5)]
    assert location_label(many, "hybrid", "") == "C0, France; C1, France; C2, France and 2 more"


def test_a_summary_keeps_the_list_it_opens_with():
    text = "What you will do\n\n- Lead the team\n- Run the budget\n\nAbout us: a long story."
    assert card_summary(text, "flat") == (
        "What you will do\n- Lead the team\n- Run the budget\nAbout us: a long story."
    )


def test_a_summary_without_a_list_is_the_normalizer_s():
    assert card_summary("One paragraph.\n\nAnother one.", "One paragraph. Another one.") == (
        "One paragraph. Another one."
    )
    assert card_summary(None, None) == ""


def test_a_long_list_is_cut_near_the_word_limit():
    text = "Intro\n" + "\n".join(f"- item number {n} with some words" for n in range(40))
    summary = card_summary(text, "flat", words=20)
    lines = summary.split("\n")
    assert lines[0] == "Intro" and all(line.startswith("- ") for line in lines[1:])
    assert sum(len(line.split()) for line in lines) <= 21
    assert lines[-1].endswith("…")


def _card_summary_reference(text, fallback, words=60):
    """The first implementation (every line of the description split into words)."""
    lines = [" ".join(line.split()) for line in (text or "").split("\n")]
    lines = [line for line in lines if line]
    kept, count = [], 0
    for line in lines:
        size = len(line.split())
        if count + size > words:
            room = words - count
            if room >= 4 or not kept:
                cut = " ".join(line.split()[: max(room, 4)]).rstrip(",;:-–—") + "…"
                kept.append(cut)
            break
        kept.append(line)
        count += size
    if not any(line.startswith("- ") for line in kept):
        return fallback or ""
    return "\n".join(kept)


_LINE = st.one_of(
    st.text(alphabet=" \t\r\x0b\x0c\u2028\u00a0-–,;:abc…", max_size=30),
    st.builds(
        lambda n, w: "- " + " ".join([w] * n), st.integers(0, 30), st.sampled_from(["x", "y,"])
    ),
    st.builds(lambda n: " ".join(["word"] * n), st.integers(0, 80)),
)


@given(st.lists(_LINE, max_size=25), st.integers(1, 80))
def test_a_summary_reads_only_the_opening_lines_and_matches_the_first_implementation(lines, words):
    text = "\n".join(lines)
    assert card_summary(text, "flat", words) == _card_summary_reference(text, "flat", words)
