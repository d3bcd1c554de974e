"""Where a login may send the editor next: relative paths on this site only."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

MAX_TARGET = 2000
MAX_DECODINGS = 4
# Browsers drop tabs and line breaks anywhere in a URL and trim spaces and controls around it,
# so "/\t/evil.example" is followed as "//evil.example"; judge the URL as a browser reads it.
_IGNORED = re.compile(r"[\x00-\x20\x7f]")


def _as_browser_reads(text: str) -> str:
    return _IGNORED.sub("", text).replace("\\", "/")


def is_local_path(target: str | None) -> bool:
    """Whether `target` is a path on this site, in every decoded form a browser might follow."""
    if not target or len(target) > MAX_TARGET:
        return False
    forms = [target]
    for _ in range(MAX_DECODINGS):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    else:
        return False  # still changing: encoded too many times to be an honest link
    for form in forms:
        seen = _as_browser_reads(form)
        if not seen.startswith("/") or seen.startswith("//"):
            return False
        parts = urlsplit(seen)
        if parts.scheme or parts.netloc:
            return False
    return True


def safe_next(target: str | None, fallback: str) -> str:
    """`target` when it is a local path (cleaned of what browsers ignore), else `fallback`."""
    return _IGNORED.sub("", target or "") if is_local_path(target) else fallback
