"""JSON as real sites publish it: control characters, comments, trailing commas, stray quotes."""

from __future__ import annotations

import json
import re
from typing import Any

_COMMENT_LINE = re.compile(r"^\s*(//.*|<!--.*-->)\s*$", re.MULTILINE)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_MAX_REPAIRS = 2000


def loads_lenient(text: str | bytes) -> Any | None:
    """Parse JSON as real sites publish it; None when it cannot be repaired.

    Accepts raw control characters in strings (``strict=False``), HTML/JS comment lines,
    a byte-order mark, trailing commas and unescaped double quotes inside string values
    (each quote that ends a string too early is escaped, one at a time). A document cut
    short (half an object) is never repaired: it answers None.
    """
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.strip().lstrip("\ufeff")
    if not text:
        return None
    try:
        return json.loads(text, strict=False)
    except ValueError:
        pass
    text = _TRAILING_COMMA.sub(r"\1", _COMMENT_LINE.sub("", text))
    if text.endswith(";"):
        text = text[:-1]
    for _ in range(_MAX_REPAIRS):
        try:
            return json.loads(text, strict=False)
        except json.JSONDecodeError as exc:
            repaired = _escape_stray_quote(text, exc)
            if repaired is None:
                return None
            text = repaired
    return None


def _escape_stray_quote(text: str, exc: json.JSONDecodeError) -> str | None:
    """Escape the quote that ended a string too early, if the error points just past one."""
    if not exc.msg.startswith(("Expecting ',' delimiter", "Expecting ':' delimiter")):
        return None
    quote = text.rfind('"', 0, exc.pos)
    if quote <= 0 or text[quote - 1] == "\\":
        return None
    if text[quote + 1 : exc.pos].strip():
        return None  # something other than whitespace sits between quote and error
    return text[:quote] + '\\"' + text[quote + 1 :]
