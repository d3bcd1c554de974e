"""A plain progress line for long jobs: count, rate and time left."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Print `label N/TOTAL (R/s, T s left)` at most a few times a second."""

    def __init__(self, label: str, stream: TextIO | None = None, interval: float = 0.5) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        # A terminal redraws one line; a log gets a new line now and then, never a repeat.
        self.interval = interval if self.tty else max(interval, 10.0)
        self.printed: tuple[int, int | None] | None = None
        self.started = time.monotonic()
        self.last = 0.0
        self.done = 0
        self.total: int | None = None

    def update(self, done: int, total: int | None = None) -> None:
        """Record progress; prints when enough time has passed."""
        self.done, self.total = done, total
        now = time.monotonic()
        if now - self.last >= self.interval:
            self.last = now
            self._print(now, end="\r" if self.tty else "\n")

    def _print(self, now: float, end: str = "\r") -> None:
        self.printed = (self.done, self.total)
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        of = f"/{self.total}" if self.total else ""
        left = ""
        if self.total and rate > 0:
            left = f", {max(self.total - self.done, 0) / rate:.0f} s left"
        self.stream.write(f"{self.label} {self.done}{of} ({rate:.0f}/s{left})   {end}")
        self.stream.flush()

    def finish(self) -> None:
        """Print the final line (once: a log that already has it gets no repeat)."""
        if self.tty or self.printed != (self.done, self.total):
            self._print(time.monotonic(), end="\n")
