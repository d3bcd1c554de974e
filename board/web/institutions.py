"""Institution pages (/institutions/<slug>: open and past postings) and their API."""

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

from board import queries
from board.clock import today
from board.editor.charts import bar_chart
from board.models import CLOSED, OPEN, Institution, Posting, PostingSource, Source
from board.places import place_label
from board.web import absolute_url, get_db
from board.web.api import iso
from board.web.jobs import http_url, permanent_url

bp = Blueprint("institutions", __name__, url_prefix="/institutions")
api_bp = Blueprint("institutions_api", __name__, url_prefix="/api/v1/institutions")

PAST_LIMIT = 50


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


@bp.get("/")
def index_slash() -> ResponseReturnValue:
    """/institutions/ is the same page as /institutions."""
    return redirect(url_for("institutions.index"), 308)


@bp.get("")
def index() -> str:
    """Every institution with postings, and how many are open."""
    return render_template("institutions/index.html", rows=institution_rows(get_db()))


@bp.get("/<slug>")
def show(slug: str) -> str:
    """One institution: its open postings, then its past ones."""
    page = institution_page(get_db(), slug, request.args.get("relevant") == "all")
    chart = bar_chart(
        page.history, f"Postings at {page.institution.name} per month", period="month"
    )
    return render_template("institutions/show.html", page=page, chart=chart)


@api_bp.get("")
def api_index() -> Response:
    """Institutions with their open and total posting counts."""
    return jsonify({"results": [_row_body(row) for row in institution_rows(get_db())]})


@api_bp.get("/<slug>")
def api_show(slug: str) -> Response:
    """One institution with its open and past postings."""
    page = institution_page(get_db(), slug, request.args.get("relevant") == "all")
    body = _row_body({"institution": page.institution, "open": len(page.open), "total": None})
    body.pop("total")
    body["open_postings"] = [_posting_body(p) for p in page.open]
    body["past_postings"] = [_posting_body(p) for p in page.past]
    return jsonify(body)


# -- queries --------------------------------------------------------------------------------


def institution_rows(session: Session) -> list[dict[str, Any]]:
    """Institutions with at least one public relevant posting, with open and total counts."""
    public = (Posting.hidden.is_(False)) & (Posting.relevant.is_(True))
    open_count = func.sum(case((Posting.status == OPEN, 1), else_=0))
    statement = (
        select(Institution, open_count, func.count(Posting.id))
        .join(Posting, Posting.institution_id == Institution.id)
        .where(public)
        .group_by(Institution.id)
        .order_by(func.lower(Institution.name))
    )
    return [
        {"institution": inst, "open": int(opened or 0), "total": int(total)}
        for inst, opened, total in session.execute(statement).all()
    ]


def institution_page(session: Session, slug: str, include_all: bool) -> InstitutionPage:
    """The institution's page content, or 404."""
    institution = session.scalar(select(Institution).where(Institution.slug == slug[:200]))
    if institution is None:
        abort(404, description=f"no institution {slug[:200]!r}")
    statement = queries.visible(select(Posting)).where(Posting.institution_id == institution.id)
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
    page.place = _place(session, institution)
    page.careers = _careers(session, institution)
    page.history = _history(session, institution, today())
    return page


HISTORY_MONTHS = 24


def _place(session: Session, institution: Institution) -> str:
    """Where most of the institution's postings are ("Hamilton, ON, Canada")."""
    rows = session.scalars(
        queries.visible(select(Posting.locations)).where(Posting.institution_id == institution.id)
    ).all()
    counts = Counter(place_label(loc) for locations in rows for loc in locations or [])
    counts.pop("", None)
    return counts.most_common(1)[0][0] if counts else ""


def _careers(session: Session, institution: Institution) -> list[tuple[str, str]]:
    """(name, URL) of the career sites its postings came from (the form's own excepted)."""
    rows = session.execute(
        select(Source.institution_name, Source.url)
        .join(PostingSource, PostingSource.source_id == Source.id)
        .join(Posting, Posting.id == PostingSource.posting_id)
        .where(Posting.institution_id == institution.id, Source.platform.not_in(["form"]))
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


def _history(session: Session, institution: Institution, now: date) -> list[tuple[date, int]]:
    """Postings first seen per month over the last two years (for the small chart)."""
    start = _month(now, HISTORY_MONTHS - 1)
    seen = session.scalars(
        queries.visible(select(Posting.first_seen)).where(
            Posting.institution_id == institution.id, Posting.first_seen >= start
        )
    ).all()
    counts = Counter(date(moment.year, moment.month, 1) for moment in seen)
    return [
        (month, counts.get(month, 0))
        for month in (_month(now, b) for b in range(HISTORY_MONTHS - 1, -1, -1))
    ]


def _row_body(row: dict[str, Any]) -> dict[str, Any]:
    inst: Institution = row["institution"]
    return {
        "slug": inst.slug,
        "name": inst.name,
        "type": inst.type,
        "sector": inst.sector,
        "open_count": row["open"],
        "total": row["total"],
        "url": absolute_url(url_for("institutions.show", slug=inst.slug)),
        "api_url": absolute_url(url_for("institutions_api.api_show", slug=inst.slug)),
    }


def _posting_body(posting: Posting) -> dict[str, Any]:
    return {
        "id": posting.public_id,
        "title": posting.title,
        "institution": posting.institution_name,
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
