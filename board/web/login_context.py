"""`current_user` in templates without loading the user on pages that never show it.

Flask-Login's context processor loads the user on every render (session protection's
identifier hash, the session read, the user query when logged in), though only the editor's
pages print who is logged in. Where loading can change nothing (an empty session, no
remember-me cookie, no auth header, no request loader: the user is anonymous and the load
writes nothing), templates get Flask-Login's `current_user` proxy instead, which loads the
same way if a template reads it. Anywhere else the user is loaded first, as Flask-Login does,
so session protection and remember-me act exactly as before.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request, session
from flask_login import current_user
from flask_login.config import AUTH_HEADER_NAME, COOKIE_NAME
from flask_login.utils import _get_user, _user_context_processor


def install(app: Flask) -> None:
    """Put `user_context` in place of Flask-Login's context processor (after its init_app)."""
    processors = app.template_context_processors.setdefault(None, [])
    for i, processor in enumerate(processors):
        if processor is _user_context_processor:
            processors[i] = user_context


def user_context() -> dict[str, Any]:
    """{"current_user": ...}: the lazy proxy when the user is surely anonymous, else loaded."""
    if certainly_anonymous():
        return {"current_user": current_user}
    return {"current_user": _get_user()}


def certainly_anonymous() -> bool:
    """Whether loading the user would find no one and write nothing (see the module doc)."""
    manager = current_app.login_manager  # type: ignore[attr-defined]
    if session or manager._request_callback is not None:  # noqa: SLF001 - Flask-Login's own
        return False
    config = current_app.config
    return (
        config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) not in request.cookies
        and config.get("AUTH_HEADER_NAME", AUTH_HEADER_NAME) not in request.headers
    )
