"""The C library's functions the process calls directly (mallopt, prctl), loaded once.

`ctypes.util.find_library("c")` runs `ldconfig -p` in a subprocess on Linux: a fork of the
calling process and an exec, each time it is called (in the gunicorn master before fork, in
every normalizer worker and index follower an import or a crawl forks). The running program
has the C library loaded already: dlopen(NULL) reaches its symbols without a search.
"""

from __future__ import annotations

import ctypes
import functools


@functools.cache
def libc() -> ctypes.CDLL | None:
    """The process's own symbols (the C library's among them); None where that is refused."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - a platform without dlopen(NULL)
        return None
