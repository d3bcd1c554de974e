"""One source's crawl in a clean child process, with a soft and a hard time limit.

Scrapy's Twisted reactor runs once per process, so a worker never crawls in its own process:
it runs `python -m board.cli crawl ID` (which takes the leases, crawls, stores and indexes)
and waits. The child gets the worker's lease holder name, and dies with its worker
(PR_SET_PDEATHSIG on Linux), so a killed worker leaves no crawl behind to race the retry.
At the soft limit the child is asked to stop (SIGTERM: Scrapy closes the spider, the run ends
as failed and closes nothing); at the hard limit it is killed.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from board.config import whole_number
from board.scheduling.leases import HOLDER_VARIABLE

#: Exit code of `rcjobs crawl` when a lease it needs is held elsewhere (board.cli.EXIT_BUSY).
EXIT_BUSY = 75
DEFAULT_SOFT_LIMIT = 3600
DEFAULT_GRACE = 120
_PR_SET_PDEATHSIG = 1


def time_limits() -> tuple[int, int]:
    """(soft, hard) seconds a crawl may take: RCJOBS_CRAWL_TIME_LIMIT and a grace after it."""
    soft = whole_number(
        "RCJOBS_CRAWL_TIME_LIMIT",
        os.environ.get("RCJOBS_CRAWL_TIME_LIMIT"),
        default=DEFAULT_SOFT_LIMIT,
        minimum=1,
    )
    grace = whole_number(
        "RCJOBS_CRAWL_GRACE", os.environ.get("RCJOBS_CRAWL_GRACE"), default=DEFAULT_GRACE
    )
    return soft, soft + grace


@dataclass
class CrawlResult:
    """How a child crawl ended."""

    source_id: str
    returncode: int
    output: str
    timed_out: str | None = None  # "soft" or "hard"

    @property
    def busy(self) -> bool:
        """The source or its host was being crawled by someone else: try again later."""
        return self.returncode == EXIT_BUSY

    @property
    def skipped(self) -> bool:
        """It had been crawled since it was queued: nothing to do."""
        return self.returncode == 0 and f"skipped {self.source_id}:" in self.output

    def as_dict(self) -> dict[str, object]:
        """A JSON-able summary (the task's result)."""
        tail = "\n".join(self.output.strip().splitlines()[-8:])
        return {
            "source": self.source_id,
            "returncode": self.returncode,
            "busy": self.busy,
            "skipped": self.skipped,
            "timed_out": self.timed_out,
            "output": tail,
        }


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def crawl_command(
    source_id: str, sources_file: str | None, since: datetime | None = None
) -> list[str]:
    """The child's command line."""
    command = [sys.executable, "-m", "board.cli", "crawl"]
    if sources_file:
        command += ["--sources", sources_file]
    if since is not None:
        command += ["--unless-crawled-since", since.strftime("%Y-%m-%dT%H:%M:%S.%f")]
    extra = os.environ.get("RCJOBS_WORKER_CRAWL_SETTINGS", "")
    for pair in filter(None, (p.strip() for p in extra.split(","))):
        command += ["-s", pair]
    return [*command, source_id]


def run_crawl_process(
    source_id: str,
    sources_file: str | None,
    holder: str,
    since: datetime | None = None,
    limits: tuple[int, int] | None = None,
) -> CrawlResult:
    """Crawl one source in a child process and wait for it (within the time limits).

    With RCJOBS_WORKER_LOG_DIR set, each attempt's output is kept there as a file.
    """
    soft, hard = limits or time_limits()
    env = dict(os.environ, **{HOLDER_VARIABLE: holder})
    log_dir = os.environ.get("RCJOBS_WORKER_LOG_DIR")
    out_dir = Path(log_dir) if log_dir else None
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        crawl_command(source_id, sources_file, since),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,  # noqa: PLW1509
    )
    timed_out = None
    try:
        output, _ = child.communicate(timeout=soft)
    except subprocess.TimeoutExpired:
        timed_out = "soft"
        child.send_signal(signal.SIGTERM)
        try:
            output, _ = child.communicate(timeout=max(hard - soft, 1))
        except subprocess.TimeoutExpired:
            timed_out = "hard"
            child.kill()
            output, _ = child.communicate()
    except BaseException:
        child.kill()
        child.wait()
        raise
    if out_dir is not None:  # one file per attempt: SOURCE.PID.EXITCODE.log
        out_dir.mkdir(parents=True, exist_ok=True)
        name = f"{source_id}.{os.getpid()}.{child.pid}.{child.returncode}.log"
        (out_dir / name).write_text(output or "", encoding="utf-8")
    return CrawlResult(source_id, child.returncode, output or "", timed_out)
