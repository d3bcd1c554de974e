"""The Flask application factory: every area's blueprint (the public site in board.web, the
editor's, submissions, accounts, alerts, the newsletter, the review queue), error pages,
security headers; templates from board.templates."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, g, render_template, request
from werkzeug.exceptions import BadRequest, HTTPException, NotFound
from werkzeug.middleware.proxy_fix import ProxyFix

from board.safetext import has_unstorable
from board.services import Board
from board.web.context import (
    READ_METHODS,
    TEMPLATES,
    absolute_url,
    json_error,
    page_url,
    wants_json,
)
from board.web.leanflask import LeanFlask
from board.web.responses import LeanResponse

log = logging.getLogger(__name__)


def create_app(test_config: dict[str, Any] | None = None, board: Board | None = None) -> Flask:
    """Build the app for a Board (from the environment unless given)."""
    app = LeanFlask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder=str(TEMPLATES / "static"),
        static_url_path="/static",
    )
    app.response_class = LeanResponse
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
    _catch_up_index(app, board)
    return app


def _trust_proxies(app: Flask, board: Board) -> None:
    """Behind RCJOBS_PROXY_COUNT proxies, read the client's address and scheme from them."""
    from board.config import proxy_count

    count = proxy_count(app.config.get("RCJOBS_PROXY_COUNT", board.settings.proxy_count))
    if count > 0:
        # Only X-Forwarded-For and -Proto: the Host header is trusted as the proxy passes it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def init_app(app: Flask) -> None:
    """Register blueprints, error pages, security headers and per-request teardown."""
    from board.accounts import views as accounts
    from board.alerts import views as alerts
    from board.editor import views as editor
    from board.newsletter import views as newsletter
    from board.review import views as review
    from board.submissions import views as submissions
    from board.web import (
        api,
        feeds,
        health,
        https,
        institutions,
        jobs,
        links,
        login_context,
        openapi,
        seo,
    )
    from board.web.node import metrics_enabled

    if metrics_enabled(app.config.get("RCJOBS_METRICS")):  # prometheus_client only when on
        from board.web import metrics

        metrics.init_app(app, app.extensions["rcjobs"])  # first: it times every request
    app.register_blueprint(jobs.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(openapi.bp)
    feeds.register(app)
    institutions.register(app)
    app.register_blueprint(submissions.bp)
    accounts.register(app)
    login_context.install(app)  # templates load the user only when it can matter
    app.register_blueprint(editor.bp)
    newsletter.register(app)
    review.register(app)
    alerts.register(app)
    seo.register(app)
    health.register(app)
    _exempt_searches(app)
    app.before_request(_refuse_unstorable)

    app.jinja_env.trim_blocks = True  # small pages: no blank lines left by template tags
    app.jinja_env.lstrip_blocks = True
    app.register_error_handler(HTTPException, _http_error)
    app.after_request(_security_headers)
    https.init_app(app)
    app.add_template_global(page_url)
    app.add_template_global(links.request_url_for, "url_for")  # remembered per request
    app.add_template_global(current_app, "current_app")
    app.add_template_global(absolute_url)

    @app.teardown_appcontext
    def close_session(_exc: BaseException | None) -> None:
        session = g.pop("db", None)
        if session is not None:
            session.close()


#: Blueprints no rate limit applies to (searches, listings, feeds, the read-only API).
UNLIMITED_BLUEPRINTS = ("jobs", "api", "feeds")


def _exempt_searches(app: Flask) -> None:
    """Skip Flask-Limiter's per-request work on the search blueprints: no limit is declared
    on them, and only application-wide limits (RATELIMIT_DEFAULT or RATELIMIT_APPLICATION in
    the config, which rcjobs never sets) would reach them; then they stay checked. The limiter's
    hooks (board.accounts.lazylimit) return at once on them, and its request filter (the limit
    evaluation a decorated view runs) agrees."""
    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return
    from board.accounts.security import limiter, unlimited

    app.config["RCJOBS_UNLIMITED_BLUEPRINTS"] = UNLIMITED_BLUEPRINTS
    if not _filter_added:  # one Limiter for every app: its filter reads each app's config
        limiter.request_filter(unlimited)
        _filter_added.append(True)


_filter_added: list[bool] = []


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


def _security_headers(response: Response) -> Response:
    """Content-Security-Policy and friends on every response."""
    hashes = g.get("script_hashes")
    response.headers.setdefault(
        "Content-Security-Policy", _csp(" ".join(["'self'", *hashes])) if hashes else CSP
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Permissions-Policy", "geolocation=(), camera=(), microphone=()")
    if request.path.startswith("/api/"):
        response.headers.setdefault("Access-Control-Allow-Origin", "*")
    return response


def _csp(scripts: str) -> str:
    """The Content-Security-Policy allowing these script sources."""
    return (
        f"default-src 'self'; script-src {scripts}; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


#: The policy of a page without scripts of its own (most answers).
CSP = _csp("'self'")


def _refuse_unstorable() -> Any:
    """A path or form value no database can hold (NUL...): 404 or 400, never a query."""
    if has_unstorable(request.path):
        return _http_error(NotFound())
    if request.method not in READ_METHODS and any(
        has_unstorable(key) or has_unstorable(value)
        for key, value in request.form.items(multi=True)
    ):
        return _http_error(BadRequest("The form holds characters that cannot be stored."))
    return None


def _catch_up_index(app: Flask, board: Board) -> None:
    """Bring the index up to date from the change log (building it when missing)."""
    if app.config.get("TESTING") and not app.config.get("CHECK_INDEX"):
        return
    from board.indexing import catch_up_quietly

    done = catch_up_quietly(board)  # a failure is logged: the site still serves its pages
    if done is None:
        return
    if done.rebuilt or done.written or done.deleted:
        app.logger.warning(
            "search index caught up to change %d: %d posting(s) written, %d removed",
            done.watermark,
            done.written,
            done.deleted,
        )
