"""Institutions: canonical names, slugs, types and sectors."""

from __future__ import annotations

import pytest

from board.normalize.institution import canonical_institution, parent_and_unit


@pytest.mark.parametrize(
    ("posted", "canonical"),
    [
        ("Argonne National Laboratories", "Argonne National Laboratory"),
        ("Argonne National Laboratory", "Argonne National Laboratory"),
        ("GDIT", "General Dynamics Information Technology"),
        ("General Dynamics Information Technology", "General Dynamics Information Technology"),
        ("JP Morgan & Chase Co", "JPMorgan Chase"),
        ("JP Morgan Chase & Co", "JPMorgan Chase"),
        ("The Hospital for Sick Children", "Hospital for Sick Children"),
        ("The Francis Crick Institute", "Francis Crick Institute"),
        ("SunnyBrook Health Sciences Centre", "Sunnybrook Health Sciences Centre"),
        ("Roswell Park Comprehensive Cancer CEnter", "Roswell Park Comprehensive Cancer Center"),
        ("University of Nevada, Los Vegas", "University of Nevada, Las Vegas"),
        ("University of Massachusetts, Amherst", "University of Massachusetts Amherst"),
        ("University of Wisconsin at Madison", "University of Wisconsin–Madison"),
        ("Hewlett Packard Enterprises", "Hewlett Packard Enterprise"),
        ("Penn State", "Pennsylvania State University"),
        ("PSIRCH (recruiter)", "PSIRCH"),
    ],
)
def test_variants_share_one_canonical_name_and_slug(posted: str, canonical: str) -> None:
    got = canonical_institution(posted)
    assert got.name == canonical
    assert got.slug == canonical_institution(canonical).slug


def test_rules_merge_variants_missing_from_the_alias_table() -> None:
    a = canonical_institution("The Example Computing Labs, Inc.")
    b = canonical_institution("Example Computing Laboratory")
    assert a.slug == b.slug == "example-computing-laboratory"


def test_berkeley_lab_is_not_uc_berkeley() -> None:
    lab = canonical_institution("Berkeley Lab")
    campus = canonical_institution("UC Berkeley")
    assert lab.name == "Lawrence Berkeley National Laboratory"
    assert campus.name == "University of California, Berkeley"
    assert lab.slug != campus.slug
    assert (lab.type, campus.type) == ("national_lab", "university")


@pytest.mark.parametrize(
    ("name", "kind", "sector"),
    [
        ("McMaster University", "university", "academia"),
        ("Colby College", "university", "academia"),
        ("Oak Ridge National Laboratory", "national_lab", "public_sector"),
        ("Tampa General Hospital", "hospital", "public_sector"),
        ("Cleveland Clinic", "hospital", "public_sector"),
        ("Vector Institute", "research_institute", "academia"),
        ("Texas Advanced Computing Center", "research_institute", "academia"),
        ("Alpine Research Computing Centre", "research_institute", "academia"),
        ("Pittsburgh Supercomputing Center", "research_institute", "academia"),
        ("National Center for Supercomputing Applications", "research_institute", "academia"),
        ("US Department of Homeland Security", "government", "public_sector"),
        ("Digital Research Alliance of Canada", "nonprofit", "nonprofit"),
        ("Missouri Botanical Garden", "nonprofit", "nonprofit"),
        ("NVIDIA", "company", "industry"),
        ("Avidity Biosciences", "company", "industry"),
        ("Quantum Computing Inc", "company", "industry"),
        ("Discover International (Recruiter)", "company", "industry"),
    ],
)
def test_type_and_sector(name: str, kind: str, sector: str) -> None:
    got = canonical_institution(name)
    assert (got.type, got.sector) == (kind, sector)


def test_unknown_names_get_no_guessed_type() -> None:
    got = canonical_institution("Zqxw")
    assert (got.name, got.type, got.sector) == ("Zqxw", None, None)


@pytest.mark.parametrize(
    ("posted", "parent", "unit"),
    [
        ("Office of Research Computing and Data, MIT", "Massachusetts Institute of Technology",
         "Office of Research Computing and Data"),
        ("MIT ORCD", "Massachusetts Institute of Technology",
         "Office of Research Computing and Data"),
        ("Rutgers OARC", "Rutgers University", "Office of Advanced Research Computing"),
        ("Rutgers, The State University of New Jersey - Office of Advanced Research Computing",
         "Rutgers University", "Office of Advanced Research Computing"),
        ("CU Boulder Research Computing", "University of Colorado Boulder", "Research Computing"),
        ("Research Computing, University of Colorado Boulder", "University of Colorado Boulder",
         "Research Computing"),
        ("EMBL-EBI, UK", "European Molecular Biology Laboratory", "EMBL-EBI"),
        ("Department of Physics, University of Oxford", "University of Oxford",
         "Department of Physics"),
    ],
)  # fmt: skip
def test_units_fold_into_their_parent(posted: str, parent: str, unit: str) -> None:
    got = canonical_institution(posted)
    assert (got.name, got.unit) == (parent, unit)
    assert got.slug == canonical_institution(parent).slug
    assert got.type != "government" and got.type != "company"


def test_four_spellings_of_texas_a_and_m_hprc_give_one_slug() -> None:
    spellings = [
        "Texas A&M HPRC",
        "Texas A&M University High Performance Research Computing",
        "High Performance Research Computing, Texas A&M University",
        "TAMU - HPRC",
    ]
    got = {canonical_institution(s) for s in spellings}
    assert {(g.name, g.slug, g.unit) for g in got} == {
        ("Texas A&M University", "texas-a-and-m-university", "High Performance Research Computing")
    }
    assert {g.type for g in got} == {"university"}


@pytest.mark.parametrize(
    ("posted", "canonical", "kind", "country"),
    [
        ("Baylor College of Medicine (BCM)", "Baylor College of Medicine", "university", "US"),
        ("Universtity of Cambridge", "University of Cambridge", "university", "GB"),
        ("Sutter Health", "Sutter Health", "hospital", "US"),
        ("Durham University", "Durham University", "university", "GB"),
        ("McGill University", "McGill University", "university", "CA"),
        ("Princeton University, Princeton, NJ", "Princeton University", "university", "US"),
    ],
)
def test_acronyms_typos_and_types_from_the_table(
    posted: str, canonical: str, kind: str, country: str
) -> None:
    got = canonical_institution(posted)
    assert (got.name, got.type, got.country) == (canonical, kind, country)
    assert got.slug == canonical_institution(canonical).slug


@pytest.mark.parametrize(
    ("posted", "not_this"),
    [
        ("University of Alaska", "University of Alabama"),
        ("Washington University in St. Louis", "University of Washington"),
        ("University of Georgia", "Georgia Institute of Technology"),
    ],
)
def test_fuzzy_matching_never_picks_a_different_institution(posted: str, not_this: str) -> None:
    assert canonical_institution(posted).name != not_this


def test_a_centre_keeps_its_name_and_names_its_parent() -> None:
    tacc = canonical_institution("TACC")
    assert (tacc.name, tacc.type) == ("Texas Advanced Computing Center", "research_institute")
    assert tacc.parent_slug == canonical_institution("UT Austin").slug


def test_parent_and_unit_answers_for_the_hierarchy() -> None:
    assert parent_and_unit("MIT ORCD") == (
        "massachusetts-institute-of-technology",
        "Office of Research Computing and Data",
    )
    assert parent_and_unit("Massachusetts Institute of Technology") == (
        "massachusetts-institute-of-technology",
        None,
    )
    assert parent_and_unit("TACC") == (
        "university-of-texas-austin",
        "Texas Advanced Computing Center",
    )
    assert parent_and_unit("Zqxw") == ("zqxw", None)


def test_the_table_is_well_formed() -> None:
    import json
    from importlib import resources

    from board.normalize.institution import INSTITUTION_TYPES, institution_key

    data = json.loads(resources.files("board").joinpath("data", "institutions.json").read_text())
    entries = data["institutions"]
    assert len(entries) >= 600
    names = {institution_key(e["name"]) for e in entries}
    assert len(names) == len(entries)
    for entry in entries:
        assert entry["type"] in INSTITUTION_TYPES, entry
        assert entry.get("country") is None or len(entry["country"]) == 2
        if "parent" in entry:
            assert institution_key(entry["parent"]) in names


def test_an_unknown_institution_keeps_one_slug_whatever_place_follows() -> None:
    plain = canonical_institution("Acme Research Labs")
    for posted in ("Acme Research Labs, Boston, MA", "Acme Research Labs, UK"):
        assert canonical_institution(posted).slug == plain.slug


def test_a_campus_after_a_comma_is_kept() -> None:
    assert canonical_institution("University of Nowhere, Omaha").name == (
        "University of Nowhere, Omaha"
    )
