"""Institution pages (/institutions/<slug>: open and past postings, by unit and centre) and API.

An institution's page lists its own postings and those of its units (offices folded into it:
MIT's "Office of Research Computing and Data") and of its centres (institutions of their own
that belong to it: TACC at UT Austin). An old slug, folded into another institution, answers a
permanent redirect to that institution's page (at the unit's section).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, selectinload

from board import institutions, queries
from board.clock import today
from board.models import CLOSED, OPEN, Institution, Posting, PostingSource, Source
from board.places import country_name, place_label
from board.web.api import institution_ref, iso
from board.web.charts import bar_chart
from board.web.context import absolute_url, get_db
from board.web.jobs import http_url, permanent_url

bp = Blueprint("institutions", __name__, url_prefix="/institutions")
api_bp = Blueprint("institutions_api", __name__, url_prefix="/api/v1/institutions")

PAST_LIMIT = 50
UNIT, CENTRE = "unit", "centre"


def unit_anchor(unit_slug: str) -> str:
    """The id of a unit's section on its institution's page."""
    return f"unit-{unit_slug}"


def centre_anchor(slug: str) -> str:
    """The id of a centre's section on its parent's page."""
    return f"centre-{slug}"


@dataclass
class Group:
    """The postings of one part of an institution: itself, a unit, or a centre."""

    name: str
    kind: str | None = None  # None (the institution itself), UNIT or CENTRE
    slug: str = ""  # the unit's slug, or the centre's institution slug
    open: list[Posting] = field(default_factory=list)
    past: list[Posting] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The id of its section ("" for the institution itself)."""
        if self.kind == UNIT:
            return unit_anchor(self.slug)
        if self.kind == CENTRE:
            return centre_anchor(self.slug)
        return ""


@dataclass
class InstitutionPage:
    """An institution with its open and (most recent) past postings, place and career sites."""

    institution: Institution
    open: list[Posting]
    past: list[Posting]
    include_all: bool
    place: str = ""
    careers: list[tuple[str, str]] = field(default_factory=list)
    history: list[tuple[date, int]] = field(default_factory=list)
    #: The institution itself, then its units, then its centres, each with its postings.
    groups: list[Group] = field(default_factory=list)

    @property
    def country(self) -> str:
        """The institution's country, spelled out."""
        code = self.institution.country
        return country_name(code) if code else ""

    @property
    def parts(self) -> list[Group]:
        """Its units and centres (not the institution itself)."""
        return [group for group in self.groups if group.kind]


@bp.get("/")
def index_slash() -> ResponseReturnValue:
    """/institutions/ is the same page as /institutions."""
    return redirect(url_for("institutions.index"), 308)


@bp.get("")
def index() -> str:
    """Every institution with postings, and how many are open."""
    return render_template("institutions/index.html", rows=institution_rows(get_db()))


@bp.get("/<slug>")
def show(slug: str) -> ResponseReturnValue:
    """One institution: its open postings, then its past ones, by unit and centre."""
    session = get_db()
    institution = _institution_or_redirect(session, slug, "institutions.show")
    if not isinstance(institution, Institution):
        return institution
    page = institution_page(session, institution, request.args.get("relevant") == "all")
    chart = bar_chart(
        page.history, f"Postings at {page.institution.name} per month", period="month"
    )
    return render_template("institutions/show.html", page=page, chart=chart)


@api_bp.get("")
def api_index() -> Response:
    """Institutions with their open and total posting counts (their centres' included)."""
    return jsonify({"results": [_row_body(row) for row in institution_rows(get_db())]})


@api_bp.get("/<slug>")
def api_show(slug: str) -> ResponseReturnValue:
    """One institution with its units, centres, and open and past postings."""
    session = get_db()
    institution = _institution_or_redirect(session, slug, "institutions_api.api_show")
    if not isinstance(institution, Institution):
        return institution
    page = institution_page(session, institution, request.args.get("relevant") == "all")
    body = _row_body({"institution": page.institution, "open": len(page.open), "total": None})
    body.pop("total")
    body["units"] = [_group_body(group) for group in page.parts]
    body["open_postings"] = [_posting_body(p) for p in page.open]
    body["past_postings"] = [_posting_body(p) for p in page.past]
    return jsonify(body)


def _institution_or_redirect(
    session: Session, slug: str, endpoint: str
) -> Institution | ResponseReturnValue:
    """The institution a slug names; a permanent redirect for an old slug; else 404."""
    found = institutions.find(session, slug)
    if found is None:
        abort(404, description=f"no institution {slug[:200]!r}")
    if not found.alias:
        return found.institution
    on_page = endpoint == "institutions.show"
    anchor = unit_anchor(found.unit_slug) if found.unit_slug and on_page else None
    keep: dict[str, Any] = {k: v for k, v in request.args.items() if k == "relevant"}
    target = url_for(endpoint, slug=found.institution.slug, _anchor=anchor, **keep)
    return redirect(target, 301)


# -- queries --------------------------------------------------------------------------------


def institution_rows(session: Session) -> list[dict[str, Any]]:
    """Institutions with at least one public relevant posting (at them or their centres), with
    open and total counts that include their centres'; a parent before its centres."""
    public = (Posting.hidden.is_(False)) & (Posting.relevant.is_(True))
    open_count = func.sum(case((Posting.status == OPEN, 1), else_=0))
    statement = (
        select(Posting.institution_id, open_count, func.count(Posting.id))
        .where(public, Posting.institution_id.is_not(None))
        .group_by(Posting.institution_id)
    )
    own = {iid: (int(opened or 0), int(total)) for iid, opened, total in session.execute(statement)}
    if not own:
        return []
    rows: dict[int, dict[str, Any]] = {}
    for inst in session.scalars(select(Institution).where(Institution.id.in_(list(own)))):
        for node in (inst, *inst.ancestors):
            row = rows.setdefault(node.id, {"institution": node, "open": 0, "total": 0})
            row["open"] += own[inst.id][0]
            row["total"] += own[inst.id][1]

    def order(row: dict[str, Any]) -> tuple[str, ...]:
        inst: Institution = row["institution"]
        return (*(node.name.lower() for node in reversed(inst.ancestors)), inst.name.lower())

    return sorted(rows.values(), key=order)


def descendants(session: Session, institution: Institution) -> list[Institution]:
    """The centres below an institution, at any depth (a few levels at most)."""
    found: list[Institution] = []
    seen = {institution.id}
    level = [institution.id]
    while level and len(found) < 1000:
        children = session.scalars(
            select(Institution)
            .where(Institution.parent_id.in_(level), Institution.id.not_in(seen))
            .order_by(Institution.name)
        ).all()
        found.extend(children)
        seen.update(child.id for child in children)
        level = [child.id for child in children]
    return found


def institution_page(
    session: Session, institution: Institution, include_all: bool
) -> InstitutionPage:
    """The institution's page content: its postings and its units' and centres'."""
    centres = descendants(session, institution)
    ids = [institution.id, *(centre.id for centre in centres)]
    statement = queries.visible(select(Posting)).where(Posting.institution_id.in_(ids))
    if not include_all:
        statement = statement.where(Posting.relevant.is_(True))
    statement = statement.options(selectinload(Posting.institution))
    newest = (Posting.posted_on.desc().nulls_last(), Posting.first_seen.desc())
    opened = session.scalars(statement.where(Posting.status == OPEN).order_by(*newest)).all()
    past = session.scalars(
        statement.where(Posting.status == CLOSED)
        .order_by(Posting.closed_at.desc().nulls_last(), *newest)
        .limit(PAST_LIMIT)
    ).all()
    page = InstitutionPage(institution, list(opened), list(past), include_all)
    page.groups = _groups(institution, centres, page.open, page.past)
    page.place = _place(session, ids)
    page.careers = _careers(session, institution, ids)
    page.history = _history(session, ids, today())
    return page


def _groups(
    institution: Institution,
    centres: list[Institution],
    opened: list[Posting],
    past: list[Posting],
) -> list[Group]:
    """Itself, its units (by name), then its centres (by name, listed even without postings)."""
    itself = Group(institution.name)
    units: dict[str, Group] = {}
    by_centre = {centre.id: Group(centre.name, CENTRE, centre.slug) for centre in centres}
    for postings, attr in ((opened, "open"), (past, "past")):
        for posting in postings:
            if posting.institution_id in by_centre:
                group = by_centre[posting.institution_id]
            elif posting.unit and posting.unit_slug:
                group = units.setdefault(
                    posting.unit_slug, Group(posting.unit, UNIT, posting.unit_slug)
                )
            else:
                group = itself
            getattr(group, attr).append(posting)
    ordered = sorted(units.values(), key=lambda g: g.name.lower())
    return [itself, *ordered, *by_centre.values()]


HISTORY_MONTHS = 24


def _place(session: Session, ids: list[int]) -> str:
    """Where most of the institution's postings are ("Hamilton, ON, Canada")."""
    rows = session.scalars(
        queries.visible(select(Posting.locations)).where(Posting.institution_id.in_(ids))
    ).all()
    counts = Counter(place_label(loc) for locations in rows for loc in locations or [])
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else ""


def _careers(session: Session, institution: Institution, ids: list[int]) -> list[tuple[str, str]]:
    """(name, URL) of the career sites its postings came from (the form's own excepted)."""
    rows = session.execute(
        select(Source.institution_name, Source.url)
        .join(PostingSource, PostingSource.source_id == Source.id)
        .join(Posting, Posting.id == PostingSource.posting_id)
        .where(Posting.institution_id.in_(ids), Source.platform.not_in(["form"]))
        .distinct()
        .order_by(Source.institution_name)
    ).all()
    found: dict[str, str] = {}
    for name, url in rows:
        link = http_url(url)
        if link and link not in found.values():
            found[name or institution.name] = link
    return list(found.items())


def _month(day: date, back: int) -> date:
    index = day.year * 12 + day.month - 1 - back
    return date(index // 12, index % 12 + 1, 1)


def _history(session: Session, ids: list[int], now: date) -> list[tuple[date, int]]:
    """Postings first seen per month over the last two years (for the small chart)."""
    start = _month(now, HISTORY_MONTHS - 1)
    seen = session.scalars(
        queries.visible(select(Posting.first_seen)).where(
            Posting.institution_id.in_(ids), Posting.first_seen >= start
        )
    ).all()
    counts = Counter(date(moment.year, moment.month, 1) for moment in seen)
    return [
        (month, counts.get(month, 0))
        for month in (_month(now, b) for b in range(HISTORY_MONTHS - 1, -1, -1))
    ]


def _row_body(row: dict[str, Any]) -> dict[str, Any]:
    body = institution_ref(row["institution"])
    body.update(open_count=row["open"], total=row["total"])
    return body


def _group_body(group: Group) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": group.name,
        "slug": group.slug,
        "kind": group.kind,
        "open_count": len(group.open),
    }
    if group.kind == CENTRE:
        body["url"] = absolute_url(url_for("institutions.show", slug=group.slug))
    return body


def _posting_body(posting: Posting) -> dict[str, Any]:
    inst = posting.institution
    return {
        "id": posting.public_id,
        "title": posting.title,
        "institution": posting.institution_name,
        "institution_slug": inst.slug if inst is not None else None,
        "unit": posting.unit,
        "unit_slug": posting.unit_slug,
        "location_display": posting.location_display or "",
        "role": posting.role,
        "status": posting.status,
        "relevant": bool(posting.relevant),
        "posted_on": iso(posting.posted_on or posting.first_seen.date()),
        "closes_on": iso(posting.closes_on),
        "url": permanent_url(posting.public_id),
    }


def register(app: Flask) -> None:
    """Register the pages and the API."""
    app.register_blueprint(bp)
    app.register_blueprint(api_bp)
