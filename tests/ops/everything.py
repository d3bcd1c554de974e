"""A database with at least one row in every table, with awkward values (for export tests)."""

from __future__ import annotations

from datetime import date, datetime

from board.accounts.models import Editor
from board.alerts.models import Alert, AlertDelivery
from board.audit import AuditEntry
from board.decisions import ReviewDecision
from board.ingest import Ingest, RawRecord, SourceInfo
from board.models import CrawlRun, InstitutionAlias, Posting
from board.newsletter.models import Highlight, Issue
from board.scheduling.models import HostLease, SourceLease
from board.services import Board
from board.submissions.models import Submission

RAW = [
    {
        "title": "Director of Research Computing",
        "institution": "McMaster University",
        "location": "Hamilton ON CA",
        "description": "<p>Lead the HPC team. Salary 120,000–150,000 CAD.</p>",
        "url": "https://careers.example.edu/jobs/1",
        "salary": "$120,000 - $150,000 CAD per year",
    },
    {
        "title": "Manager, Research Software Engineering — Équipe « données »",
        "institution": "Université de Montréal",
        "location": "Montréal QC CA",
        "description": '<p>Diriger une équipe 🧪 de six personnes; quotes "here" and \\ too.</p>',
        "url": "https://careers.example.edu/jobs/2",
    },
    {
        "title": "Head of Research Data Services",
        "institution": "University of Oxford",
        "location": "Oxford UK",
        "description": "<p>Run research data services.</p>",
        "url": "https://careers.example.edu/jobs/3",
    },
]


def fill(board: Board) -> list[str]:
    """Store postings through ingest and one row of every other kind; the postings' ids."""
    records = [RawRecord(raw, n) for n, raw in enumerate(RAW, start=1)]
    outcomes = Ingest(board, index_every=None).batch(records, SourceInfo("everything"))
    ids = [o.public_id for o in outcomes if o.public_id]
    at = datetime(2026, 3, 2, 12, 30, 15, 123456)
    with board.session() as session:
        posting = session.query(Posting).filter_by(public_id=ids[0]).one()
        editor = Editor(email="editor@example.org", password_hash="scrypt:xyz", created_at=at)
        session.add(editor)
        session.flush()
        session.add(
            CrawlRun(
                source_id="everything",
                started_at=at,
                finished_at=at,
                pages=3,
                items=3,
                outcome="success",
                complete=True,
                stats={"rcjobs/failed/x": 0, "nested": {"a": [1, 2.5, None, True]}},
            )
        )
        session.add(
            AuditEntry(at=at, editor_id=editor.id, actor=editor.email, action="hide", target="x")
        )
        session.add(
            Submission(
                token_hash="t" * 64,
                nonce="n" * 32,
                title="Team Lead, Research Cloud",
                institution="NREL",
                location="Golden CO US",
                url="https://example.org/job",
                description="Lead the cloud team.\nSecond line.",
                closes_on=date(2026, 12, 31),
                contact_name="Ada",
                contact_email="ada@example.org",
                normalized={"title": "Team Lead, Research Cloud", "score": 0.75},
                created_at=at,
                updated_at=at,
                decided_by=editor.id,
                posting_id=posting.id,
            )
        )
        issue = Issue(number=200, issued_on=date(2026, 3, 6), created_at=at)
        session.add(issue)
        session.flush()
        session.add(
            Highlight(
                issue_id=issue.id,
                posting_id=posting.id,
                public_id=posting.public_id,
                title=posting.title,
                institution=posting.institution_name,
                blurb="A *good* one.",
            )
        )
        alert = Alert(email="seeker@example.org", token_hash="a" * 64, query="q=hpc", created_at=at)
        session.add(alert)
        session.flush()
        session.add(AlertDelivery(alert_id=alert.id, posting_id=posting.id, created_at=at))
        session.add(
            SourceLease(source_id="everything", holder="worker-1:42", expires_at=at, acquired_at=at)
        )
        session.add(
            HostLease(
                host="careers.example.edu",
                holder="worker-1:42",
                expires_at=at,
                acquired_at=at,
                source_id="everything",
            )
        )
        session.add(
            ReviewDecision(
                posting_id=posting.id,
                editor_id=editor.id,
                actor=editor.email,
                decision="pick",
                issue_number=200,
                at=at,
            )
        )
        session.add(
            InstitutionAlias(
                slug="mcmaster-rc",
                institution_id=posting.institution_id,
                unit_slug="research-computing",
                created_at=at,
            )
        )
    return ids
