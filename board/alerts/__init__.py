"""Email alerts for any search: double opt-in, daily or weekly mail of new matching postings."""

from board.alerts import models  # noqa: F401 - registers the alert tables
