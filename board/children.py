"""Child processes that must not outlive the process that forked them.

A worker forked by an import or a crawl holds copies of its parent's pipes (the parent's
stdout among them): if it outlived a parent killed with SIGKILL, whoever waits for that
parent's output would wait for the worker too. `die_with_parent` asks Linux to kill the child
when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere the children notice by polling.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a freshly forked child of `parent`: be killed when it dies (exit now if it has)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the children poll os.getppid() instead
        pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(0)
