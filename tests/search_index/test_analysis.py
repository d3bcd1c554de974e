"""Analysis: tokens, stemming, synonyms, pairs and highlighting."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from search_index.analysis import (
    PostingAnalyzer,
    highlight,
    pairs,
    rewrite_synonyms,
    spell_words,
    term,
    terms,
    word_terms,
)


def test_stemming_and_punctuation() -> None:
    assert word_terms("Director, Research Computing") == ["director", "research", "comput"]
    assert term("Directors") == term("director")
    assert term("the") is None


def test_accents_fold() -> None:
    assert term("Montréal") == term("montreal")


def test_long_forms_add_canonical_token() -> None:
    assert "hpc" in terms("Manager of High-Performance Computing")
    assert "rse" in terms("research software engineers wanted")
    assert "ml" in terms("machine learning platforms")
    assert "ai" in terms("Artificial Intelligence")
    assert "hpc" not in terms("high performance athletes")


def test_query_rewrite_to_canonical() -> None:
    assert rewrite_synonyms("high performance computing director").split() == ["hpc", "director"]
    assert rewrite_synonyms("Research Software Engineering").split() == ["rse"]


def test_pairs_are_adjacent_terms() -> None:
    assert pairs(["research", "comput", "director"]) == {"research comput", "comput director"}


def test_query_analyzer_matches_index_terms() -> None:
    text = "Senior Director, Research Software & C++ (Montréal)"
    analyzed = [t.text for t in PostingAnalyzer()(text)]
    assert analyzed == word_terms(text)


def test_spell_words_are_unstemmed() -> None:
    assert spell_words("Computing Director in Toronto") == {"computing", "director", "toronto"}


def test_highlight_marks_terms_and_escapes_the_rest() -> None:
    html = highlight("Lead <b>HPC</b> & directors", {"hpc", "director"})
    assert html == "Lead &lt;b&gt;<mark>HPC</mark>&lt;/b&gt; &amp; <mark>directors</mark>"


def test_highlight_synonym_phrase_and_prefix() -> None:
    assert highlight("High Performance Computing team", {"hpc"}) == (
        "<mark>High Performance Computing</mark> team"
    )
    assert highlight("computational work", set(), ["comput"]) == "<mark>computational</mark> work"


def test_highlight_without_terms_escapes() -> None:
    assert highlight('a "b" <c>', set()) == "a &quot;b&quot; &lt;c&gt;"


def test_highlight_of_a_text_seen_before_marks_only_the_words_now_wanted() -> None:
    # A text's words and their terms are remembered; what is marked depends on each call.
    text = "Director of Research Computing: lead the computing directors' HPC team"
    first = highlight(text, {"director"})
    assert first.count("<mark>") == 2 and "<mark>Director</mark>" in first
    second = highlight(text, {"comput", "hpc"})
    assert "<mark>Director</mark>" not in second
    assert second.count("<mark>") == 3 and "<mark>HPC</mark>" in second
    assert highlight(text, set(), ["dir"]).count("<mark>") == 2
    assert (
        highlight(text, set())
        == "Director of Research Computing: lead the computing directors&#x27; HPC team"
    )


def test_synonym_highlights_are_the_same_from_the_cache():
    # analysis._synonyms_at remembers where each summary's synonym phrases are; a highlight
    # from it is the one found by scanning the text again.
    from search_index import analysis

    text = "High Performance Computing & <HPC> lead; machine learning, ML ops"
    wanted = set(analysis.SYNONYMS) | {"lead"}
    analysis._SYNONYMS_AT.clear()
    first = analysis.highlight(text, wanted)
    assert text in analysis._SYNONYMS_AT
    assert analysis.highlight(text, wanted) == first
    assert "<mark>High Performance Computing</mark>" in first and "&lt;" in first


_WORDS = ["Director", "directors", "of", "Research", "computing", "HPC", "<lead>", "team's",
          "the", "Data", "&", "café", "computational", "AI"]  # fmt: skip


@settings(derandomize=True, database=None)
@given(
    st.lists(st.sampled_from(_WORDS), max_size=30),
    st.lists(st.sampled_from(_WORDS), max_size=3),
    st.lists(st.sampled_from(["comp", "dir", "da"]), max_size=1),
)
def test_highlight_marks_exactly_the_words_whose_term_is_wanted(words, searched, prefixes):
    # Looked up by term in the remembered summary: the same words marked, in text order, as
    # testing every word of it would mark, and the rest escaped.
    import html as htmllib
    import re

    from search_index.analysis import WORD

    text = " ".join(words)
    wanted = {t for t in (term(w) for w in searched) if t} - {"hpc", "ai"}  # no synonyms
    marked = highlight(text, wanted, prefixes)
    expected = [
        m.group()
        for m in WORD.finditer(text)
        if (found := term(m.group())) and (found in wanted or found.startswith(tuple(prefixes)))
    ]
    assert [htmllib.unescape(m) for m in re.findall(r"<mark>(.*?)</mark>", marked)] == expected
    assert htmllib.unescape(marked.replace("<mark>", "").replace("</mark>", "")) == text


_PHRASE_PIECES = ["high", "High", "HIGH", "performance", "throughput", "computing", "computer",
                  "computers", "computation", "super", "Super", "supercomputing", "ſuper",
                  "research", "software", "engineer", "engineering", "machine", "learning",
                  "artificial", "intelligence", "natural", "language", "processing", "graphic",
                  "graphics", "unit", "units", "chief", "technology", "information", "officer",
                  "advanced", "x", "é", "_", "9", "ﬁ", "K"]  # fmt: skip
_GLUE = [" ", "  ", "-", "--", "\n", "\t", "", ".", "'", "&", "é", "_", "1"]


@settings(derandomize=True, database=None, max_examples=2000)
@given(st.lists(st.tuples(st.sampled_from(_PHRASE_PIECES), st.sampled_from(_GLUE)), max_size=14))
def test_synonym_phrases_are_found_where_the_whole_pattern_finds_them(pieces):
    # _synonym_matches tries the alternation only where a phrase may start; it must find the
    # same phrases (group and span) as finditer trying it at every character.
    from search_index.analysis import _SYNONYM_RE, _synonym_matches

    text = "".join(word + glue for word, glue in pieces)
    expected = [(m.lastgroup, m.span()) for m in _SYNONYM_RE.finditer(text)]
    assert [(m.lastgroup, m.span()) for m in _synonym_matches(text)] == expected
