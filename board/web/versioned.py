"""Values read from the database once per index version, not once per request.

Every posting change reaches the index through the change log (board.indexing), and each index
write bumps the index's version token; a new institution comes with its first posting. So a
value derived from postings or institutions (the institution names of the facet sidebar, the
time postings last changed) stays right until the token changes, and is read again then.

A request reads the token once (`index_token`: two stats, which cost more here than the rest of
the version checks) and answers from that one version throughout: its search, the cards and
JSON kept for that version, the names and Last-Modified. When this process writes the index
during the request (an editor's correction followed by its catch-up), the token is read again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, has_request_context

from board.services import Board

T = TypeVar("T")
_lock = threading.Lock()


def index_token(board: Board) -> Any:
    """The board's index version token, read once per request (again after this process
    wrote the index); read every time outside a request."""
    index = board.index
    if not has_request_context():
        return index.version_token()
    found = g.get("_index_token")
    if found is not None and found[0] is index and found[1] == index.writes:
        return found[2]
    token = index.version_token()
    g._index_token = (index, index.writes, token)
    return token


def per_index_version(board: Board, name: str, load: Callable[[], T]) -> T:
    """`load()`, cached on the board until its index's version token changes."""
    token = index_token(board)  # read before loading: a write meanwhile reloads next
    cache: dict[str, tuple[Any, Any]] = board.__dict__.setdefault("_per_index_version", {})
    found = cache.get(name)
    if found is not None and found[0] == token:
        return found[1]
    value = load()
    with _lock:
        cache[name] = (token, value)
    return value
