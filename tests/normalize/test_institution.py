"""Institutions: canonical names, slugs, types and sectors."""

from __future__ import annotations

import pytest

from board.normalize.institution import canonical_institution


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
