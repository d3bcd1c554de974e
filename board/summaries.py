"""Card summaries that keep a description's list as a list ("- " lines) instead of a run-on."""

from __future__ import annotations

BULLET = "- "
SUMMARY_WORDS = 60
MIN_TAIL_WORDS = 4


def _cut(line: str, words: int) -> str:
    kept = line.split()[:words]
    return " ".join(kept).rstrip(",;:-–—") + "…"


def card_summary(text: str | None, fallback: str | None, words: int = SUMMARY_WORDS) -> str:
    """About `words` words of the description's lines when they include list items, else fallback.

    The normalizer's summary joins everything into one paragraph; when the opening words of a
    description hold a list, the card shows those lines (list items start with "- ").
    """
    kept: list[str] = []
    count = 0
    for line in (text or "").split("\n"):  # the opening lines only: the rest is never split
        parts = line.split()
        if not parts:
            continue
        size = len(parts)
        if count + size > words:
            room = words - count
            if room >= MIN_TAIL_WORDS or not kept:
                kept.append(_cut(" ".join(parts), max(room, MIN_TAIL_WORDS)))
            break
        kept.append(" ".join(parts))
        count += size
    if not any(line.startswith(BULLET) for line in kept):
        return fallback or ""
    return "\n".join(kept)
