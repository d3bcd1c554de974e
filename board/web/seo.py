"""For search engines: /robots.txt and /sitemap.xml (an index of sitemaps when large)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from flask import Blueprint, Flask, Response, abort, current_app, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from board.models import OPEN, Institution, Posting
from board.web.caching import conditional, data_changed_at
from board.web.context import absolute_url, get_db
from board.web.xmltext import xml_safe

bp = Blueprint("seo", __name__)

#: URLs in one sitemap file (the protocol allows 50,000); beyond, /sitemap.xml is an index.
SITEMAP_SIZE = 50_000
PRIVATE = ("/editor/", "/login", "/logout", "/submit/status/", "/alerts/", "/api/")
SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def _size() -> int:
    return int(current_app.config.get("RCJOBS_SITEMAP_SIZE") or SITEMAP_SIZE)


@bp.get("/robots.txt")
def robots() -> Response:
    """Everything public may be crawled; private links, the editor and the API may not."""
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in PRIVATE), ""]
    lines.append(f"Sitemap: {absolute_url(url_for('seo.sitemap'))}")
    return Response("\n".join(lines) + "\n", mimetype="text/plain")


# -- what the sitemap lists ------------------------------------------------------------------


def _public_postings():  # noqa: ANN202 - a Select
    """Open, relevant, not hidden: the postings whose pages ask to be indexed."""
    return select(Posting).where(
        Posting.status == OPEN, Posting.relevant.is_(True), Posting.hidden.is_(False)
    )


def _institutions(session: Session) -> list[tuple[str, datetime | None]]:
    """(slug, latest change) of institutions with an open public posting, at them or at one of
    their centres (whose postings their pages list)."""
    public = _public_postings().subquery()
    rows = session.execute(
        select(Institution.slug, func.max(public.c.updated_at))
        .join(public, public.c.institution_id == Institution.id)
        .group_by(Institution.slug)
    ).all()
    centre = aliased(Institution)
    parents = session.execute(
        select(Institution.slug, func.max(public.c.updated_at))
        .join(centre, centre.parent_id == Institution.id)
        .join(public, public.c.institution_id == centre.id)
        .group_by(Institution.slug)
    ).all()
    latest: dict[str, datetime | None] = {}
    for slug, changed in [*rows, *parents]:
        before = latest.get(slug)
        latest[slug] = max(changed, before) if changed and before else changed or before
    return sorted(latest.items())


def _entries(session: Session, start: int, count: int) -> Iterator[tuple[str, datetime | None]]:
    """(absolute URL, lastmod) of entries start..start+count of the whole sitemap."""
    fixed = [
        (absolute_url(url_for("jobs.listing")), data_changed_at()),
        (absolute_url(url_for("institutions.index")), None),
    ]
    if "newsletter.archive" in current_app.view_functions:
        fixed.append((absolute_url(url_for("newsletter.archive")), None))
    institutions = [
        (absolute_url(url_for("institutions.show", slug=slug)), changed)
        for slug, changed in _institutions(session)
    ]
    head = fixed + institutions
    yield from head[start : start + count]
    skip = max(0, start - len(head))
    wanted = count - max(0, min(len(head) - start, count))
    if wanted <= 0:
        return
    rows = session.execute(
        _public_postings()
        .with_only_columns(Posting.public_id, Posting.updated_at)
        .order_by(Posting.id)
        .offset(skip)
        .limit(wanted)
    ).all()
    for public_id, changed in rows:
        yield absolute_url(url_for("jobs.posting", public_id=public_id)), changed


def _total(session: Session) -> int:
    fixed = 3 if "newsletter.archive" in current_app.view_functions else 2
    postings = session.scalar(_public_postings().with_only_columns(func.count(Posting.id))) or 0
    return fixed + len(_institutions(session)) + postings


def _lastmod(moment: datetime | None) -> str:
    if moment is None:
        return ""
    stamp = moment.replace(tzinfo=UTC, microsecond=0).isoformat().replace("+00:00", "Z")
    return f"<lastmod>{stamp}</lastmod>"


def _xml(body: str) -> Response:
    text = f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'
    return conditional(Response(text, mimetype="application/xml"), data_changed_at())


def _urlset(entries: Iterator[tuple[str, datetime | None]]) -> Response:
    urls = "".join(
        f"<url><loc>{escape(xml_safe(loc))}</loc>{_lastmod(changed)}</url>\n"
        for loc, changed in entries
    )
    return _xml(f'<urlset xmlns="{SITEMAPS}">\n{urls}</urlset>')


@bp.get("/sitemap.xml")
def sitemap() -> Response:
    """Every open posting and institution page with its last change; an index when large."""
    session = get_db()
    total, size = _total(session), _size()
    if total <= size:
        return _urlset(_entries(session, 0, size))
    pages = math.ceil(total / size)
    changed = _lastmod(data_changed_at())
    items = "".join(
        f"<sitemap><loc>{escape(absolute_url(url_for('seo.sitemap_page', number=n)))}</loc>"
        f"{changed}</sitemap>\n"
        for n in range(1, pages + 1)
    )
    return _xml(f'<sitemapindex xmlns="{SITEMAPS}">\n{items}</sitemapindex>')


@bp.get("/sitemap-<int:number>.xml")
def sitemap_page(number: int) -> Response:
    """One file of a large sitemap."""
    session = get_db()
    size = _size()
    if number < 1 or (number - 1) * size >= _total(session):
        abort(404)
    return _urlset(_entries(session, (number - 1) * size, size))


def register(app: Flask) -> None:
    """The robots file and the sitemaps."""
    app.register_blueprint(bp)
