"""Schema and document conversion."""

from __future__ import annotations

from datetime import date

from search_index.schema import (
    FACETS,
    PHRASE_FIELDS,
    POSITION_FIELDS,
    TEXT_FIELDS,
    is_live,
    make_schema,
    pair_field,
    to_fields,
)
from tests.search_index.conftest import posting


def test_schema_has_text_pair_and_facet_fields() -> None:
    schema = make_schema()
    for name in TEXT_FIELDS:
        assert name in schema.names()
        assert (pair_field(name) in schema.names()) == (name in PHRASE_FIELDS)
        # Short fields answer phrases from term pairs, descriptions from word positions.
        assert schema[name].format.supports("positions") == (name in POSITION_FIELDS)
    assert POSITION_FIELDS == ("description",)
    for _, field in FACETS.values():
        assert field in schema.names()
    assert schema["doc"].stored
    assert schema["id"].unique


def test_to_fields_keeps_display_fields_small() -> None:
    fields = to_fields(posting("x1", "HPC Director", description="long " * 500))
    stored = fields["doc"]
    assert stored["id"] == "x1"
    assert stored["posted_on"] == "2026-01-10"
    assert "description" not in stored
    assert fields["posted"] == date(2026, 1, 10).toordinal()
    assert fields["f_country"] == ["CA"]
    assert fields["f_relevant"] == ["true"]
    assert fields["title"] == "HPC Director"


def test_salary_fields_of_a_document() -> None:
    salary = {"min": 100000, "max": 120000, "currency": "CAD", "period": "year"}
    fields = to_fields(
        posting("x3", "Lead", salary=salary, salary_stated=True, salary_usd_year=87600)
    )
    assert fields["f_salary"] == ["stated"]
    assert fields["salary_usd"] == 87600
    assert fields["doc"]["salary"] == salary
    bare = to_fields(posting("x4", "Lead"))
    assert bare["f_salary"] == ["not_stated"] and bare["salary_usd"] == 0
    assert bare["doc"]["salary"] is None
    assert bare["doc"]["location_label"] == "Hamilton ON CA"  # the display when no label


def test_missing_optional_values() -> None:
    fields = to_fields(posting("x2", "Lead", closes_on=None, remote=None, sector=None))
    assert fields["closes"] == 0
    assert "f_remote" not in fields
    assert "f_sector" not in fields


def test_live_partition() -> None:
    assert is_live(posting("x", "t"))
    assert not is_live(posting("x", "t", status="closed"))
    assert not is_live(posting("x", "t", relevant=False))


def test_an_index_of_an_older_schema_asks_for_a_rebuild(tmp_path) -> None:
    from search_index import SearchIndex

    ix = SearchIndex(tmp_path / "index")
    ix.rebuild([posting("x5", "Lead")], total=1)
    assert ix.exists()
    generation = ix.layout.current()
    meta = ix.layout.read_meta(generation)
    ix.layout.write_meta(generation, {k: v for k, v in meta.items() if k != "schema"})
    assert not ix.exists()  # board.indexing.catch_up then rebuilds it
    assert ix.outdated()
