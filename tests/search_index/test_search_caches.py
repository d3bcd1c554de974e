"""What a searcher keeps between searches (plain-word trees, a view's term bitsets and score
contributions, prefix expansions) gives the answers computed afresh, and follows index writes."""

from __future__ import annotations

import itertools
import math
import random
from typing import Any

import numpy as np
import pytest

from search_index import SearchIndex, SearchRequest, searcher
from search_index.engine import K1, B, View
from search_index.query import QueryBuilder
from search_index.schema import TEXT_FIELDS, make_schema
from search_index.segments import ids_from_bits

from .conftest import posting

WORDS = [
    "hpc", "Director", "research", "the", "a", "it", "us", "US", "AND", "and", "OR", "NOT",
    "not", "to", "TO", "machine", "learning", "high", "performance", "computing", "super",
    "supercomputing", "2026", "x", "Lead", "RSE", "software", "engineering", "cluster", "gpu",
]  # fmt: skip


def parsed_without_shortcut(builder: QueryBuilder, text: str) -> tuple[object, ...]:
    """The parse of `text` with every tree made by Whoosh's parser."""
    plain = QueryBuilder(builder.schema)
    plain._plain_tree = lambda text: None  # type: ignore[method-assign]
    found = plain.parse(text)
    return (repr(found.tree), found.tree, found.text, found.scoring, found.prefixes, found.words)


@pytest.mark.parametrize("length", [1, 2, 3])
def test_plain_words_parse_as_the_parser_parses_them(length: int) -> None:
    builder = QueryBuilder(make_schema())
    for words in itertools.permutations(WORDS, length):
        if length == 3 and hash(words) % 7:  # a sample of the triples keeps the test quick
            continue
        text = " ".join(words)
        found = builder.parse(text)
        got = (repr(found.tree), found.tree, found.text, found.scoring, found.prefixes)
        assert (*got, found.words) == parsed_without_shortcut(builder, text), text


def test_too_many_plain_words_fall_back_as_before() -> None:
    builder = QueryBuilder(make_schema())
    text = " ".join(f"word{i}" for i in range(60))
    found = builder.parse(text)
    expected = parsed_without_shortcut(builder, text)
    assert (repr(found.tree), found.words) == (expected[0], expected[-1])


def test_only_plain_words_skip_the_parser() -> None:
    builder = QueryBuilder(make_schema())
    assert builder._plain_tree("hpc director") is not None
    for text in ("machine learning", "hpc AND cloud", "hpc to cloud", "hpc not cloud"):
        assert builder._plain_tree(text) is None, text
    builder.parse("hpc director")
    assert set(builder._word_trees) >= {"hpc", "director"}


def view_of(index: SearchIndex, name: str = "live") -> View:
    return index.searcher.view(index.searcher.state(), name)


def fresh_scores(view: View, terms: list[tuple[str, str]]) -> np.ndarray:
    """BM25F as computed before contributions were kept: per segment, straight from postings."""
    total = np.zeros(view.size, dtype=np.float32)
    n = max(view.count, 1)
    for field, text in dict.fromkeys(terms):
        postings = [
            (segment, offset, view.cache.get(segment, key, field, text))
            for segment, offset, key in view.segments
        ]
        df = sum(len(ids) for _, _, (ids, _, _) in postings)
        if not df:
            continue
        idf = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        avg = view.avg_length(field)
        boost = TEXT_FIELDS[field]
        for segment, offset, (ids, weights, _) in postings:
            if len(ids):
                norm = K1 * (1.0 - B + B * segment.lengths(field)[ids] / avg)
                total[ids + offset] += (boost * idf) * weights * (K1 + 1.0) / (weights + norm)
    return total * view.array("fresh")


def test_kept_contributions_and_bits_equal_fresh_ones(index: SearchIndex) -> None:
    view = view_of(index, "all")
    terms = [(f, t) for f in ("title", "description", "institution") for t in ("hpc", "lead")]
    first = view.scores(terms, [])
    again = view.scores(terms, [])  # from the kept contributions
    assert np.array_equal(first, again)
    assert np.array_equal(first, fresh_scores(view, terms))
    assert view.contribution("title", "no-such-term") is None
    bits = view.term_bits("title", "hpc")
    assert bits and view._bits[("title", "hpc")] == bits
    assert view.expand("title", "dir") == view._expand("title", "dir")


def test_kept_term_data_follows_an_index_write(index: SearchIndex) -> None:
    request = SearchRequest(q="zebrafish")
    assert index.search(request).total == 0
    before = view_of(index)
    assert before.term_bits("title", "zebrafish") == 0
    assert before.contribution("title", "zebrafish") is None
    index.update([posting("z1", "Zebrafish Imaging Director")])
    result = index.search(request)
    assert [hit.id for hit in result.hits] == ["z1"] and result.hits[0].score > 0
    after = view_of(index)
    assert after is not before and after.term_bits("title", "zebrafish")
    assert [hit.id for hit in index.search(SearchRequest(q="zebra*")).hits] == ["z1"]
    index.delete(["z1"])
    assert index.search(request).total == 0
    assert index.search(SearchRequest(q="zebra*")).total == 0


def test_a_full_cache_starts_again(index: SearchIndex, monkeypatch: pytest.MonkeyPatch) -> None:
    from search_index import engine

    monkeypatch.setattr(engine, "VIEW_TERM_BYTES", 1)
    view = view_of(index, "all")
    for word in ("hpc", "lead", "director"):
        assert view.term_bits("title", word) == fresh_bits(view, "title", word)
        assert len(view._bits) == 1
    found = view.scores([("title", "hpc"), ("title", "lead")], [])
    assert np.array_equal(found, fresh_scores(view, [("title", "hpc"), ("title", "lead")]))
    assert len(view._contributions) == 1


def fresh_bits(view: View, field: str, text: str) -> int:
    bits = 0
    for segment, offset, key in view.segments:
        bits |= view.cache.get(segment, key, field, text)[2] << offset
    return bits


def test_searches_rank_as_before_across_views(index: SearchIndex) -> None:
    for q in ("hpc", "research lead", "director", "comput*", "team"):
        for status in ("open", "all", "closed"):
            request = SearchRequest(q=q, status=status, relevant="all", per_page=50)
            first = index.search(request)
            index.searcher.forget_results()
            again = index.search(request)
            assert first == again, (q, status)
            view = view_of(index, searcher._view_name(request.normalized()))
            assert view._contributions or not first.total


def old_facets(
    view: View, request: SearchRequest, matched: int, filters: dict[str, int], hits: int
) -> dict[str, list[tuple[str, int]]]:
    """Facet counts as counted before FacetRows: a Python AND and bit_count per value."""
    from search_index.schema import FACETS

    out: dict[str, list[tuple[str, int]]] = {}
    for facet, (_, fieldname) in FACETS.items():
        scope = hits
        if facet in filters and facet not in ("status", "relevant"):
            scope = matched
            for other, bits in filters.items():
                if other != facet:
                    scope &= bits
        selected = set(request.filters.get(facet, ()))
        counts = []
        if scope:
            for value, bits in view.facet(fieldname).items():
                count = (scope & bits).bit_count()
                if count or value in selected:
                    counts.append((value, count))
        seen = {value for value, _ in counts}
        counts.extend((value, 0) for value in sorted(selected - seen))
        counts.sort(key=lambda item: (-item[1], item[0]))
        out[facet] = counts
    return out


def test_facet_counts_are_the_per_value_counts(
    index: SearchIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    compared = []
    real = searcher.Searcher._facets

    def both(self: searcher.Searcher, *args: Any) -> dict[str, list[tuple[str, int]]]:
        found = real(self, *args)
        assert found == old_facets(*args)
        compared.append(found)
        return found

    monkeypatch.setattr(searcher.Searcher, "_facets", both)
    choices: list[dict[str, list[str]]] = [
        {},
        {"country": ["CA"]},
        {"country": ["CA", "US", "ZZ"], "role": ["director"]},
        {"technical": ["hpc"], "remote": ["onsite"], "status": ["open"]},
        {"role": ["nobody"]},
    ]
    for q in ("", "hpc", "research", "zzzz"):
        for filters in choices:
            for status in ("open", "all"):
                index.search(SearchRequest(q=q, filters=filters, status=status, relevant="all"))
    assert len(compared) >= 40 and any(sum(map(len, f.values())) > 10 for f in compared)


def old_top(view: View, hits: int, order: str, want: int) -> list[int]:
    """Newest or closing first as before the view kept its documents in key order."""
    docs = ids_from_bits(hits, view.size)
    if not len(docs) or want <= 0:
        return []
    want = min(want, len(docs))
    keys = view.array("closing" if order == "closing" else "newest")[docs]
    if want < len(docs):
        keep = np.argpartition(keys, want - 1)[:want]
        docs, keys = docs[keep], keys[keep]
    return list(docs[np.argsort(keys, kind="stable")[:want]].tolist())


def test_newest_and_closing_first_as_before(index: SearchIndex) -> None:
    rng = random.Random(15)
    view = view_of(index, "all")
    everything = [i for i in range(view.size) if view.alive >> i & 1]
    for _ in range(300):
        chosen = rng.sample(everything, rng.randint(0, len(everything)))
        hits = sum(1 << i for i in chosen)
        want = rng.choice([0, 1, 2, 5, 20, 100])
        for order in ("newest", "closing"):
            docs, scores = view.top(hits, order, want, None)
            assert docs == old_top(view, hits, order, want) and scores == [0.0] * len(docs)
            assert all(type(doc) is int for doc in docs)


def test_popcounts_without_bitwise_count(monkeypatch: pytest.MonkeyPatch) -> None:
    from search_index import engine

    rng = np.random.default_rng(15)
    rows = rng.integers(0, 2**63, size=(7, 5), dtype=np.uint64) | np.uint64(1 << 63)
    expected = [sum(bin(int(word)).count("1") for word in row) for row in rows]
    assert engine.popcounts(rows).tolist() == expected
    monkeypatch.delattr(np, "bitwise_count")  # numpy 1 (pyproject allows it)
    assert engine.popcounts(rows).tolist() == expected
