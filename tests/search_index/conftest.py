"""Fixtures for search_index: a dozen hand-written postings with fixed dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from search_index import SearchIndex


def posting(ident: str, title: str, **extra: Any) -> dict[str, Any]:
    """A posting document with sensible defaults."""
    doc: dict[str, Any] = {
        "id": ident,
        "title": title,
        "institution": "McMaster University",
        "institution_slug": "mcmaster",
        "description": f"{title}. We are hiring for our research computing group.",
        "summary": f"{title} at a research university.",
        "location_display": "Hamilton ON CA",
        "location_text": "Hamilton ON Canada",
        "countries": ["CA"],
        "regions": ["CA-ON"],
        "cities": ["Hamilton"],
        "role": "director",
        "technical": ["hpc"],
        "sector": "academic",
        "institution_type": "university",
        "remote": "onsite",
        "status": "open",
        "relevant": True,
        "score": 0.9,
        "posted_on": date(2026, 1, 10),
        "closes_on": date(2026, 2, 10),
        "updated_at": datetime(2026, 1, 10, 12, 0),
    }
    doc.update(extra)
    return doc


def sample_postings() -> list[dict[str, Any]]:
    """The shared corpus: open/closed, relevant/not, three countries, several roles."""
    return [
        posting(
            "a1",
            "Director, Research Computing",
            description="Lead the high performance computing team and the Slurm cluster.",
            summary="Lead HPC <services> & the cluster team.",
            posted_on=date(2026, 1, 12),
            closes_on=date(2026, 3, 1),
        ),
        posting(
            "a2",
            "Manager, Research Software Engineering",
            description="Manage research software engineers writing Python and C++.",
            summary="Manage a team of research software engineers.",
            role="manager",
            technical=["software"],
            posted_on=date(2026, 1, 5),
            closes_on=date(2026, 1, 20),
        ),
        posting(
            "a3",
            "HPC Team Lead",
            institution="University of Toronto",
            institution_slug="utoronto",
            description="Run HPC systems, GPU nodes and parallel file systems.",
            summary="Lead the HPC systems team in Toronto.",
            location_display="Toronto ON CA",
            location_text="Toronto ON Canada",
            cities=["Toronto"],
            role="lead",
            posted_on=date(2026, 1, 8),
            closes_on=None,
        ),
        posting(
            "a4",
            "Director of Machine Learning Platforms",
            institution="Oak Ridge National Laboratory",
            institution_slug="ornl",
            institution_type="national_lab",
            sector="government",
            description="Build AI infrastructure and machine learning platforms for science.",
            summary="Machine learning platforms for science.",
            location_display="Oak Ridge TN USA",
            location_text="Oak Ridge TN United States",
            countries=["US"],
            regions=["US-TN"],
            cities=["Oak Ridge"],
            technical=["ml", "hpc"],
            remote="hybrid",
            posted_on=date(2026, 1, 14),
            closes_on=date(2026, 2, 1),
        ),
        posting(
            "a5",
            "Research Software Engineer Lead",
            institution="University of Oxford",
            institution_slug="oxford",
            description="RSE team lead for the Oxford research software engineering group.",
            summary="Lead RSEs in Oxford.",
            location_display="Oxford UK",
            location_text="Oxford England United Kingdom",
            countries=["GB"],
            regions=["GB-ENG"],
            cities=["Oxford"],
            role="lead",
            technical=["software"],
            remote="remote",
            posted_on=date(2025, 12, 20),
            closes_on=date(2026, 1, 31),
        ),
        posting(
            "a6",
            "Associate Director, Data Science",
            institution="Harvard University",
            institution_slug="harvard",
            description="Data science and statistics consulting for researchers.",
            summary="Data science consulting.",
            location_display="Cambridge MA USA",
            location_text="Cambridge MA United States",
            countries=["US"],
            regions=["US-MA"],
            cities=["Cambridge"],
            technical=["data"],
            posted_on=date(2026, 1, 1),
            closes_on=None,
        ),
        posting(
            "c1",
            "Director, Advanced Research Computing",
            status="closed",
            description="A closed posting about supercomputing.",
            summary="Closed supercomputing director job.",
            posted_on=date(2025, 6, 1),
            closes_on=date(2025, 7, 1),
        ),
        posting(
            "c2",
            "HPC Systems Manager",
            status="closed",
            role="manager",
            institution="University of Toronto",
            institution_slug="utoronto",
            posted_on=date(2025, 5, 1),
            closes_on=date(2025, 6, 1),
        ),
        posting(
            "n1",
            "Administrative Assistant",
            relevant=False,
            role="other",
            technical=[],
            description="Schedule meetings for the research computing director.",
            summary="Administrative support.",
            posted_on=date(2026, 1, 11),
            closes_on=None,
        ),
    ]


@pytest.fixture
def docs() -> list[dict[str, Any]]:
    """Fresh copies of the sample postings."""
    return sample_postings()


@pytest.fixture
def index(tmp_path: Path, docs: list[dict[str, Any]]) -> SearchIndex:
    """An index built from the sample postings."""
    ix = SearchIndex(tmp_path / "index")
    ix.rebuild(docs, total=len(docs), watermark=9)
    return ix
