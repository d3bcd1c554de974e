"""Newsletter issues: the highlights of each issue's jobs section and their export."""

from board.newsletter import models  # noqa: F401 - registers the issue tables
