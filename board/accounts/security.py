"""App-wide protections: CSRF on every form, the rate limiter, login and secure cookies."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, current_app, render_template, request
from flask_login import LoginManager, current_user

from board.accounts.lazycsrf import CSRFRefused, LazyCSRF
from board.accounts.lazylimit import LazyLimiter
from board.accounts.ratelimit import counters_path, create_counters, storage_uri

log = logging.getLogger(__name__)

#: Flask-WTF's CSRFProtect, imported when a form is first checked (board.accounts.lazycsrf).
csrf = LazyCSRF()
login_manager = LoginManager()
#: Limits are keyed by the client address (behind a proxy, configure ProxyFix first);
#: Flask-Limiter itself is imported when a limit is first checked (board.accounts.lazylimit).
limiter = LazyLimiter(
    default_limits=[],
    headers_enabled=True,
    before=("board.accounts.ratestore",),  # its scheme
)

RATELIMIT_FILE = "ratelimits.sqlite3"
DEFAULT_LIMITS = {
    "RCJOBS_LOGIN_LIMIT": "5 per minute; 30 per hour",
    "RCJOBS_SUBMIT_LIMIT": "5 per hour; 20 per day",
    "RCJOBS_PREFILL_LIMIT": "20 per hour",
    "RCJOBS_ALERT_LIMIT": "5 per hour; 20 per day",
}


def configured_limit(name: str) -> str:
    """A rate limit from the app config (tests tighten or relax them)."""
    return str(current_app.config.get(name) or DEFAULT_LIMITS[name])


def is_loopback_http(base_url: str) -> bool:
    """Whether the site is served over plain http on this machine (no Secure cookies then)."""
    parts = urlsplit(base_url or "")
    return parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost", "::1")


def configure(app: Flask) -> None:
    """Wire CSRF, Flask-Login, Flask-Limiter and cookie flags into the app."""
    secure = app.config.get("RCJOBS_COOKIE_SECURE")
    if secure is None:
        secure = not is_loopback_http(app.config.get("BASE_URL", ""))
    app.config.update(
        SESSION_COOKIE_SECURE=bool(secure),
        SESSION_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=bool(secure),
        REMEMBER_COOKIE_HTTPONLY=True,
    )
    for name, value in DEFAULT_LIMITS.items():
        app.config.setdefault(name, value)
    board = app.extensions["rcjobs"]
    if "RATELIMIT_STORAGE_URI" not in app.config:
        app.config["RATELIMIT_STORAGE_URI"] = board.settings.redis_url or _shared_file(
            Path(board.settings.instance_dir) / RATELIMIT_FILE
        )
    # A Redis outage must not stop submissions or logins: limits fall back to this process.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    csrf.init_app(app)
    if "api" in app.blueprints:
        csrf.exempt(app.blueprints["api"])  # a read-only JSON API without cookies
    limiter.install_hooks(app, skip=unlimited)  # where Flask-Limiter's init_app put its hooks
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to use the editor pages."
    login_manager.session_protection = "strong"
    app.register_error_handler(CSRFRefused, _csrf_refused)
    app.register_error_handler(429, _rate_limited)


def unlimited() -> bool:
    """True for a request of a blueprint no rate limit applies to (RCJOBS_UNLIMITED_BLUEPRINTS,
    set by board.app when no limit applies app-wide): the Limiter's hooks skip it."""
    return request.blueprint in current_app.config.get("RCJOBS_UNLIMITED_BLUEPRINTS", ())


def _shared_file(path: Path) -> str:
    """Counters in memory would be per worker process (each limit times the workers): without
    Redis they live in a file of the instance folder this machine's workers share. When that
    file cannot be made (a full disk, a read-only folder), the site still starts, counting in
    memory, and says so in one line."""
    uri = storage_uri(path)
    try:
        create_counters(counters_path(uri))
    except (OSError, sqlite3.Error) as exc:
        log.warning(
            "rate limits counted per process: cannot use %s (%s)", path, str(exc).strip() or exc
        )
        return "memory://"
    return uri


def _csrf_refused(error: CSRFRefused) -> tuple[str, int]:
    """A clear page for a missing, expired or foreign CSRF token."""
    return render_template("accounts/csrf_error.html", reason=error.description), 400


def _rate_limited(_error: Exception) -> tuple[str, int]:
    """A clear page when one address sends too much."""
    return render_template("accounts/rate_limited.html"), 429


def current_editor() -> object:
    """The signed-in Editor itself (not Flask-Login's proxy), for the audit log."""
    return current_user._get_current_object()  # noqa: SLF001 - Flask-Login's documented way


def require_editor():  # noqa: ANN201 - None, or the redirect to the login page
    """A before_request hook: refuse every request without an editor session."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None
