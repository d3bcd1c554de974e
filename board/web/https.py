"""Over https (directly or behind RCJOBS_PROXY_COUNT proxies): HSTS and Secure cookies."""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface

HSTS = "max-age=31536000; includeSubDomains"


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, marked Secure whenever the request came over https."""

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
