"""Atom feeds of the published newsletter: every issue (/newsletter/feed.atom) and one issue's
highlights (/newsletter/<N>/feed.atom). Drafts are in neither."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import TYPE_CHECKING

from flask import Blueprint, Response, abort, url_for

from board.newsletter import services
from board.newsletter.export import SECTION_TITLE
from board.newsletter.models import Issue
from board.web.caching import conditional
from board.web.context import absolute_url, get_db
from board.web.xmltext import plain_text, xml_safe

if TYPE_CHECKING:
    from feedgen.feed import FeedGenerator

bp = Blueprint("newsletter_feeds", __name__)
MEDIA_TYPE = "application/atom+xml"
FEED_ISSUES = 30


def _moment(issue: Issue) -> datetime:
    stamp = issue.published_at or datetime.combine(issue.issued_on, time(0, 0))
    return stamp.replace(tzinfo=UTC)


def _issue_text(issue: Issue) -> str:
    return "\n".join(f"{h.heading}: {h.blurb}" for h in issue.highlights)


def _respond(generator: FeedGenerator, changed: datetime | None) -> Response:
    return conditional(Response(generator.atom_str(pretty=True), mimetype=MEDIA_TYPE), changed)


@bp.get("/newsletter/feed.atom")
def issues_feed() -> Response:
    """The latest published issues, newest first, each with its highlights as text."""
    from feedgen.feed import FeedGenerator  # feedgen and lxml load with the first feed

    issues = services.all_issues(get_db(), published_only=True)[:FEED_ISSUES]
    generator = FeedGenerator()
    generator.id(absolute_url(url_for("newsletter_feeds.issues_feed")))
    generator.title(f"rcjobs newsletter: {SECTION_TITLE}")
    generator.subtitle("Every issue's highlighted jobs for people who lead research computing")
    generator.link(href=absolute_url(url_for("newsletter_feeds.issues_feed")), rel="self")
    generator.link(href=absolute_url(url_for("newsletter.archive")), rel="alternate")
    generator.language("en")
    generator.generator("rcjobs")
    generator.updated(_moment(issues[0]) if issues else datetime(2000, 1, 1, tzinfo=UTC))
    for issue in issues:
        url = absolute_url(url_for("newsletter.issue", number=issue.number))
        entry = generator.add_entry(order="append")
        entry.id(url)
        entry.title(f"Issue {issue.number} ({issue.issued_on.isoformat()})")
        entry.link(href=url, rel="alternate")
        entry.published(_moment(issue))
        entry.updated(_moment(issue))
        entry.summary(plain_text(_issue_text(issue)) or "No highlights.", type="text")
    return _respond(generator, _moment(issues[0]) if issues else None)


@bp.get("/newsletter/<int:number>/feed.atom")
def issue_feed(number: int) -> Response:
    """One published issue's highlights, in their order (404 for a draft)."""
    issue = services.get_issue(get_db(), number)
    if issue is None or not issue.is_published:
        abort(404)
    from feedgen.feed import FeedGenerator

    page = absolute_url(url_for("newsletter.issue", number=number))
    generator = FeedGenerator()
    generator.id(absolute_url(url_for("newsletter_feeds.issue_feed", number=number)))
    generator.title(f"rcjobs newsletter issue {number}: {SECTION_TITLE}")
    generator.link(
        href=absolute_url(url_for("newsletter_feeds.issue_feed", number=number)), rel="self"
    )
    generator.link(href=page, rel="alternate")
    generator.language("en")
    generator.generator("rcjobs")
    generator.updated(_moment(issue))
    for h in issue.highlights:
        url = absolute_url(url_for("jobs.posting", public_id=h.public_id))
        entry = generator.add_entry(order="append")
        entry.id(f"{page}#{h.public_id}")
        entry.title(xml_safe(plain_text(h.heading)) or "(untitled)")
        entry.link(href=url, rel="alternate")
        entry.author(name=plain_text(h.institution) or "rcjobs")
        entry.published(_moment(issue))
        entry.updated(_moment(issue))
        entry.summary(plain_text(h.blurb) or plain_text(h.heading), type="text")
    return _respond(generator, _moment(issue))
