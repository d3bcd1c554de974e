"""The editor's word as training data for the relevance model (`rcjobs train --use-database`).

Every posting whose overrides set `relevant` becomes a training example, and so does every
posting with a review-queue decision that says relevance; the location and institution
corrections become checks of what the normalizer now reads from the raw record. The model
itself is fitted by board.normalize.training, which reads no database.
"""

from __future__ import annotations

from typing import Any

from board.normalize.training import Example


def database_examples(url: str) -> list[Example]:
    """The editor's relevance corrections in an installation's database, as examples."""
    return read_corrections(url)[0]


def read_corrections(url: str) -> tuple[list[Example], list[dict[str, Any]]]:
    """(relevance corrections as examples, location and institution corrections to check).

    Every posting whose `overrides` set `relevant` becomes a training row, and so does every
    posting with a review-queue decision that says relevance (board.review); every posting whose
    overrides set `locations` or `institution` becomes a check of what the normalizer now reads
    from the raw record the posting was first seen with.
    """
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from board.db import make_engine, make_session_factory
    from board.models import Posting

    engine = make_engine(url)
    examples: list[Example] = []
    checks: list[dict[str, Any]] = []
    try:
        with make_session_factory(engine)() as session:
            query = select(Posting).options(selectinload(Posting.links))
            for posting in session.scalars(query):
                overrides = posting.overrides or {}
                corrections = corrections_of(posting)
                if corrections:
                    raw = dict(posting.links[0].raw or {}) if posting.links else {}
                    checks.append({"id": posting.public_id, "raw": raw, **corrections})
                if not isinstance(overrides.get("relevant"), bool):
                    continue
                examples.append(
                    Example(
                        title=posting.title,
                        relevant=overrides["relevant"],
                        kind="editor",
                        split="train",
                        source="editor",
                        key=posting.public_id,
                        institution=posting.institution_name,
                        description=posting.description_text or None,
                        extra={"corrections": corrections},
                    )
                )
            examples = _with_review_decisions(session, examples)
    finally:
        engine.dispose()
    return examples, checks


def _with_review_decisions(session: Any, examples: list[Example]) -> list[Example]:
    """The review queue's decisions as examples (keep, pick: relevant; not relevant: not),
    each replacing a correction of the same posting (the decision is the later word)."""
    from sqlalchemy import inspect

    if not inspect(session.get_bind()).has_table("review_decisions"):
        return examples  # a database from before the review queue
    from board.review.services import training_labels

    by_key = {e.key: e for e in examples}
    for posting, relevant, decision in training_labels(session):
        by_key[posting.public_id] = Example(
            title=posting.title,
            relevant=relevant,
            kind="review",
            split="train",
            source="review",
            key=posting.public_id,
            institution=posting.institution_name,
            description=posting.description_text or None,
            extra={"decision": decision},
        )
    return list(by_key.values())


def corrections_of(posting: Any) -> dict[str, Any]:
    """The location and institution an editor set on a posting, beside what was normalized."""
    overrides = posting.overrides or {}
    normalized = posting.normalized or {}
    found: dict[str, Any] = {}
    for name in ("locations", "institution"):
        if name in overrides:
            found[name] = {"normalized": normalized.get(name), "corrected": overrides[name]}
    return found
