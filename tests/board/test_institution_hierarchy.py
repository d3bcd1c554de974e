"""Institutions as a hierarchy in storage, through the one ingest path and the real normalizer:
units folded into their parent institution (the posting keeps the unit), centres pointing at
theirs, one slug for every spelling, types and countries from the curated table; stored rows
normalized again fold their old sub-unit institutions into the parents, old slugs kept."""

from __future__ import annotations

from datetime import datetime

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from board import indexing, institutions, postings
from board.cli import main
from board.ingest import Ingest, RawRecord, SourceInfo
from board.models import Institution, InstitutionAlias, Posting
from board.record import NormalizedRecord
from search_index import SearchRequest
from tests.records import raw, record, upsert

MIT = "massachusetts-institute-of-technology"
ORCD = "Office of Research Computing and Data"
DESCRIPTION = (
    "<p>Lead the research computing team: run the HPC clusters, manage the research software "
    "engineers and set the strategy for research computing services.</p>"
)


TITLES = (
    "Director of Research Computing",
    "Manager, HPC Operations",
    "Head of Research Software Engineering",
    "Associate Director, Research Cloud",
    "Director, Research Data Services",
)


def posting_raw(key: str, institution: str, location: str = "", n: int = 0) -> dict:
    """A raw record of a research computing leadership posting at `institution`."""
    return {
        "title": TITLES[n % len(TITLES)],
        "institution": institution,
        "location": location,
        "description": DESCRIPTION,
        "url": f"https://jobs.example.edu/{key}",
        "source_id": key,
    }


def ingest(board, rows: dict[str, tuple[str, str]]) -> dict[str, str]:
    """Ingest one posting per (institution, location); key -> public id."""
    records = [
        RawRecord(posting_raw(key, name, where, n), key)
        for n, (key, (name, where)) in enumerate(rows.items())
    ]
    outcomes = Ingest(board).batch(records, SourceInfo(id="test"))
    assert not [o.reason for o in outcomes if o.failed]
    return {str(o.ref): str(o.public_id) for o in outcomes}


def stored(board, public_id: str) -> tuple[Posting, Institution]:
    with board.read_session() as session:
        posting = session.scalar(select(Posting).where(Posting.public_id == public_id))
        assert posting is not None and posting.institution is not None
        inst = posting.institution
        _ = inst.parent  # loaded while the session is open
        return posting, inst


UNITS = {
    "orcd": ("MIT ORCD", "Cambridge, MA", MIT, ORCD),
    "orcd2": ("Office of Research Computing and Data, MIT", "", MIT, ORCD),
    "oarc": (
        "Rutgers OARC",
        "Piscataway, NJ",
        "rutgers-university",
        "Office of Advanced Research Computing",
    ),
    "curc": (
        "CU Boulder Research Computing",
        "Boulder, CO",
        "university-of-colorado-boulder",
        "Research Computing",
    ),
    "ebi": ("EMBL-EBI, UK", "Hinxton, UK", "european-molecular-biology-laboratory", "EMBL-EBI"),
}


def test_units_are_stored_under_their_parent_institution(any_board):
    ids = ingest(any_board, {key: (name, where) for key, (name, where, *_) in UNITS.items()})
    for key, (_, _, slug, unit) in UNITS.items():
        posting, inst = stored(any_board, ids[key])
        assert (inst.slug, posting.unit) == (slug, unit), key
        assert inst.type in ("university", "research_institute"), key
        assert posting.unit_slug and posting.institution_name == inst.name
    _, mit = stored(any_board, ids["orcd"])
    assert (mit.name, mit.type, mit.country, mit.parent) == (
        "Massachusetts Institute of Technology",
        "university",
        "US",
        None,
    )
    _, embl = stored(any_board, ids["ebi"])
    assert embl.country == "DE"  # the unit's country (UK) is not its institution's
    with any_board.read_session() as session:
        slugs = set(session.scalars(select(Institution.slug)))
    assert slugs == {slug for _, _, slug, _ in UNITS.values()}


def test_four_spellings_of_texas_a_and_m_hprc_are_one_institution(any_board):
    spellings = [
        "Texas A&M HPRC",
        "Texas A&M University High Performance Research Computing",
        "High Performance Research Computing, Texas A&M University",
        "TAMU - HPRC",
    ]
    ids = ingest(
        any_board, {f"hprc{n}": (s, "College Station, TX") for n, s in enumerate(spellings)}
    )
    assert len(set(ids.values())) == 4  # four postings (distinct titles), one institution
    got = {stored(any_board, pid)[1].slug for pid in ids.values()}
    units = {stored(any_board, pid)[0].unit for pid in ids.values()}
    assert got == {"texas-a-and-m-university"}
    assert units == {"High Performance Research Computing"}
    with any_board.read_session() as session:
        assert session.scalars(select(Institution.slug)).all() == ["texas-a-and-m-university"]


@pytest.mark.parametrize(
    ("posted", "slug", "kind", "country"),
    [
        ("Baylor College of Medicine (BCM)", "baylor-college-of-medicine", "university", "US"),
        ("Universtity of Cambridge", "university-of-cambridge", "university", "GB"),
        ("Sutter Health", "sutter-health", "hospital", "US"),
    ],
)
def test_acronyms_typos_and_types_reach_the_stored_institution(board, posted, slug, kind, country):
    ids = ingest(board, {"one": (posted, "")})
    posting, inst = stored(board, ids["one"])
    assert (inst.slug, inst.type, inst.country, posting.unit) == (slug, kind, country, None)


def test_a_centre_is_an_institution_of_its_own_under_its_parent(any_board):
    ids = ingest(any_board, {"tacc": ("TACC", "Austin, TX"), "ut": ("UT Austin", "Austin, TX")})
    _, tacc = stored(any_board, ids["tacc"])
    _, ut = stored(any_board, ids["ut"])
    assert tacc.slug == "texas-advanced-computing-center"
    assert tacc.parent is not None and tacc.parent.slug == ut.slug == "university-of-texas-austin"
    assert (tacc.parent.name, tacc.parent.type) == ("University of Texas at Austin", "university")
    assert tacc.facet_slugs == [tacc.slug, ut.slug]


def test_a_centre_named_first_creates_its_parent_from_the_table(board):
    ids = ingest(board, {"tacc": ("Texas Advanced Computing Center", "Austin, TX")})
    _, tacc = stored(board, ids["tacc"])
    assert tacc.parent is not None
    assert (tacc.parent.name, tacc.parent.country) == ("University of Texas at Austin", "US")


OLD = {  # what the normalizer before the curated table stored: a sub-unit as an institution
    "orcd": ("MIT ORCD", "mit-orcd", "government"),
    "oarc": ("Rutgers OARC", "rutgers-oarc", "company"),
    "curc": ("CU Boulder Research Computing", "cu-boulder-research-computing", "company"),
}


def _store_as_before(board) -> dict[str, str]:
    ids = {}
    with board.session() as session:
        postings.ensure_source(session, "old-crawl", "", "import", "https://jobs.example.edu/")
        for key, (name, slug, kind) in OLD.items():
            result = upsert(
                session,
                record(institution=name, institution_slug=slug, institution_type=kind),
                raw(institution=name, description=DESCRIPTION),
                "old-crawl",
                key,
                now=datetime(2026, 3, 1, 12, 0),
            )
            ids[key] = result.posting.public_id
    indexing.catch_up(board)
    return ids


def test_normalizing_stored_postings_folds_old_sub_units_into_their_parents(any_board):
    ids = _store_as_before(any_board)
    assert stored(any_board, ids["orcd"])[1].slug == "mit-orcd"
    result = CliRunner().invoke(main, ["normalize", "--stored"])
    assert result.exit_code == 0, result.output
    assert "3 changed" in result.output and "3 institution(s) folded" in result.output
    assert "index up to date" in result.output

    expected = {
        "orcd": (MIT, ORCD, "university"),
        "oarc": ("rutgers-university", "Office of Advanced Research Computing", "university"),
        "curc": ("university-of-colorado-boulder", "Research Computing", "university"),
    }
    for key, (slug, unit, kind) in expected.items():
        posting, inst = stored(any_board, ids[key])
        assert (inst.slug, posting.unit, inst.type) == (slug, unit, kind), key
    with any_board.read_session() as session:
        slugs = set(session.scalars(select(Institution.slug)))
        aliases = {
            a.slug: (a.institution.slug, a.unit_slug)
            for a in session.scalars(select(InstitutionAlias))
        }
    assert not slugs & {"mit-orcd", "rutgers-oarc", "cu-boulder-research-computing"}
    assert aliases["mit-orcd"] == (MIT, "office-of-research-computing-and-data")
    assert aliases["rutgers-oarc"][0] == "rutgers-university"

    # the index follows: MIT's facet counts the ORCD posting, the old slug counts nothing
    found = any_board.index.search(SearchRequest(filters={"institution": [MIT]}))
    assert [hit.id for hit in found.hits] == [ids["orcd"]]
    assert found.hits[0].unit == ORCD
    assert any_board.index.search(SearchRequest(filters={"institution": ["mit-orcd"]})).total == 0

    again = CliRunner().invoke(main, ["normalize", "--stored"])
    assert again.exit_code == 0 and "0 changed" in again.output  # a second pass changes nothing


def test_an_institution_is_not_folded_while_it_has_postings(board):
    ids = _store_as_before(board)
    with board.session() as session:  # a second posting at the old sub-unit, still unchanged
        upsert(
            session,
            record("Manager, HPC", institution="MIT ORCD", institution_slug="mit-orcd"),
            raw("Manager, HPC", institution="MIT ORCD"),
            "old-crawl",
            "second",
        )
    with board.session() as session:
        posting = session.scalar(select(Posting).where(Posting.public_id == ids["orcd"]))
        new = NormalizedRecord.from_dict(
            record(institution="Massachusetts Institute of Technology", institution_slug=MIT)
        )
        institutions.reassign(session, posting, new)
        session.flush()
        assert session.scalar(select(Institution).where(Institution.slug == "mit-orcd"))
        assert session.get(InstitutionAlias, "mit-orcd") is None
