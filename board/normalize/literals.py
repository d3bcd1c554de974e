"""A cheap test before a case-insensitive search: can the pattern match text at all?

`may_hold(text, lowered, words)` is False only when no `re.IGNORECASE` pattern that must match
one of `words` (lower-case ASCII literals) can match `text`: a substring `in` test is many times
faster than the search, and most descriptions hold none of the words. Under IGNORECASE an ASCII
letter in a pattern matches only itself in either case, or one of the four characters below
(checked over every code point); text holding one of those is always searched.
"""

from __future__ import annotations

from collections.abc import Iterable

#: The characters besides A-Z and a-z that re.IGNORECASE matches to an ASCII letter
#: (İ, dotless ı, long ſ, the Kelvin sign).
IGNORECASE_EXTRA = ("\u0130", "\u0131", "\u017f", "\u212a")


def may_hold(text: str, lowered: str, words: Iterable[str]) -> bool:
    """Whether `text` (`lowered`: its lower() or casefold()) may match an IGNORECASE pattern
    each of whose matches contains one of `words`, lower-case ASCII."""
    if has_extra(text):
        return True
    return any(word in lowered for word in words)


def has_extra(text: str) -> bool:
    """Whether text holds a character IGNORECASE matches to an ASCII letter other than A-Z."""
    return any(extra in text for extra in IGNORECASE_EXTRA)
