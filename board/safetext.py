"""Characters no database or feed can hold, removed the same way whichever database is used.

PostgreSQL refuses NUL in text and lone surrogates in JSON; SQLite stores NUL but not lone
surrogates (they cannot be encoded as UTF-8); XML (Atom, RSS, sitemaps) allows neither, nor
U+FFFE/U+FFFF or C0 controls other than tab, newline and carriage return. Ingest strips them
from every raw record before anything is stored, and counts what it removed, by reason.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

REASONS = {
    "nul": "NUL character",
    "control": "control character",
    "noncharacter": "U+FFFE/U+FFFF non-character",
    "surrogate": "unpaired surrogate",
}
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def _reason(char: str) -> str:
    if char == "\x00":
        return "nul"
    if char in "\ufffe\uffff":
        return "noncharacter"
    if "\ud800" <= char <= "\udfff":
        return "surrogate"
    return "control"


def has_unstorable(text: str) -> bool:
    """Whether a string holds a character no database or feed can hold."""
    return _UNSTORABLE.search(text) is not None


def clean_text(text: str, removed: Counter[str] | None = None) -> str:
    """The string without unstorable characters (counted by reason into `removed`)."""
    if not _UNSTORABLE.search(text):
        return text
    if removed is not None:
        removed.update(_reason(char) for char in _UNSTORABLE.findall(text))
    return _UNSTORABLE.sub("", text)


def clean_value(value: Any, removed: Counter[str]) -> Any:
    """A JSON-like value (dicts, lists, strings) with every string cleaned, keys included."""
    if isinstance(value, str):
        return clean_text(value, removed)
    if isinstance(value, Mapping):
        return {clean_text(str(k), removed): clean_value(v, removed) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_value(item, removed) for item in value]
    return value


def describe(removed: Mapping[str, int]) -> str:
    """ "2 NUL characters, 1 control character" """
    parts = []
    for reason, count in sorted(removed.items()):
        name = REASONS.get(reason, reason)
        parts.append(f"{count} {name}{'s' if count != 1 else ''}")
    return ", ".join(parts)
