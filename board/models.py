"""SQLAlchemy models: institutions, sources, postings, their source links, the change log, runs."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from board.places import location_label
from board.summaries import card_summary

# Posting and link states.
OPEN = "open"
CLOSED = "closed"
STATUSES = (OPEN, CLOSED)

# Crawl outcomes.
RUN_RUNNING = "running"
RUN_SUCCESS = "success"
RUN_PARTIAL = "partial"  # the listing was not walked completely: closes nothing
RUN_SUSPICIOUS = "suspicious"  # far fewer items than recent runs: closes nothing, flagged
RUN_FAILED = "failed"
RUN_INTERRUPTED = "interrupted"  # its process died mid-run: closes nothing

# Kinds of posting change in the change log.
CHANGE_NEW = "new"
CHANGE_UPDATE = "update"
CHANGE_MERGE = "merge"
CHANGE_REOPEN = "reopen"
CHANGE_CLOSE = "close"
CHANGE_EXPIRE = "expire"
CHANGE_HIDE = "hide"
CHANGE_UNHIDE = "unhide"
CHANGE_CORRECT = "correct"
CHANGE_SPLIT = "split"
CHANGE_BACKFILL = "backfill"  # written once by the migration for postings stored before the log

#: A change-log id: BIGINT on PostgreSQL, SQLite's INTEGER PRIMARY KEY (its rowid) there.
ChangeId = BigInteger().with_variant(Integer, "sqlite")

_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


def new_public_id() -> str:
    """A short, unguessable, URL-safe id that a posting keeps forever."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(10))


class Base(DeclarativeBase):
    """Declarative base of every rcjobs table."""

    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Institution(Base):
    """A canonical employer: its slug is its permanent page.

    A centre that keeps its own name (TACC) points at the institution it belongs to (the
    University of Texas at Austin) through `parent`; offices folded into an institution (MIT's
    "Office of Research Computing and Data") are no rows of their own but each posting's `unit`.
    """

    __tablename__ = "institutions"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(300))
    type: Mapped[str | None] = mapped_column(String(40))
    sector: Mapped[str | None] = mapped_column(String(40))
    #: ISO 3166-1 alpha-2, from the curated table.
    country: Mapped[str | None] = mapped_column(String(2))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)

    postings: Mapped[list[Posting]] = relationship(back_populates="institution")
    # Loaded with the institution (a few levels at most): documents and pages need the chain.
    parent: Mapped[Institution | None] = relationship(
        remote_side=[id], back_populates="children", lazy="selectin", join_depth=4
    )
    children: Mapped[list[Institution]] = relationship(
        back_populates="parent", order_by="Institution.name"
    )

    @property
    def ancestors(self) -> list[Institution]:
        """The institutions above this one, nearest first (a cycle is cut)."""
        chain: list[Institution] = []
        seen = {self.id}
        node = self.parent
        while node is not None and node.id not in seen and len(chain) < MAX_DEPTH:
            chain.append(node)
            seen.add(node.id)
            node = node.parent
        return chain

    @property
    def top(self) -> Institution:
        """The institution at the top of the hierarchy (itself when it has no parent)."""
        chain = self.ancestors
        return chain[-1] if chain else self

    @property
    def parent_slug(self) -> str | None:
        """The slug of the institution this one belongs to, if any."""
        return self.parent.slug if self.parent is not None else None

    @property
    def facet_slugs(self) -> list[str]:
        """Its slug and its ancestors': a centre's postings count under its parent too."""
        return [self.slug, *(node.slug for node in self.ancestors)]


#: How many levels of parents are followed (the curated table has one).
MAX_DEPTH = 4


class InstitutionAlias(Base):
    """A slug that no longer names an institution of its own ("mit-orcd", folded into MIT as a
    unit): its old page answers a permanent redirect to the institution (and unit) it became."""

    __tablename__ = "institution_aliases"

    slug: Mapped[str] = mapped_column(String(200), primary_key=True)
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    unit_slug: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    institution: Mapped[Institution] = relationship()


class Source(Base):
    """A career site from sources.toml (or the submission form)."""

    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    institution_name: Mapped[str] = mapped_column(String(300))
    platform: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(Text)
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime)

    runs: Mapped[list[CrawlRun]] = relationship(back_populates="source")


class Posting(Base):
    """One real vacancy: normalized fields, lifecycle, and its permanent id."""

    __tablename__ = "postings"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        String(20), unique=True, index=True, default=new_public_id
    )
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)

    title: Mapped[str] = mapped_column(String(500))
    institution_name: Mapped[str] = mapped_column(String(300))
    #: The part of the institution the posting names ("Office of Research Computing and Data"
    #: at MIT), and its slug, unique within the institution (the page's anchor).
    unit: Mapped[str | None] = mapped_column(String(300))
    unit_slug: Mapped[str | None] = mapped_column(String(200))
    locations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    location_display: Mapped[str | None] = mapped_column(String(300))
    remote: Mapped[str | None] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(40), default="other")
    technical: Mapped[list[Any]] = mapped_column(JSON, default=list)
    relevant: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    salary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    posted_on: Mapped[date | None] = mapped_column(Date, index=True)
    closes_on: Mapped[date | None] = mapped_column(Date)
    review_begins_on: Mapped[date | None] = mapped_column(Date)
    employment_type: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    description_text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(Text)
    requisition_id: Mapped[str | None] = mapped_column(String(200), index=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(400), index=True)
    normalized: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    status: Mapped[str] = mapped_column(String(20), default=OPEN, index=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen: Mapped[datetime] = mapped_column(DateTime, index=True)
    last_seen: Mapped[datetime] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    #: The id of this posting's latest change-log entry (what the index compares against).
    version: Mapped[int] = mapped_column(ChangeId, default=0, server_default="0")

    institution: Mapped[Institution | None] = relationship(back_populates="postings")
    links: Mapped[list[PostingSource]] = relationship(
        back_populates="posting", order_by="PostingSource.id", cascade="save-update, merge"
    )

    @property
    def is_open(self) -> bool:
        """Whether the posting still takes applications."""
        return self.status == OPEN

    @property
    def card_summary(self) -> str:
        """The summary a result card shows: a description's opening list kept as lines, unless
        an editor wrote the summary."""
        if "summary" in (self.overrides or {}):
            return self.summary or ""
        return card_summary(self.description_text, self.summary)

    @property
    def salary_stated(self) -> bool:
        """Whether the salary gives any amount (the "salary stated" facet)."""
        from board.normalize.annual import salary_stated  # keeps the normalizer out of models

        return salary_stated(self.salary)

    @property
    def salary_usd_year(self) -> int | None:
        """The top of the salary range, a year, in whole US dollars at the fixed rates."""
        from board.normalize.annual import yearly_usd_top

        return yearly_usd_top(self.salary)

    @property
    def location_label(self) -> str:
        """Every place spelled out ("Hamilton, ON, Canada"; "Remote (United States)")."""
        locations = [loc for loc in self.locations or [] if isinstance(loc, dict)]
        return location_label(locations, self.remote, self.location_display)


class PostingSource(Base):
    """Where a posting was seen: the platform's own id, the raw fields, and its lifecycle."""

    __tablename__ = "posting_sources"
    __table_args__ = (UniqueConstraint("source_id", "source_key", name="uq_posting_source_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    source_key: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    merge_reason: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    missing_runs: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime] = mapped_column(DateTime)
    last_seen: Mapped[datetime] = mapped_column(DateTime)

    posting: Mapped[Posting] = relationship(back_populates="links")
    source: Mapped[Source] = relationship()


class CrawlRun(Base):
    """One crawl of one source: what it fetched, what it changed, how it ended."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("sources.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    items: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    dropped: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[str] = mapped_column(String(20), default=RUN_RUNNING)
    message: Mapped[str | None] = mapped_column(Text)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    #: Which process runs it, and when it last said so: a run whose process died is found by
    #: its pid on this host, or by a stale heartbeat from any host.
    host: Mapped[str | None] = mapped_column(String(255))
    pid: Mapped[int | None] = mapped_column(Integer)
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)

    source: Mapped[Source] = relationship(back_populates="runs")


class PostingChange(Base):
    """The change log: one row per change of a posting, written in the same transaction.

    Ids grow in commit order (see board.changelog), so a reader that has applied every change
    up to id N only ever needs the rows after N. A posting's `version` is its latest row's id.
    """

    __tablename__ = "posting_changes"

    id: Mapped[int] = mapped_column(ChangeId, primary_key=True, autoincrement=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("postings.id"), index=True)
    public_id: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime)
