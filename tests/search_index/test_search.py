"""Facets, filters, sorts, defaults, pagination and the result shape."""

from __future__ import annotations

from datetime import date

from search_index import SearchIndex, SearchRequest


def facet(result: object, name: str) -> dict[str, int]:
    """One facet's counts as a dict."""
    return dict(result.facets[name])  # type: ignore[attr-defined]


def test_default_view_is_open_and_relevant(index: SearchIndex) -> None:
    result = index.search(SearchRequest())
    assert {hit.id for hit in result.hits} == {"a1", "a2", "a3", "a4", "a5", "a6"}
    assert all(hit.status == "open" and hit.relevant for hit in result.hits)


def test_status_and_relevant_filters(index: SearchIndex) -> None:
    def found(**kwargs: object) -> set[str]:
        return {h.id for h in index.search(SearchRequest(**kwargs)).hits}  # type: ignore[arg-type]

    assert found(status="closed") == {"c1", "c2"}
    assert found(relevant="false") == {"n1"}
    assert found(status="all", relevant="all") == {
        "a1",
        "a2",
        "a3",
        "a4",
        "a5",
        "a6",
        "c1",
        "c2",
        "n1",
    }
    assert found(status="all") == {"a1", "a2", "a3", "a4", "a5", "a6", "c1", "c2"}
    assert found(relevant="all") == {"a1", "a2", "a3", "a4", "a5", "a6", "n1"}
    assert found(q="director", status="closed") == {"c1"}


def test_every_facet_is_present(index: SearchIndex) -> None:
    result = index.search(SearchRequest(q="zzzznothing"))
    assert set(result.facets) == {
        "country",
        "region",
        "role",
        "technical",
        "sector",
        "institution",
        "institution_type",
        "remote",
        "salary",
        "status",
        "relevant",
    }


def test_facet_counts_for_query_and_filters(index: SearchIndex) -> None:
    result = index.search(SearchRequest(q="director", filters={"country": ["US"]}))
    assert result.total == 2
    # the country facet ignores its own filter: every country still selectable
    assert facet(result, "country") == {"CA": 1, "US": 2}
    # other facets count within the filtered hits
    assert facet(result, "institution") == {"harvard": 1, "ornl": 1}
    assert facet(result, "role") == {"director": 2}
    assert facet(result, "status") == {"open": 2}


def test_filters_combine_or_within_and_across(index: SearchIndex) -> None:
    result = index.search(SearchRequest(filters={"country": ["US", "GB"], "role": ["lead"]}))
    assert [hit.id for hit in result.hits] == ["a5"]
    assert facet(result, "role") == {"director": 2, "lead": 1}
    assert facet(result, "country") == {"CA": 1, "GB": 1, "US": 0}  # selected values stay


def test_unknown_filter_value_gives_nothing_but_stays_listed(index: SearchIndex) -> None:
    result = index.search(SearchRequest(filters={"country": ["ZZ"]}))
    assert result.total == 0
    assert ("ZZ", 0) in result.facets["country"]


def test_all_filter_keys(index: SearchIndex) -> None:
    request = SearchRequest(
        filters={
            "country": ["CA"],
            "region": ["CA-ON"],
            "role": ["lead"],
            "technical": ["hpc"],
            "sector": ["academic"],
            "institution": ["utoronto"],
            "institution_type": ["university"],
            "remote": ["onsite"],
        }
    )
    assert [hit.id for hit in index.search(request).hits] == ["a3"]


def test_status_facet_over_all(index: SearchIndex) -> None:
    result = index.search(SearchRequest(status="all", relevant="all"))
    assert facet(result, "status") == {"open": 7, "closed": 2}
    assert facet(result, "relevant") == {"true": 8, "false": 1}


def test_sort_newest_and_closing(index: SearchIndex) -> None:
    newest = index.search(SearchRequest(sort="newest"))
    assert [h.id for h in newest.hits] == ["a4", "a1", "a3", "a2", "a6", "a5"]
    closing = index.search(SearchRequest(sort="closing"))
    # closing soonest first, postings without a closing date last (newest first among them)
    assert [h.id for h in closing.hits] == ["a2", "a5", "a4", "a1", "a3", "a6"]


def test_relevance_prefers_title_matches(index: SearchIndex) -> None:
    hits = index.search(SearchRequest(q="hpc")).hits
    assert hits[0].id == "a3"
    assert hits[0].score >= hits[1].score > 0


def test_posted_since(index: SearchIndex) -> None:
    result = index.search(SearchRequest(posted_since=date(2026, 1, 10)))
    assert {h.id for h in result.hits} == {"a1", "a4"}


def test_pagination(index: SearchIndex) -> None:
    first = index.search(SearchRequest(sort="newest", per_page=4))
    second = index.search(SearchRequest(sort="newest", per_page=4, page=2))
    far = index.search(SearchRequest(sort="newest", per_page=4, page=50))
    assert [h.id for h in first.hits] == ["a4", "a1", "a3", "a2"]
    assert [h.id for h in second.hits] == ["a6", "a5"]
    assert far.hits == [] and far.total == 6


def test_bad_request_values_are_defaulted(index: SearchIndex) -> None:
    request = SearchRequest(status="bogus", relevant="maybe", sort="x", page=-3, per_page=0)
    result = index.search(request)
    assert result.page == 1 and result.per_page == 1 and result.total == 6


def test_hit_fields_and_highlight(index: SearchIndex) -> None:
    hit = index.search(SearchRequest(q="hpc cluster")).hits[0]
    assert hit.id == "a1"
    assert hit.title == "Director, Research Computing"
    assert hit.institution_slug == "mcmaster"
    assert hit.posted_on == date(2026, 1, 12)
    assert hit.closes_on == date(2026, 3, 1)
    assert hit.highlight == (
        "Lead <mark>HPC</mark> &lt;services&gt; &amp; the <mark>cluster</mark> team."
    )


def test_to_dict_is_json_ready(index: SearchIndex) -> None:
    import json

    data = index.search(SearchRequest(q="hpc")).to_dict()
    assert set(data) >= {"total", "page", "per_page", "results", "facets", "suggestion"}
    assert data["results"][0]["posted_on"] == "2026-01-08"
    assert data["facets"]["country"] == [{"value": "CA", "count": 2}]
    json.dumps(data)


def test_missing_index_gives_empty_result(tmp_path: object) -> None:
    from pathlib import Path

    ix = SearchIndex(Path(str(tmp_path)) / "nothing")
    assert not ix.exists()
    result = ix.search(SearchRequest(q="hpc"))
    assert result.total == 0 and result.hits == []
    assert ix.metadata()["count"] == 0


def test_equal_scores_are_ordered_newest_first_across_the_page_cut(tmp_path) -> None:
    """Documents scored alike are ordered newest first even when only some of them fit on the
    page: the top-k cut keeps every document tied with its last one before ordering by date."""
    from datetime import timedelta

    from tests.search_index.conftest import posting

    start = date(2015, 1, 1)  # old: the freshness boost is the same (1.0) for all of them
    docs = [
        posting(f"t{i:02d}", "Research Software Lead", posted_on=start + timedelta(days=7 * i))
        for i in range(40)
    ]
    docs.append(posting("new", "Data Steward", posted_on=date(2026, 1, 10)))
    ix = SearchIndex(tmp_path / "index")
    ix.rebuild(docs, total=len(docs), watermark=1)
    result = ix.search(SearchRequest(q="software", per_page=10))
    assert len({hit.score for hit in result.hits}) == 1  # really a tie
    assert [hit.id for hit in result.hits] == [f"t{i:02d}" for i in range(39, 29, -1)]
    second = ix.search(SearchRequest(q="software", per_page=10, page=2))
    assert [hit.id for hit in second.hits] == [f"t{i:02d}" for i in range(29, 19, -1)]
