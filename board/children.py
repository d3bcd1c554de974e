"""Child processes that must not outlive the process that forked them.

A worker forked by an import or a crawl holds copies of its parent's pipes (the parent's
stdout among them): if it outlived a parent killed with SIGKILL, whoever waits for that
parent's output would wait for the worker too. `die_with_parent` asks Linux to kill the child
when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere the children notice by polling.
"""

from __future__ import annotations

import os
import signal

from board.libc import libc

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a freshly forked child of `parent`: be killed when it dies (exit now if it has)."""
    prctl = getattr(libc(), "prctl", None)
    if prctl is not None:  # Linux; elsewhere the children poll os.getppid() instead
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)
