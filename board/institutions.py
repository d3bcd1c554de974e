"""Institution rows: created from normalized records with their parent, folded, looked up by slug.

A centre that keeps its own name (TACC) is a row whose `parent` is the institution it belongs
to, created from the curated table when first named. An institution that loses its last posting
to another (re-normalized: "mit-orcd" became MIT with the unit "Office of Research Computing and
Data") is folded into it: its slug is kept as an alias, so its page redirects permanently.
Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from board import lookups
from board.clock import utcnow
from board.models import Institution, InstitutionAlias, Posting
from board.record import NormalizedRecord

if TYPE_CHECKING:
    from search_index import SearchRequest

SLUG_MAX = 200


@dataclass(frozen=True)
class Found:
    """What a slug names: an institution, and whether it is an old slug (with the unit's)."""

    institution: Institution
    alias: bool = False
    unit_slug: str | None = None


def find(session: Session, slug: str) -> Found | None:
    """The institution a slug names, directly or as an old slug folded into it; else None."""
    slug = slug[:SLUG_MAX]
    row = session.scalar(select(Institution).where(Institution.slug == slug))
    if row is not None:
        return Found(row)
    alias = session.get(InstitutionAlias, slug)
    if alias is None:
        return None
    return Found(alias.institution, alias=True, unit_slug=alias.unit_slug)


def alias_map(session: Session) -> dict[str, str]:
    """Every old slug and the slug of the institution it was folded into."""
    rows = session.execute(
        select(InstitutionAlias.slug, Institution.slug).join(
            Institution, InstitutionAlias.institution_id == Institution.id
        )
    ).all()
    return {old: new for old, new in rows}


def current_slugs(slugs: list[str], aliases: Mapping[str, str]) -> list[str]:
    """The slugs an institution filter means now: old ones become their institution's."""
    wanted = [slug[:SLUG_MAX] for slug in slugs]
    return list(dict.fromkeys(aliases.get(slug, slug) for slug in wanted))


def with_current_slugs(
    search: SearchRequest, aliases: Mapping[str, str] | Callable[[], Mapping[str, str]]
) -> SearchRequest:
    """A search whose institution filter names old slugs, with their institutions' instead
    (a saved search, feed or alert of "mit-orcd" finds the postings now at MIT). `aliases` is
    alias_map's answer, or a function giving it (called only when the search names one)."""
    slugs = search.filters.get("institution")
    if not slugs:
        return search
    current = current_slugs(slugs, aliases() if callable(aliases) else aliases)
    if current == slugs:
        return search
    return replace(search, filters={**search.filters, "institution": current})


def ensure_institution(session: Session, record: NormalizedRecord) -> Institution | None:
    """The canonical institution of a normalized record, with its country and parent."""
    slug = (record.institution_slug or "")[:SLUG_MAX]
    if not slug:
        return None
    row = _ensure(session, slug, record.institution or slug)
    row.type = record.institution_type or row.type
    row.sector = record.sector or row.sector
    row.country = _country(slug, record) or row.country
    parent_slug = (record.institution_parent or "")[:SLUG_MAX]
    if parent_slug and parent_slug != slug:
        parent = _ensure_known(session, parent_slug)
        if row.id is None or row not in [parent, *parent.ancestors]:
            row.parent = parent
    return row


def _country(slug: str, record: NormalizedRecord) -> str | None:
    """The institution's own country: a unit's ("EMBL-EBI, UK") is not its institution's."""
    country = record.institution_country
    if record.unit:
        from board.normalize.institution import known_by_slug

        known = known_by_slug(slug)
        country = known.country if known is not None else None
    return (country or "")[:2] or None


def _ensure(session: Session, slug: str, name: str) -> Institution:
    row = _by_slug(session, slug)
    if row is None:
        row = Institution(slug=slug, name=name[:300], parent=None)
        session.add(row)
        # A slug in use again names the new institution, not the one it was folded into.
        session.execute(delete(InstitutionAlias).where(InstitutionAlias.slug == slug))
        batch = lookups.current(session)
        if batch is not None:
            batch.add_institution(row)
    return row


def _by_slug(session: Session, slug: str) -> Institution | None:
    """The institution of a slug: from the batch's lookups when it fetched the slug."""
    batch = lookups.current(session)
    if batch is not None:
        known, row = batch.institution(slug)
        if known:
            return row
    return session.scalar(select(Institution).where(Institution.slug == slug))


def _ensure_known(session: Session, slug: str) -> Institution:
    """The parent a record names by slug, created from the curated table when new."""
    row = _by_slug(session, slug)
    if row is not None:
        return row
    from board.normalize.institution import known_by_slug  # the table, only when new

    known = known_by_slug(slug)
    row = _ensure(session, slug, known.name if known else slug)
    if known is not None:
        row.type, row.sector, row.country = known.type, known.sector, known.country
    return row


def fold_if_empty(
    session: Session, old: Institution, new: Institution, unit_slug: str | None = None
) -> bool:
    """Fold `old` into `new` once no posting and no centre is left at it: its slug (and the old
    slugs folded into it) become aliases of `new`; whether it was folded."""
    if old.id is None or old.id == new.id or old in new.ancestors:
        return False
    session.flush()
    left = session.scalar(select(func.count(Posting.id)).where(Posting.institution_id == old.id))
    children = session.scalar(
        select(func.count(Institution.id)).where(Institution.parent_id == old.id)
    )
    if left or children:
        return False
    session.execute(
        update(InstitutionAlias)
        .where(InstitutionAlias.institution_id == old.id)
        .values(institution_id=new.id)
    )
    session.add(
        InstitutionAlias(
            slug=old.slug, institution_id=new.id, unit_slug=unit_slug, created_at=utcnow()
        )
    )
    session.delete(old)
    session.flush()
    return True


def reassign(session: Session, posting: Posting, record: NormalizedRecord) -> None:
    """Point a posting at its record's institution, folding the one it leaves when emptied."""
    old = posting.institution
    new = ensure_institution(session, record)
    posting.institution = new
    if old is not None and new is not None and old is not new:
        fold_if_empty(session, old, new, posting.unit_slug)
