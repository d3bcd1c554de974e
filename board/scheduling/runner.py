"""One source's crawl in a clean child process, with a soft and a hard time limit.

Scrapy's Twisted reactor runs once per process, so a worker never crawls in its own process:
its child runs `rcjobs crawl ID` (which takes the leases, crawls, stores and indexes) and the
worker waits. Where the platform can fork (Linux, macOS) the child is forked from the worker,
which imported what a crawl needs before it took work (board.scheduling.preload), and runs
the CLI's main command (board.cli) as `python -m board.cli` would: a crawl then starts in
milliseconds instead of seconds of imports.
RCJOBS_CRAWL_CHILD=exec starts a new interpreter instead.

The child gets the worker's lease holder name, and dies with its worker (PR_SET_PDEATHSIG on
Linux), so a killed worker leaves no crawl behind to race the retry. At the soft limit the
child is asked to stop (SIGTERM: Scrapy closes the spider, the run ends as failed and closes
nothing); at the hard limit it is killed.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from board.children import die_with_parent
from board.config import ConfigError, whole_number
from board.scheduling.leases import HOLDER_VARIABLE

#: Exit code of `rcjobs crawl` when a lease it needs is held elsewhere (board.cli.EXIT_BUSY).
EXIT_BUSY = 75
DEFAULT_SOFT_LIMIT = 3600
DEFAULT_GRACE = 120


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


#: The module the child runs (as `python -m` would): the CLI, which composes board and spiders.
CLI_MODULE = "board.cli"
#: Signals a worker process may have its own handlers for; a forked child starts with none.
_RESET_SIGNALS = ("SIGTERM", "SIGINT", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGCHLD")


def child_mode() -> str:
    """ "fork" (the default where os.fork exists) or "exec" (RCJOBS_CRAWL_CHILD)."""
    mode = os.environ.get("RCJOBS_CRAWL_CHILD", "").strip().lower()
    if mode not in ("", "fork", "exec"):
        raise ConfigError(f"RCJOBS_CRAWL_CHILD must be fork or exec, not {mode!r}")
    if not hasattr(os, "fork"):
        return "exec"
    return mode or "fork"


def crawl_arguments(
    source_id: str, sources_file: str | None, since: datetime | None = None
) -> list[str]:
    """The arguments of the child's `rcjobs crawl`."""
    command = ["crawl"]
    if sources_file:
        command += ["--sources", sources_file]
    if since is not None:
        command += ["--unless-crawled-since", since.strftime("%Y-%m-%dT%H:%M:%S.%f")]
    extra = os.environ.get("RCJOBS_WORKER_CRAWL_SETTINGS", "")
    for pair in filter(None, (p.strip() for p in extra.split(","))):
        command += ["-s", pair]
    return [*command, source_id]


def crawl_command(
    source_id: str, sources_file: str | None, since: datetime | None = None
) -> list[str]:
    """The child's command line, as a new interpreter."""
    return [sys.executable, "-m", CLI_MODULE, *crawl_arguments(source_id, sources_file, since)]


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
    limits = limits or time_limits()
    if child_mode() == "fork":
        pid, returncode, output, timed_out = _forked(
            crawl_arguments(source_id, sources_file, since), holder, limits
        )
    else:
        pid, returncode, output, timed_out = _executed(
            crawl_command(source_id, sources_file, since), holder, limits
        )
    log_dir = os.environ.get("RCJOBS_WORKER_LOG_DIR")
    if log_dir:  # one file per attempt: SOURCE.WORKERPID.CHILDPID.EXITCODE.log
        out_dir = Path(log_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        name = f"{source_id}.{os.getpid()}.{pid}.{returncode}.log"
        (out_dir / name).write_text(output, encoding="utf-8")
    return CrawlResult(source_id, returncode, output, timed_out)


Outcome = tuple[int, int, str, str | None]  # child pid, exit code, output, timed out


def _executed(command: list[str], holder: str, limits: tuple[int, int]) -> Outcome:
    """Run the crawl as a new interpreter."""
    soft, hard = limits
    env = dict(os.environ, **{HOLDER_VARIABLE: holder})
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        preexec_fn=partial(die_with_parent, os.getpid()),  # noqa: PLW1509
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
    return child.pid, child.returncode, output or "", timed_out


def _forked(arguments: list[str], holder: str, limits: tuple[int, int]) -> Outcome:
    """Fork the crawl from this (preloaded) process; its output goes to a temporary file."""
    soft, hard = limits
    with tempfile.TemporaryFile() as out:
        parent = os.getpid()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child (measured by the worker tests)
            _child(arguments, holder, out.fileno(), parent)
        timed_out = None
        try:
            code = _wait(pid, soft)
            if code is None:
                timed_out = "soft"
                os.kill(pid, signal.SIGTERM)
                code = _wait(pid, max(hard - soft, 1))
            if code is None:
                timed_out = "hard"
                os.kill(pid, signal.SIGKILL)
                code = _wait(pid, None)
        except BaseException:
            _kill_and_reap(pid)
            raise
        out.seek(0)
        output = out.read().decode("utf-8", errors="replace")
    return pid, code if code is not None else -signal.SIGKILL, output, timed_out


def _child(arguments: list[str], holder: str, out: int, parent: int) -> None:  # pragma: no cover
    """In the forked child: a clean slate, then `rcjobs crawl ...`; never returns."""
    code = 1
    try:
        die_with_parent(parent)
        for name in _RESET_SIGNALS:
            number = getattr(signal, name, None)
            if number is not None:
                signal.signal(number, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
        _forget_inherited_logging()
        os.environ[HOLDER_VARIABLE] = holder
        sys.argv = ["rcjobs", *arguments]
        import importlib

        # the CLI by its module name, as `python -m board.cli` would find it (the worker is
        # itself an `rcjobs` command, so the module is usually loaded already)
        command = importlib.import_module(CLI_MODULE).main
        command.main(args=arguments, prog_name="rcjobs")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported in the output, as an interpreter would
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _forget_inherited_logging() -> None:  # pragma: no cover - runs in the forked child
    """Drop the worker's log handlers (Celery's) so the crawl logs to its own output only."""
    import logging

    loggers = [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]
    for logger in loggers:
        if isinstance(logger, logging.Logger):
            for handler in list(logger.handlers):
                logger.removeHandler(handler)


def _wait(pid: int, timeout: float | None) -> int | None:
    """The child's exit code once it ends within `timeout` seconds (None: it is still running)."""
    deadline = None if timeout is None else time.monotonic() + timeout
    watch = _pidfd(pid)
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return None
            if watch is not None:  # woken when the child exits
                select.select([watch], [], [], left)
            else:  # no pidfd (not Linux): look again shortly
                time.sleep(0.05 if left is None else min(left, 0.05))
    finally:
        if watch is not None:
            os.close(watch)


def _pidfd(pid: int) -> int | None:
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return int(opener(pid))
    except OSError:
        return None


def _kill_and_reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
