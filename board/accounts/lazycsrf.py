"""Flask-WTF's CSRF protection on every form, with Flask-WTF imported when first needed.

Importing Flask-WTF and WTForms (with the five forms modules) cost about 10 ms of the CPU
`rcjobs serve`'s master needs before its first answer, while the pages that use them (login,
submission, alerts, the editor's and the newsletter's forms) are a few of the site's. So
`LazyCSRF` stands in for `flask_wtf.csrf.CSRFProtect`: `init_app` sets the same config defaults,
template globals and request hook as CSRFProtect's own, and the hook checks the request exactly
as CSRFProtect's does, with a real CSRFProtect built (Flask-WTF imported) the first time a
request's method needs a check (a POST); a GET never loads it. `csrf_token()` in a template
imports Flask-WTF's generate_csrf on its first call. A refused token raises `CSRFRefused` (a
`CSRFError` raised by Flask-WTF, re-raised as this module's own 400 so the app can register its
error page without importing Flask-WTF); its description is Flask-WTF's reason.

Under gunicorn each worker imports its own copy the first time it shows or checks a form
(about 10 ms and 1.1 MB of its own memory on this machine).
"""

from __future__ import annotations

import threading
from typing import Any

from flask import Blueprint, Flask, current_app, request
from werkzeug.exceptions import BadRequest


class CSRFRefused(BadRequest):
    """A missing, expired or foreign CSRF token (Flask-WTF's CSRFError, re-raised)."""

    description = "CSRF validation failed."


def generate_csrf(*args: Any, **kwargs: Any) -> str:
    """Flask-WTF's generate_csrf (the template global `csrf_token`), imported on first use."""
    from flask_wtf.csrf import generate_csrf as real

    return str(real(*args, **kwargs))


def csrf_meta_tag(*args: Any, **kwargs: Any) -> Any:
    """Flask-WTF's csrf_meta_tag (a template global), imported on first use."""
    from flask_wtf.csrf import csrf_meta_tag as real

    return real(*args, **kwargs)


class LazyCSRF:
    """CSRFProtect's interface (init_app, exempt, protect) without importing Flask-WTF."""

    def __init__(self) -> None:
        self._exempt_views: set[str] = set()
        self._exempt_blueprints: set[Blueprint] = set()
        self._real: Any = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether Flask-WTF's CSRFProtect has been built (Flask-WTF imported)."""
        return self._real is not None

    def real(self) -> Any:
        """The CSRFProtect that checks tokens, sharing this object's exemptions."""
        if self._real is None:
            with self._lock:
                if self._real is None:
                    from flask_wtf.csrf import CSRFProtect

                    real = CSRFProtect()  # no init_app: this object's hook calls its protect
                    real._exempt_views = self._exempt_views  # noqa: SLF001 - shared, not copied
                    real._exempt_blueprints = self._exempt_blueprints  # noqa: SLF001
                    self._real = real
        return self._real

    def init_app(self, app: Flask) -> None:
        """What CSRFProtect.init_app does: config defaults, template globals, the hook."""
        app.extensions["csrf"] = self
        app.config.setdefault("WTF_CSRF_ENABLED", True)
        app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", True)
        app.config["WTF_CSRF_METHODS"] = set(
            app.config.get("WTF_CSRF_METHODS", ["POST", "PUT", "PATCH", "DELETE"])
        )
        app.config.setdefault("WTF_CSRF_FIELD_NAME", "csrf_token")
        app.config.setdefault("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
        app.config.setdefault("WTF_CSRF_META_NAME", "csrf-token")
        app.config.setdefault("WTF_CSRF_TIME_LIMIT", 3600)
        app.config.setdefault("WTF_CSRF_SSL_STRICT", True)
        app.jinja_env.globals["csrf_token"] = generate_csrf
        app.jinja_env.globals["csrf_meta_tag"] = csrf_meta_tag
        app.context_processor(lambda: {"csrf_token": generate_csrf, "csrf_meta_tag": csrf_meta_tag})

        @app.before_request
        def csrf_protect() -> None:
            if not app.config["WTF_CSRF_ENABLED"]:
                return
            if not app.config["WTF_CSRF_CHECK_DEFAULT"]:
                return
            self.protect(apply_exemptions=True)

    def protect(self, apply_exemptions: bool = False) -> None:
        """CSRFProtect.protect: check the current request's token (raises CSRFRefused)."""
        if request.method not in current_app.config["WTF_CSRF_METHODS"]:
            return  # what the real check returns first, before anything is imported
        from flask_wtf.csrf import CSRFError

        try:
            self.real().protect(apply_exemptions=apply_exemptions)
        except CSRFError as exc:
            raise CSRFRefused(exc.description) from exc

    def exempt(self, view: Any) -> Any:
        """Mark a view (or its dotted name) or a blueprint as excluded from CSRF checks."""
        if isinstance(view, Blueprint):
            self._exempt_blueprints.add(view)
            return view
        location = view if isinstance(view, str) else f"{view.__module__}.{view.__name__}"
        self._exempt_views.add(location)
        return view
