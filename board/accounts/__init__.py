"""Editor accounts: who may moderate, correct postings and build newsletter issues."""

from board.accounts import models  # noqa: F401 - registers the editors table
