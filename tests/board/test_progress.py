"""The progress line: redrawn on a terminal, never repeated in a log."""

from __future__ import annotations

import io

from board.progress import Progress


class FakeTerminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_log_gets_the_final_line_once():
    log = io.StringIO()
    progress = Progress("indexed", stream=log, interval=0.0)
    for done in range(1, 48):
        progress.update(done, 47)
    progress.finish()
    lines = log.getvalue().splitlines()
    assert lines[-1].startswith("indexed 47/47 (")
    assert sum(line.startswith("indexed 47/47") for line in lines) == 1
    assert "\r" not in log.getvalue()


def test_a_terminal_line_is_redrawn_and_says_rate_and_time_left():
    tty = FakeTerminal()
    progress = Progress("indexed", stream=tty, interval=0.0)
    progress.update(10, 40)
    progress.finish()
    text = tty.getvalue()
    assert text.startswith("indexed 10/40 (") and "/s, " in text and "s left" in text
    assert "\r" in text and text.endswith("\n")
