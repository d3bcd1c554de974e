"""The Celery application and its one task: crawl one source.

The broker is RCJOBS_BROKER_URL (RabbitMQ `amqp://guest:guest@127.0.0.1:5672//`, or Redis
`redis://127.0.0.1:6379/0`); tasks go to the queue RCJOBS_QUEUE ("rcjobs-crawl"). Tasks are
acknowledged late and rejected when their worker process is lost, so a task whose worker died
mid-crawl goes back to the queue for another worker; each worker process takes one task at a
time. No result backend: what a crawl did is its crawl run in the database.
"""

from __future__ import annotations

import os
import zlib
from datetime import datetime
from typing import Any

from celery import Celery, Task
from celery.utils.log import get_task_logger

from board.config import whole_number
from board.scheduling.leases import lease_time, new_holder
from board.scheduling.runner import run_crawl_process, time_limits

log = get_task_logger(__name__)

DEFAULT_QUEUE = "rcjobs-crawl"
TASK_NAME = "rcjobs.crawl_source"
#: Seconds a task whose source or host is busy waits before it is tried again (plus jitter):
#: RCJOBS_BUSY_RETRY_SECONDS.
BUSY_RETRY = 15


class BrokerMissing(RuntimeError):
    """RCJOBS_BROKER_URL is not set."""


def broker_url() -> str:
    """The broker's URL, from RCJOBS_BROKER_URL."""
    url = os.environ.get("RCJOBS_BROKER_URL", "").strip()
    if not url:
        raise BrokerMissing(
            "RCJOBS_BROKER_URL is not set: point it at RabbitMQ"
            " (amqp://guest:guest@127.0.0.1:5672//) or Redis (redis://127.0.0.1:6379/0)"
        )
    return url


def queue_name() -> str:
    """The queue crawl tasks go to (RCJOBS_QUEUE)."""
    return os.environ.get("RCJOBS_QUEUE", "").strip() or DEFAULT_QUEUE


def make_app(url: str | None = None, queue: str | None = None) -> Celery:
    """The Celery application on this broker and queue."""
    soft, hard = time_limits()
    app = Celery("rcjobs", broker=url or broker_url(), set_as_current=False)
    app.conf.update(
        task_default_queue=queue or queue_name(),
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        broker_connection_retry_on_startup=True,
        # the child crawl has its own limits; Celery's are the backstop for the task itself
        task_soft_time_limit=hard + 30,
        task_time_limit=hard + 60,
        # Redis: a task not acknowledged within this many seconds is delivered again
        broker_transport_options={"visibility_timeout": hard + 120},
    )
    app.task(crawl_source_task, name=TASK_NAME, bind=True, max_retries=None)
    return app


def retry_delay(source_id: str, attempt: int) -> int:
    """Seconds before a busy source is tried again: grows a little, differs per source."""
    base = whole_number(
        "RCJOBS_BUSY_RETRY_SECONDS",
        os.environ.get("RCJOBS_BUSY_RETRY_SECONDS"),
        default=BUSY_RETRY,
        minimum=1,
    )
    spread = zlib.crc32(f"{source_id}:{attempt}".encode()) % base
    return min(base * (1 + min(attempt, 3)), 120) // 2 + spread


def crawl_source_task(
    self: Task, source_id: str, sources_file: str | None = None, queued_at: str | None = None
) -> dict[str, Any]:
    """Crawl one source in a child process; retry later when it or its host is busy."""
    holder = f"{new_holder()}:{self.request.id or 'local'}"[:255]
    since = datetime.fromisoformat(queued_at) if queued_at else None
    result = run_crawl_process(source_id, sources_file, holder, since=since)
    summary = result.as_dict()
    if result.busy:
        attempt = int(self.request.retries or 0)
        log.info("%s is busy (%s); again later", source_id, summary["output"])
        raise self.retry(countdown=retry_delay(source_id, attempt), max_retries=None)
    log.info("crawled %s: exit %s", source_id, result.returncode)
    return summary


def enqueue(app: Celery, source_id: str, sources_file: str | None, queued_at: datetime) -> None:
    """Put one source's crawl on the queue."""
    app.send_task(
        TASK_NAME,
        args=[source_id, sources_file, queued_at.isoformat()],
        queue=app.conf.task_default_queue,
    )


__all__ = ["BrokerMissing", "enqueue", "lease_time", "make_app"]
