"""Flask-Limiter imported and set up only when a rate limit is first checked.

Importing Flask-Limiter (with `limits`, `limits.aio`, `deprecated`, `wrapt`, `packaging`) cost
about 30 ms of the 0.5 CPU s `rcjobs serve` needed to its first answer, while only four views
declare a limit (login's POST, the submission's prefill and send, an alert's subscription) and
no limit applies app-wide. So `LazyLimiter` stands in for the `Limiter`: `limit(...)` records the
decoration and returns a view that builds the real Limiter, replays every recorded decoration
and filter on it and initialises it for the app (`load`) the first time a limited view is
called; then it calls the real decorated view. The app's request hooks (`install_hooks`) call
the real Limiter's own hooks once it is loaded for the app, and skip them before: until a
limited view has run in this process no limit was ever evaluated, so Flask-Limiter's hooks had
nothing to check or add (no limit is declared on any other view, and none app-wide).

An app configured with app-wide limits (RATELIMIT_DEFAULT, RATELIMIT_APPLICATION or
RATELIMIT_META) loads the Limiter when it is built, and its hooks run on every request.

Under gunicorn each worker loads its own the first time it serves a limited view (about 1.9 MB
of its own memory). Loading it in the master once the first worker was forked, so the later
workers would share it, was measured and left out: the master's new objects fill heap pages it
shared with the first worker, which then cost that worker about 2.5 MB of its own memory on
every start, whether it ever serves a limited view or not.
"""

from __future__ import annotations

import functools
import importlib
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request

#: Config keys of limits that apply to every request: with one, the Limiter loads with the app.
APP_WIDE = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")

View = Callable[..., Any]
#: A recorded decoration: the view, limit()'s arguments, and the slot for the real wrapper.
Decoration = tuple[View, tuple[Any, ...], dict[str, Any], dict[str, Any]]

#: app.extensions key: this app has been initialised on the real Limiter.
READY = "rcjobs.limiter"


class LazyLimiter:
    """A Flask-Limiter `Limiter` built on first use; the keyword arguments are the Limiter's
    (its key function is Flask-Limiter's get_remote_address); `before` names modules imported
    first (a storage class registering its URI scheme)."""

    def __init__(self, before: tuple[str, ...] = (), **options: Any) -> None:
        self._before = before
        self._options = options
        self._real: Any = None
        self._decorations: list[Decoration] = []
        self._filters: list[Callable[[], bool]] = []
        self._lock = threading.RLock()

    @property
    def loaded(self) -> bool:
        """Whether Flask-Limiter has been imported and the Limiter built."""
        return self._real is not None

    def limit(self, *args: Any, **kwargs: Any) -> Callable[[View], View]:
        """`Limiter.limit` as a view decorator, applied on the real Limiter when it loads."""
        methods = kwargs.get("methods")
        only = tuple(m.upper() for m in methods) if methods else None

        def decorate(view: View) -> View:
            slot: dict[str, Any] = {}

            @functools.wraps(view)
            def limited(*a: Any, **k: Any) -> Any:
                if "view" not in slot or not current_app.extensions.get(READY):
                    skipped = only is not None and request.method not in only
                    if skipped and not self.loaded_for(current_app):  # no limit on this method
                        return current_app.ensure_sync(view)(*a, **k)
                    self.load(current_app)
                return slot["view"](*a, **k)

            with self._lock:
                self._decorations.append((view, args, kwargs, slot))
                if self._real is not None:
                    slot["view"] = self._real.limit(*args, **kwargs)(view)
            return limited

        return decorate

    def request_filter(self, check: Callable[[], bool]) -> Callable[[], bool]:
        """`Limiter.request_filter`: a request for which `check()` is true is never limited."""
        with self._lock:
            self._filters.append(check)
            if self._real is not None:
                self._real.request_filter(check)
        return check

    def loaded_for(self, app: Flask) -> Any:
        """The real Limiter when it is initialised for `app`, else None."""
        return self._real if app.extensions.get(READY) else None

    def load(self, app: Flask) -> Any:
        """Build the real Limiter (once per process) and initialise it for `app` (once per
        app); the Limiter. Its request hooks are this app's own (install_hooks)."""
        with self._lock:
            if self._real is None:
                for name in self._before:
                    importlib.import_module(name)
                from flask_limiter import Limiter
                from flask_limiter.util import get_remote_address

                real = Limiter(key_func=get_remote_address, **self._options)
                for check in self._filters:
                    real.request_filter(check)
                for view, args, kwargs, slot in self._decorations:
                    slot["view"] = real.limit(*args, **kwargs)(view)
                self._real = real
            if not app.extensions.get(READY):
                # Listed first, so init_app registers no hooks of its own: install_hooks' are
                # in their place (Flask accepts no new hook once an app has served a request).
                app.extensions.setdefault("limiter", set()).add(self._real)
                self._real.init_app(app)
                app.extensions[READY] = True
            return self._real

    def install_hooks(self, app: Flask, skip: Callable[[], bool]) -> None:
        """Flask-Limiter's three request hooks, where its init_app would register them: they
        run the real Limiter's once it is loaded for the app, except where `skip()` is true."""

        # Each hook first asks whether the Limiter was built at all (no app context needed):
        # until a limited view has run in this process, none has anything to do.
        def check_limits() -> None:
            real = self._real if self._real is None else self.loaded_for(current_app)
            if real is not None and not skip():
                real._check_request_limit()  # noqa: SLF001 - the hook init_app would register

        def inject_headers(response: Any) -> Any:
            real = self._real if self._real is None else self.loaded_for(current_app)
            if real is None or skip():
                return response
            return real._Limiter__inject_headers(response)  # noqa: SLF001 - as init_app's hook

        def release_context(exc: BaseException | None = None) -> None:
            real = self._real if self._real is None else self.loaded_for(current_app)
            if real is not None and not skip():
                real._Limiter__release_context(exc)  # noqa: SLF001 - as init_app's hook

        app.before_request(check_limits)
        app.after_request(inject_headers)
        app.teardown_request(release_context)
        if any(app.config.get(name) for name in APP_WIDE):
            self.load(app)
