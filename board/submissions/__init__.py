"""Postings submitted by institutions through the public form, and their moderation."""

from board.submissions import models  # noqa: F401 - registers the submissions table
