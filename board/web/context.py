"""What every view of the site shares: the request's database session and Board, URLs on the
public base URL, JSON errors, the templates folder. The views import this module, never the
application factory (board.web), which imports them."""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Response, current_app, g, jsonify, request, url_for
from sqlalchemy.orm import Session

from board.services import Board

#: The repository's templates/ folder, installed as the package board.templates (see pyproject).
TEMPLATES = Path(str(resources.files("board.templates")))
#: Methods whose requests only read: their sessions never take SQLite's write lock.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def wants_json() -> bool:
    """Whether the request is for the JSON API (errors answer in JSON there)."""
    return request.path.startswith("/api/")


def json_error(status: int, message: str, errors: dict[str, str] | None = None) -> Response:
    """A JSON error body: {"error": {"status", "message", "errors"?}}."""
    body: dict[str, Any] = {"status": status, "message": message}
    if errors:
        body["errors"] = errors
    response = jsonify({"error": body})
    response.status_code = status
    return response


def allow_inline_script(text: str) -> None:
    """Allow one inline script block (by its hash) in this response's Content-Security-Policy."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    g.setdefault("script_hashes", []).append(f"'sha256-{digest}'")


def page_url(endpoint: str, args: Any = None, **values: Any) -> str:
    """url_for plus a query string from a MultiDict (repeated keys kept, in order)."""
    if values:
        base = url_for(endpoint, **values)
    else:  # a page links to the same few endpoints dozens of times: built once a request
        built = g.setdefault("endpoint_urls", {})
        base = built.get(endpoint) or built.setdefault(endpoint, url_for(endpoint))
    pairs = list(args.items(multi=True)) if hasattr(args, "items") and args else []
    return f"{base}?{urlencode(pairs)}" if pairs else base


def absolute_url(path: str) -> str:
    """An absolute URL on the configured public base URL (stable across hosts and proxies)."""
    base = (current_app.config.get("BASE_URL") or request.host_url).rstrip("/")
    return f"{base}{path}"


def get_board() -> Board:
    """The Board of the current app."""
    return current_app.extensions["rcjobs"]


def get_db() -> Session:
    """The request's database session, closed at teardown (read-only for GET and HEAD)."""
    if "db" not in g:
        board = get_board()
        factory = board.read_sessions if request.method in READ_METHODS else board.sessions
        g.db = factory()
    return g.db
