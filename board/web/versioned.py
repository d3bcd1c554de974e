"""Values read from the database once per index version, not once per request.

Every posting change reaches the index through the change log (board.indexing), and each index
write bumps the index's version token; a new institution comes with its first posting. So a
value derived from postings or institutions (the institution names of the facet sidebar, the
time postings last changed) stays right until the token changes, and is read again then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from board.services import Board

T = TypeVar("T")
_lock = threading.Lock()


def per_index_version(board: Board, name: str, load: Callable[[], T]) -> T:
    """`load()`, cached on the board until its index's version token changes."""
    token = board.index.version_token()  # read before loading: a write meanwhile reloads next
    cache: dict[str, tuple[Any, Any]] = board.__dict__.setdefault("_per_index_version", {})
    found = cache.get(name)
    if found is not None and found[0] == token:
        return found[1]
    value = load()
    with _lock:
        cache[name] = (token, value)
    return value
