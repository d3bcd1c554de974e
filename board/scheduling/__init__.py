"""Scheduled crawling on Celery: cadences, the queue, the workers, and the leases that keep one
crawl per source and one per host across the pool (see docs/crawling.md).

Nothing here imports spiders: a worker runs each crawl as `python -m board.cli crawl ID` in a
child process of its own, and the CLI composes board with spiders.
"""

from board.scheduling import models  # noqa: F401 - the lease tables, for Base.metadata
