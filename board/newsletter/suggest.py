"""A drafted highlight list: the top postings since the last published issue, spread over
institutions and regions, each with a blurb drafted from the sentences that describe the role.

The editor asks for it (the builder's button, `rcjobs issue suggest N`), then edits, reorders
and cuts. The spread is a greedy choice: each step takes the best-scored posting after a
penalty for every posting already chosen from its institution or region; at most
PER_INSTITUTION come from one institution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from board.models import OPEN, Posting
from board.newsletter import services
from board.newsletter.models import Issue

DEFAULT_COUNT = 12
PER_INSTITUTION = 2
#: Score taken off per posting already chosen from the same institution / region.
INSTITUTION_PENALTY = 0.25
REGION_PENALTY = 0.08
BLURB_WORDS = 45
BLURB_SENTENCES = 3
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")
# Sentences about the employer rather than the job, past what the boilerplate detector drops.
_ABOUT_EMPLOYER = re.compile(
    r"^(?:the|our) (?:university|college|institute|laboratory|lab|school|hospital|centre|center|"
    r"organi[sz]ation|company|trust)\b.{0,80}\b(?:is|was|has|offers|employs|serves)\b|"
    r"^(?:founded|established|located|situated) |^we are\b|^join (?:us|our)\b",
    re.I,
)
_MIN_SENTENCE_WORDS = 5


@dataclass
class Suggestion:
    """One drafted highlight: the posting and its drafted blurb."""

    posting: Posting
    blurb: str


def region_of(posting: Posting) -> str:
    """The posting's first place as "CA-ON" (or "CA", or "remote" / "" when it names none)."""
    for loc in posting.locations or []:
        if isinstance(loc, dict) and loc.get("country"):
            region = loc.get("region")
            return f"{loc['country']}-{region}" if region else str(loc["country"])
    return posting.remote or ""


def _paragraphs(text: str) -> list[str]:
    """Lines joined back into paragraphs; a short line without a sentence's end (a heading, a
    list item) ends one and is left out."""
    found: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = " ".join(line.split())
        if len(line.split()) < _MIN_SENTENCE_WORDS and not line.endswith((".", "!", "?")):
            if current:
                found.append(" ".join(current))
            current = []
            continue
        current.append(line)
        if line.endswith((".", "!", "?")):
            found.append(" ".join(current))
            current = []
    if current:
        found.append(" ".join(current))
    return found


def _about(sentence: str, employer: str) -> bool:
    """Whether a sentence describes the employer ("Empire AI is establishing ...")."""
    folded = sentence.casefold()
    if not folded.startswith(employer):
        return False
    rest = folded[len(employer) :].split()
    return bool(rest) and rest[0] in {"is", "are", "was", "has", "have", "offers", "employs"}


def drafted_blurb(posting: Posting) -> str:
    """The first sentences that describe the role (boilerplate left out), about BLURB_WORDS."""
    from board.normalize.boilerplate import job_content  # its regexes: only for a draft

    kept: list[str] = []
    words = 0
    employer = (getattr(posting, "institution_name", "") or "").casefold()
    for paragraph in _paragraphs(job_content(posting.description_text or "")):
        for sentence in _SENTENCE.split(paragraph):
            size = len(sentence.split())
            if size < _MIN_SENTENCE_WORDS or _ABOUT_EMPLOYER.search(sentence):
                continue
            if employer and _about(sentence, employer):
                continue
            if not sentence.endswith((".", "!", "?")):
                sentence = sentence.rstrip(":;,") + "."
            kept.append(sentence)
            words += size
            if words >= BLURB_WORDS or len(kept) >= BLURB_SENTENCES:
                return services.clean_blurb(" ".join(kept))
    return services.clean_blurb(" ".join(kept)) if kept else services.default_blurb(posting)


def pool(session: Session, today: date, issue: Issue) -> list[Posting]:
    """Open, visible, relevant postings new since the last published issue, best first, without
    those already in this issue, highlighted in a published one, or decided against."""
    from board.decisions import HIDE, NOT_RELEVANT, latest_decisions

    since = services.new_since(session, today, before=issue)
    postings = list(
        session.scalars(
            select(Posting)
            .where(
                Posting.status == OPEN,
                Posting.hidden.is_(False),
                Posting.relevant.is_(True),
                Posting.first_seen >= datetime.combine(since, datetime.min.time()),
            )
            .order_by(Posting.score.desc(), Posting.first_seen.desc(), Posting.id.desc())
            .limit(1000)
        )
    )
    taken = {h.posting_id for h in issue.highlights}
    taken |= set(services.recently_highlighted(session, today, exclude=issue))
    decided = latest_decisions(session, [p.id for p in postings])
    against = {pid for pid, d in decided.items() if d.decision in (NOT_RELEVANT, HIDE)}
    return [p for p in postings if p.id not in taken and p.id not in against]


def spread(
    postings: list[Posting], count: int, per_institution: int = PER_INSTITUTION
) -> list[Posting]:
    """Up to `count` postings, best first, spread over institutions and regions."""
    chosen: list[Posting] = []
    by_institution: dict[str, int] = {}
    by_region: dict[str, int] = {}
    left = list(postings)
    while left and len(chosen) < count:
        best, best_value = None, float("-inf")
        for posting in left:
            inst = posting.institution_name.casefold()
            if by_institution.get(inst, 0) >= per_institution:
                continue
            value = (
                (posting.score or 0.0)
                - INSTITUTION_PENALTY * by_institution.get(inst, 0)
                - REGION_PENALTY * by_region.get(region_of(posting), 0)
            )
            if value > best_value:
                best, best_value = posting, value
        if best is None:
            break
        left.remove(best)
        chosen.append(best)
        inst = best.institution_name.casefold()
        by_institution[inst] = by_institution.get(inst, 0) + 1
        by_region[region_of(best)] = by_region.get(region_of(best), 0) + 1
    return chosen


def suggest(
    session: Session, today: date, issue: Issue, count: int = DEFAULT_COUNT
) -> list[Suggestion]:
    """The drafted list for an issue: `count` less the highlights it has already."""
    room = max(count - len(issue.highlights), 0)
    return [Suggestion(p, drafted_blurb(p)) for p in spread(pool(session, today, issue), room)]


def draft_highlights(
    session: Session, today: date, issue: Issue, actor: object, count: int = DEFAULT_COUNT
) -> list[Suggestion]:
    """Add the drafted list to a draft issue's highlights (the editor edits and cuts after)."""
    if issue.is_published:
        raise services.IssueError(f"Issue {issue.number} is published: it cannot be drafted.")
    found = suggest(session, today, issue, count)
    for item in found:
        services.pick(session, issue, item.posting, actor, item.blurb)
    return found
