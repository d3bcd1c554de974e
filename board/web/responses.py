"""The app's response class: werkzeug's, with headers that look absent names up cheaply."""

from __future__ import annotations

from typing import Any

from flask import Response
from werkzeug.datastructures import Headers


class LeanHeaders(Headers):
    """werkzeug's Headers, whose `in`, get() and setdefault() of a name not present answer
    without raising: werkzeug's look every name up through a method that raises (a 400
    BadRequestKeyError) and catch it, and a response's hooks ask for a dozen absent names.
    set() of a name not present appends it (werkzeug's scans the list twice)."""

    def _find(self, key: str) -> str | None:
        lowered = key.lower()
        if key.isascii():  # a name of another length cannot lower to it (only U+0130 grows,
            size = len(key)  # and into a non-ASCII pair): most names are passed unlowered
            for name, value in self._list:
                if len(name) == size and name.lower() == lowered:
                    return value
            return None
        for name, value in self._list:
            if name.lower() == lowered:
                return value
        return None

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return self._find(key) is not None
        return super().__contains__(key)  # type: ignore[operator]

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # type: ignore[override]  # noqa: A002
        if isinstance(key, str) and self._find(key) is None:
            return default
        return super().get(key, default, type)

    def set(self, key: str, value: Any, /, **kwargs: Any) -> None:
        """werkzeug's set(); a name not present is appended (checked as add() checks it)
        without werkzeug's second pass over every header."""
        if kwargs or not isinstance(key, str) or self._find(key) is not None:
            super().set(key, value, **kwargs)
        else:
            self.add(key, value)

    def setdefault(self, key: str, default: Any) -> str:
        found = self._find(key)
        if found is not None:
            return found
        self.add(key, default)  # as set() of a name not present: checked, then appended
        return self._list[-1][1]


class LeanResponse(Response):
    """Flask's Response with LeanHeaders (set as the app's response_class): the after-request
    hooks (security headers, caching, the session, Flask-Login) ask every response for about a
    dozen names it does not have. Headers given as a werkzeug Headers are kept as they are."""

    def __init__(
        self,
        response: Any = None,
        status: Any = None,
        headers: Any = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        if not isinstance(headers, Headers):
            headers = LeanHeaders(headers) if headers else LeanHeaders()
        super().__init__(response, status, headers, *args, **kwargs)

    def get_wsgi_headers(self, environ: Any) -> Headers:
        """werkzeug's: a copy of the headers, with Location made absolute and Content-Length
        fixed for the status. An answer with nothing to fix (no Location or Content-Location,
        its Content-Length set, a status with a body: every search answer) is copied without
        checking each value again (add() and set() checked them as they were given)."""
        status = self.status_code
        if 200 <= status < 300 and status != 204:
            length = False
            for key, _ in self.headers:
                lowered = key.lower()
                if lowered in _REWRITTEN:
                    break
                length = length or lowered == "content-length"
            else:
                if length:
                    copy = Headers()
                    copy._list = list(self.headers._list)  # noqa: SLF001 - werkzeug's own pairs
                    return copy
        return super().get_wsgi_headers(environ)


#: Headers werkzeug's get_wsgi_headers rewrites.
_REWRITTEN = ("location", "content-location")
