"""The Flask application factory: one blueprint per area, templates at the top level."""

from __future__ import annotations

import base64
import hashlib
import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from board.services import Board

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None, board: Board | None = None) -> Flask:
    """Build the app for a Board (from the environment unless given)."""
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(TEMPLATES / "static"),
        static_url_path="/static",
    )
    board = board or Board()
    app.config.from_mapping(
        SECRET_KEY=board.settings.secret_key,
        BASE_URL=board.settings.base_url,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
    )
    if test_config:
        app.config.update(test_config)
    app.extensions["rcjobs"] = board
    _trust_proxies(app, board)
    init_app(app)
    _check_index(app, board)
    return app


def _trust_proxies(app: Flask, board: Board) -> None:
    """Behind RCJOBS_PROXY_COUNT proxies, read the client's address and scheme from them."""
    from board.config import proxy_count

    count = proxy_count(app.config.get("RCJOBS_PROXY_COUNT", board.settings.proxy_count))
    if count > 0:
        # Only X-Forwarded-For and -Proto: the Host header is trusted as the proxy passes it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)


def init_app(app: Flask) -> None:
    """Register blueprints, error pages, security headers and per-request teardown."""
    from board.web import api, https, jobs, openapi

    app.register_blueprint(jobs.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(openapi.bp)
    for module_name in (
        "board.web.feeds",
        "board.web.institutions",
        "board.submissions.views",
        "board.accounts.views",
        "board.editor.views",
        "board.newsletter.views",
        "board.alerts.views",
        "board.web.seo",
    ):
        _register_optional(app, module_name)

    app.jinja_env.trim_blocks = True  # small pages: no blank lines left by template tags
    app.jinja_env.lstrip_blocks = True
    app.register_error_handler(HTTPException, _http_error)
    app.after_request(_security_headers)
    https.init_app(app)
    app.add_template_global(page_url)
    app.add_template_global(current_app, "current_app")
    app.add_template_global(absolute_url)

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        session = g.pop("db", None)
        if session is not None:
            session.close()


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


def _http_error(error: HTTPException) -> Any:
    """Error pages: JSON under /api/, a friendly page elsewhere."""
    status = error.code or 500
    if wants_json():
        return json_error(status, error.description or error.name)
    template = "errors/404.html" if status == 404 else "errors/error.html"
    if status >= 500:
        template = "errors/500.html"
    return render_template(template, error=error, status=status), status


# JSON-LD is a data block, not script, but its hash is listed so strict CSP checkers agree.
def allow_inline_script(text: str) -> None:
    """Allow one inline script block (by its hash) in this response's Content-Security-Policy."""
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    g.setdefault("script_hashes", []).append(f"'sha256-{digest}'")


def _security_headers(response: Response) -> Response:
    """Content-Security-Policy and friends on every response."""
    scripts = " ".join(["'self'", *g.get("script_hashes", [])])
    response.headers.setdefault(
        "Content-Security-Policy",
        f"default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    if request.path.startswith("/api/"):
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
    return response


def page_url(endpoint: str, args: Any = None, **values: Any) -> str:
    """url_for plus a query string from a MultiDict (repeated keys kept, in order)."""
    base = url_for(endpoint, **values)
    pairs = list(args.items(multi=True)) if hasattr(args, "items") and args else []
    return f"{base}?{urlencode(pairs)}" if pairs else base


def absolute_url(path: str) -> str:
    """An absolute URL on the configured public base URL (stable across hosts and proxies)."""
    base = (current_app.config.get("BASE_URL") or request.host_url).rstrip("/")
    return f"{base}{path}"


def _register_optional(app: Flask, module_name: str) -> None:
    """Register an area's blueprint when its module exists (areas arrive one by one)."""
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and module_name.startswith(exc.name):
            return
        raise
    register = getattr(module, "register", None)
    if register is not None:
        register(app)
    else:
        app.register_blueprint(module.bp)


def get_board() -> Board:
    """The Board of the current app."""
    return current_app.extensions["rcjobs"]


def get_db():  # noqa: ANN201 - a Session
    """The request's database session, closed at teardown."""
    if "db" not in g:
        g.db = get_board().sessions()
    return g.db


def _check_index(app: Flask, board: Board) -> None:
    """Rebuild the index when it is missing or behind the database, and say so in the log."""
    if app.config.get("TESTING") and not app.config.get("CHECK_INDEX"):
        return
    try:
        if board.index_is_current():
            return
        app.logger.warning("search index missing or behind the database: rebuilding it")
        count = board.rebuild_index()
        app.logger.warning("search index rebuilt: %d postings", count)
    except Exception:  # noqa: BLE001 - the site still serves posting pages without search
        log.exception("could not check or rebuild the search index")
