"""Query strings -> SearchRequest: bounded, lenient for pages, strict for the API."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from board.web.params import (
    MAX_PER_PAGE,
    MAX_QUERY,
    ParameterError,
    clean_text,
    search_request,
    to_args,
    toggle_filter,
)


def test_defaults():
    search = search_request(MultiDict())
    assert (search.q, search.filters, search.status, search.relevant) == ("", {}, "open", "true")
    assert (search.sort, search.page, search.per_page, search.posted_since) == (
        "relevance",
        1,
        20,
        None,
    )


def test_every_parameter_round_trips_through_the_query_string():
    args = MultiDict(
        [
            ("q", "director hpc"),
            ("country", "CA"),
            ("country", "US"),
            ("role", "director"),
            ("status", "all"),
            ("relevant", "all"),
            ("sort", "newest"),
            ("page", "3"),
            ("per_page", "50"),
            ("posted_since", "2026-01-01"),
        ]
    )
    search = search_request(args)
    assert search.filters == {"country": ["CA", "US"], "role": ["director"]}
    assert search_request(to_args(search)) == search
    assert sorted(to_args(search).items(multi=True)) == sorted(args.items(multi=True))


def test_defaults_are_left_out_of_shareable_urls():
    assert list(to_args(search_request(MultiDict([("status", "open"), ("page", "1")])))) == []


def test_toggle_adds_and_removes_a_value_and_goes_back_to_page_one():
    search = search_request(MultiDict([("country", "CA"), ("page", "4")]))
    added = toggle_filter(search, "country", "US")
    assert added.getlist("country") == ["CA", "US"] and "page" not in added
    removed = toggle_filter(search, "country", "CA")
    assert "country" not in removed


def test_control_characters_and_length_are_cleaned():
    assert clean_text("a\x00b\tc\x1bd\u2028e", 100) == "a b c d e"
    search = search_request(MultiDict([("q", "x" * 6000), ("country", "C\x00A")]))
    assert len(search.q) == MAX_QUERY
    assert search.filters == {"country": ["C A"]}


@pytest.mark.parametrize(
    ("args", "bad"),
    [
        ({"status": "bogus"}, "status"),
        ({"relevant": "maybe"}, "relevant"),
        ({"sort": "random"}, "sort"),
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"per_page": "-5"}, "per_page"),
        ({"posted_since": "yesterday"}, "posted_since"),
    ],
)
def test_bad_values_fall_back_leniently_and_are_named_strictly(args, bad):
    search = search_request(MultiDict(args))
    assert search.status == "open" and search.page == 1 and search.per_page == 20
    with pytest.raises(ParameterError) as info:
        search_request(MultiDict(args), strict=True)
    assert list(info.value.errors) == [bad]


def test_too_large_numbers_are_clamped():
    search = search_request(
        MultiDict([("per_page", "100000"), ("page", "99999999999")]), strict=True
    )
    assert search.per_page == MAX_PER_PAGE and search.page == 10_000
