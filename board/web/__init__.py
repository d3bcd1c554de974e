"""The Flask application factory: one blueprint per area, templates at the top level."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, g, render_template

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
    init_app(app)
    _check_index(app, board)
    return app


def init_app(app: Flask) -> None:
    """Register blueprints, error pages and per-request teardown."""
    from board.web import api, jobs

    app.register_blueprint(jobs.bp)
    app.register_blueprint(api.bp)
    for module_name in (
        "board.web.feeds",
        "board.web.institutions",
        "board.submissions.views",
        "board.accounts.views",
        "board.editor.views",
        "board.newsletter.views",
    ):
        _register_optional(app, module_name)

    @app.errorhandler(404)
    def not_found(_error: Exception) -> tuple[str, int]:
        return render_template("errors/404.html"), 404

    @app.errorhandler(500)
    def server_error(_error: Exception) -> tuple[str, int]:
        return render_template("errors/500.html"), 500

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        session = g.pop("db", None)
        if session is not None:
            session.close()


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
    from flask import current_app

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
