"""Seed a Board with a small, realistic set of postings (shared by the web and browser tests)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from board import indexing, postings
from board.services import Board
from tests.records import upsert

SEEN = datetime(2026, 3, 2, 12, 0, 0)
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'

INSTITUTIONS = {
    "mcmaster": ("McMaster University", "mcmaster-university", "university", "academia"),
    "mines": ("Colorado School of Mines", "colorado-school-of-mines", "university", "academia"),
    "oxford": ("University of Oxford", "university-of-oxford", "university", "academia"),
    "nrel": ("National Renewable Energy Laboratory", "nrel", "national_lab", "government"),
}


def record(key: str, title: str, institution: str = "mcmaster", **extra: Any) -> dict[str, Any]:
    """A normalized record as the normalizer produces it."""
    name, slug, kind, sector = INSTITUTIONS[institution]
    text = extra.pop("text", f"{title}. Lead a team that runs research computing services.")
    base = {
        "title": title,
        "institution": name,
        "institution_slug": slug,
        "institution_type": kind,
        "sector": sector,
        "locations": [{"city": "Hamilton", "region": "ON", "country": "CA"}],
        "remote": "onsite",
        "location_display": "Hamilton ON CA",
        "role": "director",
        "technical": ["hpc"],
        "relevant": True,
        "score": 0.9,
        "reasons": ["a research computing leadership title"],
        "salary": {"min": 120000, "max": 150000, "currency": "CAD", "period": "year"},
        "posted_on": "2026-03-01",
        "closes_on": "2026-12-31",
        "employment_type": "full_time",
        "summary": text,
        "description_html": f"<p>{text}</p><ul><li>Budget</li><li>People</li></ul>",
        "description_text": f"{text} Budget People",
        "url": f"https://careers.example.edu/jobs/{key}",
    }
    base.update(extra)
    return base


def standard_records() -> dict[str, dict[str, Any]]:
    """The named postings most tests use."""
    return {
        "director": record("director", "Director of Research Computing"),
        "hpc_manager": record(
            "hpc_manager",
            "Manager, HPC Operations",
            "mines",
            locations=[{"city": "Golden", "region": "CO", "country": "US"}],
            location_display="Golden CO USA",
            role="manager",
            salary={"min": 110000, "max": 140000, "currency": "USD", "period": "year"},
            posted_on="2026-02-20",
            closes_on="2026-04-15",
            text="Manage the high performance computing operations group and its clusters.",
        ),
        "rse_head": record(
            "rse_head",
            "Head of Research Software Engineering",
            "oxford",
            locations=[{"city": "Oxford", "region": "OXF", "country": "GB"}],
            location_display="Oxford UK",
            role="lead",
            technical=["rse"],
            salary={"min": 60000, "max": 70000, "currency": "GBP", "period": "year"},
            posted_on="2026-02-25",
            closes_on="2026-03-30",
            text="Head the research software engineering group of twelve engineers.",
        ),
        "remote_lead": record(
            "remote_lead",
            "Research Data Team Lead",
            "nrel",
            locations=[{"city": None, "region": None, "country": "US"}],
            location_display="Remote USA",
            remote="remote",
            role="lead",
            technical=["data"],
            salary=None,
            posted_on="2026-03-05",
            closes_on=None,
            employment_type="contract",
            text="Lead the research data team, fully remote within the United States.",
        ),
        "closed": record(
            "closed",
            "Associate Director, Research Cloud",
            posted_on="2026-01-10",
            closes_on="2026-02-10",
            text="Run the research cloud platform and its team.",
        ),
        "not_relevant": record(
            "not_relevant",
            "Payroll Clerk",
            relevant=False,
            role="other",
            technical=[],
            score=0.05,
            text="Process payroll for the finance office.",
        ),
        "hidden": record("hidden", "Hidden Director of Computing", text="Hidden from everyone."),
    }


def xss_record() -> dict[str, Any]:
    """A posting whose every text field tries to inject markup."""
    return record(
        "xss",
        f"{XSS} Lead",
        "mines",
        locations=[{"city": "Golden", "region": "CO", "country": "US"}],
        location_display=f"{XSS}Golden",
        summary=f"{XSS} research computing team",
        description_html=f'<p>Safe paragraph</p>{XSS}<a href="javascript:alert(2)">x</a>',
        description_text="Safe paragraph research computing team",
        url="javascript:alert(3)",
        posted_on="2026-02-01",
    )


def seed(
    board: Board, records: dict[str, dict[str, Any]] | None = None, extra: int = 0
) -> dict[str, str]:
    """Store the records (plus `extra` filler postings), close/hide the named ones, index all."""
    records = dict(standard_records() if records is None else records)
    for n in range(extra):
        records[f"filler{n:02d}"] = record(
            f"filler{n:02d}",
            f"Senior Research Software Engineer {n:02d}",
            "oxford",
            locations=[{"city": "Oxford", "region": "OXF", "country": "GB"}],
            location_display="Oxford UK",
            role="senior",
            technical=["rse"],
            posted_on=f"2026-01-{n % 28 + 1:02d}",
            text=f"Senior engineer number {n} building research software.",
        )
    ids: dict[str, str] = {}
    with board.session() as session:
        postings.ensure_source(
            session, "test", "Test source", "jsonld", "https://careers.example.edu/"
        )
        for key, rec in records.items():
            raw = {"title": rec["title"], "institution": rec["institution"], "key": key}
            posting = upsert(session, rec, raw, "test", key, now=SEEN).posting
            if key == "closed":
                postings.close_posting(session, posting, now=datetime(2026, 2, 11, 9, 0, 0))
            if key == "hidden":
                posting.hidden = True
            ids[key] = posting.public_id
    indexing.rebuild(board)
    return ids
