"""The editor's review queue: new postings ranked, one decision each, recorded for training."""

from board import decisions  # noqa: F401 - registers the review_decisions table
