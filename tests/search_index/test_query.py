"""Every query form, and malformed queries that must never raise."""

from __future__ import annotations

import pytest

from search_index import SearchIndex, SearchRequest


def ids(index: SearchIndex, q: str, **kwargs: object) -> list[str]:
    """Ids of the hits for a query."""
    return [hit.id for hit in index.search(SearchRequest(q=q, **kwargs)).hits]  # type: ignore[arg-type]


def test_plain_words_are_anded(index: SearchIndex) -> None:
    assert ids(index, "hpc director") == ["a1"]


def test_quoted_phrase(index: SearchIndex) -> None:
    assert ids(index, '"research computing"') == ["a1"]
    assert ids(index, '"computing research"') == []


def test_phrase_in_description_needs_all_its_words(index: SearchIndex) -> None:
    assert ids(index, '"slurm cluster"') == ["a1"]
    assert ids(index, '"slurm bioinformatics"') == []


def test_field_prefixes(index: SearchIndex) -> None:
    assert ids(index, "institution:toronto") == ["a3"]
    assert sorted(ids(index, "title:director")) == ["a1", "a4", "a6"]
    assert ids(index, "location:oxford") == ["a5"]
    assert ids(index, "inst:harvard") == ["a6"]


def test_unknown_field_prefix_is_plain_text(index: SearchIndex) -> None:
    assert ids(index, "foo:director hpc") == []
    assert ids(index, "nosuchfield:hpc") == []


def test_prefix_wildcard(index: SearchIndex) -> None:
    assert "a1" in ids(index, "comput*")
    assert sorted(ids(index, "statist*")) == ["a6"]


def test_inner_wildcards_are_not_patterns(index: SearchIndex) -> None:
    assert ids(index, "d?rector") == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("HPC", {"a1", "a3"}),
        ("high performance computing", {"a1", "a3"}),
        ('"high performance computing"', {"a1", "a3"}),
        ("RSE", {"a2", "a5"}),
        ("research software engineering", {"a2", "a5"}),
        ("ML", {"a4"}),
        ("machine learning", {"a4"}),
        ("AI", {"a4"}),
        ("artificial intelligence", {"a4"}),
    ],
)
def test_synonyms_both_ways(index: SearchIndex, query: str, expected: set[str]) -> None:
    assert set(ids(index, query)) == expected


def test_stemming(index: SearchIndex) -> None:
    assert set(ids(index, "directors")) == {"a1", "a4", "a6"}
    assert set(ids(index, "Director,")) == {"a1", "a4", "a6"}
    assert ids(index, "platform") == ["a4"]


def test_boolean_operators(index: SearchIndex) -> None:
    assert set(ids(index, "director NOT hpc")) == {"a4", "a6"}
    assert set(ids(index, "statistics OR oxford")) == {"a5", "a6"}


def test_minus_excludes_a_word_but_hyphenated_words_stay_words(index: SearchIndex) -> None:
    """ "director -hpc" is what "director NOT hpc" is; "high-performance" is no exclusion."""
    assert set(ids(index, "director -hpc")) == {"a4", "a6"}
    assert set(ids(index, "director -hpc -statistics")) == {"a4"}
    assert ids(index, "high-performance computing") == ids(index, "high performance computing")
    assert set(ids(index, "director - hpc")) == {"a1"}


def test_did_you_mean(index: SearchIndex) -> None:
    result = index.search(SearchRequest(q="torontoo", correct=False))
    assert result.total == 0
    assert result.suggestion == "toronto"
    assert result.corrected is None


def test_no_results_show_the_corrected_query_s_results(index: SearchIndex) -> None:
    result = index.search(SearchRequest(q="torontoo"))
    assert result.corrected == "toronto"
    assert result.suggestion is None
    assert [hit.id for hit in result.hits] == ids(index, "toronto")
    assert result.to_dict()["corrected"] == "toronto"


def test_no_suggestion_when_results_are_plenty(index: SearchIndex) -> None:
    assert index.search(SearchRequest(q="director")).suggestion is None


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced quote',
        'director "',
        "AND",
        "OR",
        "NOT",
        "director AND",
        "AND OR NOT",
        "title:",
        "title:  ",
        ":",
        ":::",
        "(((",
        ")",
        "(director",
        "*",
        "?",
        "**",
        "a*",
        "x" * 5000,
        "director " * 1000,
        "hpc\x00director",
        "\x00\x01\x02\x1b[31m",
        "director\u200b\u202e",
        "\ud800",
        "title:(",
        "[a TO b]",
        "director^5",
        "director~2",
        "'single quotes",
        "<script>alert(1)</script>",
        "\\",
        "director/hpc",
        "%00",
        "{}",
        "*:*",
        "title:director AND (institution:mcmaster OR",
    ],
)
def test_malformed_queries_never_raise(index: SearchIndex, query: str) -> None:
    result = index.search(SearchRequest(q=query))
    assert result.total >= 0
    assert set(result.facets) >= {"country", "status", "relevant"}
    result.to_dict()


def test_malformed_query_returns_its_words(index: SearchIndex) -> None:
    assert ids(index, '"hpc director') == ["a1"]
    assert ids(index, "hpc\x00director") == ["a1"]
    assert ids(index, "(hpc director") == ["a1"]


def test_empty_and_operator_only_queries_list_everything(index: SearchIndex) -> None:
    everything = index.search(SearchRequest()).total
    assert everything == 6
    assert index.search(SearchRequest(q="AND")).total == everything
    assert index.search(SearchRequest(q="   ")).total == everything


def test_exclusions_alone_list_everything_else(index: SearchIndex) -> None:
    everything = set(ids(index, ""))
    with_hpc = set(ids(index, "hpc"))
    with_statistics = set(ids(index, "statistics"))
    assert with_hpc and with_hpc < everything
    assert set(ids(index, "-hpc")) == everything - with_hpc
    assert set(ids(index, "-hpc -statistics")) == everything - with_hpc - with_statistics


def test_a_boost_suffix_is_ignored_not_searched_for(index: SearchIndex) -> None:
    assert ids(index, "hpc") and set(ids(index, "hpc^5")) == set(ids(index, "hpc"))
    assert set(ids(index, "director^2.5 hpc")) == set(ids(index, "director hpc"))
