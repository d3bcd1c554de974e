"""Over https (directly or behind RCJOBS_PROXY_COUNT proxies): HSTS and Secure cookies."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer

HSTS = "max-age=31536000; includeSubDomains"


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked Secure whenever the request came over https.

    Flask builds a new signing serializer on every request, cookie or not; this one is built
    once per set of keys. A request whose session was never read, written or sent saves nothing,
    as Flask's own save_session ends for it, without first reading the cookie settings."""

    def __init__(self) -> None:
        self._serializers: dict[tuple[Any, ...], URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        """Flask's serializer for the app's current keys, remembered per keys."""
        if not app.secret_key:
            return None
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        found = self._serializers.get(keys)
        if found is None:
            found = super().get_signing_serializer(app)
            if found is not None:
                self._serializers[keys] = found
        return found

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Flask's: without a session cookie, a new empty session (as Flask's, which first
        looks the cookie up through a lookup that raises and catches for a missing name)."""
        if app.secret_key and (
            "HTTP_COOKIE" not in request.environ  # no cookie at all: none to parse
            or self.get_cookie_name(app) not in request.cookies
        ):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        """For an empty session nobody changed, what Flask's save_session does (a "Vary:
        Cookie" when it was read, as Flask-Login's after-request hook reads it, and no
        cookie) without first reading six cookie settings; Flask's otherwise."""
        if isinstance(session, SecureCookieSession) and not session and not session.modified:
            if session.accessed:
                response.vary.add("Cookie")
            return
        super().save_session(app, session, response)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured so or when this request is https."""
        return bool(super().get_cookie_secure(app) or request.is_secure)


def strict_transport(response: Response) -> Response:
    """Tell browsers to come back over https only (a response over http says nothing)."""
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def init_app(app: Flask) -> None:
    """Install the session interface and the HSTS header."""
    app.session_interface = SessionInterface()
    app.after_request(strict_transport)
