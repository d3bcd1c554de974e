"""Quoted phrases are adjacent words in order (descriptions too); exact titles rank first."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from search_index import SearchIndex, SearchRequest
from tests.search_index.conftest import posting


def ids(index: SearchIndex, q: str, **kwargs: object) -> list[str]:
    return [hit.id for hit in index.search(SearchRequest(q=q, **kwargs)).hits]  # type: ignore[arg-type]


def build(tmp_path: Path, docs: list[dict]) -> SearchIndex:
    ix = SearchIndex(tmp_path / "index")
    ix.rebuild(docs, total=len(docs))
    return ix


@pytest.fixture
def described(tmp_path: Path) -> SearchIndex:
    """Postings whose titles say nothing: only their descriptions hold the phrases."""
    texts = {
        "rs": "You will build research software for the institute.",
        "sr": "Join our software team; research is what we support.",
        "lt": "As a lead you will manage the team of five.",
        "tl": "This team lead manages a small group of engineers.",
        "far": "Lead the platform and grow a large, diverse team over time.",
    }
    docs = [
        posting(key, f"Posting {key}", description=text, summary=text)
        for key, text in texts.items()
    ]
    return build(tmp_path, docs)


def test_a_quoted_phrase_in_descriptions_means_adjacent_words_in_order(described):
    assert ids(described, '"research software"') == ["rs"]
    assert ids(described, '"software research"') == []
    assert ids(described, '"team lead"') == ["tl"]
    assert ids(described, '"lead team"') == []
    assert set(ids(described, "lead team")) == {"lt", "tl", "far"}  # unquoted: all the words


def test_stop_words_inside_a_phrase_are_skipped_as_at_index_time(described):
    assert ids(described, '"team of five"') == ["lt"]
    assert ids(described, '"build research software for the institute"') == ["rs"]
    assert ids(described, '"build software"') == []


def test_phrases_across_many_documents_and_posting_blocks(tmp_path: Path):
    docs = [
        posting(
            f"d{n:03d}",
            f"Posting {n}",
            description=("research software engineer" if n % 7 == 0 else "software research")
            + f" filler words number {n}",
        )
        for n in range(700)
    ]
    ix = build(tmp_path, docs)
    expected = {f"d{n:03d}" for n in range(700) if n % 7 == 0}
    result = ix.search(SearchRequest(q='"research software"', per_page=1000))
    assert result.total == len(expected)
    assert {hit.id for hit in result.hits} == expected
    reversed_result = ix.search(SearchRequest(q='"software research"', per_page=1000))
    assert reversed_result.total == 700 - len(expected)


def test_the_exact_title_ranks_above_a_near_miss(tmp_path: Path):
    docs = [
        posting(
            "scientific",
            "Head of Scientific Computing",
            description="Research computing at its best: research, research and research "
            "computing for every department. Head the research computing service.",
            posted_on=date(2026, 1, 20),
        ),
        posting(
            "exact",
            "Head of Research Computing",
            description="Lead the service.",
            posted_on=date(2025, 11, 1),
        ),
        posting(
            "longer",
            "Deputy Head of Research Computing Services",
            description="Support the head.",
            posted_on=date(2025, 12, 1),
        ),
    ]
    ix = build(tmp_path, docs)
    assert ids(ix, "Head of Research Computing") == ["exact", "longer", "scientific"]
    assert ids(ix, "head research computing") == ["exact", "longer", "scientific"]
    assert ids(ix, "head research computing", sort="newest")[0] == "scientific"


def test_a_typo_shows_the_corrected_results(tmp_path: Path):
    docs = [
        posting("rs", "Research Software Lead", description="Lead research software."),
        posting("hpc", "HPC Director", description="Direct the clusters."),
    ]
    ix = build(tmp_path, docs)
    result = ix.search(SearchRequest(q="reserch sofware"))
    assert result.corrected == "research software"
    assert [hit.id for hit in result.hits] == ["rs"]
    asked = ix.search(SearchRequest(q="reserch sofware", correct=False))
    assert asked.total == 0 and asked.suggestion == "research software"


def test_salary_filter_and_only_ids(tmp_path: Path):
    docs = [
        posting("high", "Director", salary_usd_year=150000, salary={"min": 1}),
        posting("low", "Manager", salary_usd_year=80000, salary={"min": 1}),
        posting("none", "Lead"),
    ]
    ix = build(tmp_path, docs)
    assert ids(ix, "", salary_usd=100000) == ["high"]
    assert set(ids(ix, "", salary_usd=80000)) == {"high", "low"}
    assert set(ids(ix, "", salary_usd=None)) == {"high", "low", "none"}
    result = ix.search(SearchRequest())
    assert dict(result.facets["salary"]) == {"stated": 2, "not_stated": 1}
    assert ids(ix, "", filters={"salary": ["not_stated"]}) == ["none"]
    assert set(ids(ix, "", only_ids=("low", "none", "unknown"))) == {"low", "none"}
    assert ids(ix, "", only_ids=()) == []


def test_bulk_positions_match_the_per_posting_reader(tmp_path: Path) -> None:
    """read_position_pairs (positions decoded in bulk, the phrase matched on arrays) finds what
    read_positions does: many postings (whole blocks), repeated words, 32-bit deltas."""
    import numpy as np

    from search_index.segments import read_position_pairs, read_positions

    far = " ".join(["filler"] * 70_000)  # a delta past 65,535: that value is 32-bit
    docs = [
        posting(
            f"p{i}",
            f"Posting {i}",
            description=(
                f"team {'lead ' * (i % 3)}research computing {'data ' * (i % 5)}team lead"
                + (f" {far} research computing" if i % 97 == 0 else "")
            ),
        )
        for i in range(400)
    ]
    ix = build(tmp_path, docs)
    for q in ('"research computing"', '"team lead"', '"lead lead"', '"data data data"'):
        expected = {
            f"p{i}" for i, doc in enumerate(docs) if q.strip('"') in str(doc["description"])
        }
        found = ix.search(SearchRequest(q=q, status="all", relevant="all"))
        assert found.total == len(expected), q
        assert {hit.id for hit in found.hits} <= expected, q
    searcher = ix.searcher
    reader = searcher.view(searcher.state(), "all").segments[0][0].reader
    wanted = np.arange(reader.doc_count_all(), dtype=np.int64)
    for word in ("research", "computing", "lead", "data", "filler", "absent"):
        by_doc = read_positions(reader, "description", word, wanted)
        owners, positions = read_position_pairs(reader, "description", word, wanted)
        flat = [(doc, p) for doc, found in by_doc.items() for p in found]
        assert list(zip(owners.tolist(), positions.tolist(), strict=True)) == flat, word
