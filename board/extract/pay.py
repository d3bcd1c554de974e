"""The pay line of a description ("Pay range: $120,000 - $150,000 per year")."""

from __future__ import annotations

import re

from board.extract.html import html_lines

_PAY_WORD = re.compile(r"\b(pay|salary|salaries|compensation|remuneration|wage)\b", re.I)
_MONEY = re.compile(
    r"([$£€]\s?\d{2,3}(,\d{3})+|[$£€]\s?\d{4,}|\d{2,3}(,\d{3})+(\.\d+)?\s?"
    r"(USD|CAD|AUD|NZD|GBP|EUR|CHF)|\b(USD|CAD|AUD|NZD|GBP|EUR|CHF)\s?\d[\d,]{3,}|[$£€]\s?\d+(\.\d+)?\s?[kK]"
    r"|[$£€]\s?\d{1,3}\.\d{2}(?!\d))"  # hourly: "$24.50 – $28.75 per hour"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n+")


def pay_range_line(html: str | None) -> str | None:
    """The first sentence of a description naming pay with an amount."""
    sentences = (part for line in html_lines(html) for part in _SENTENCE.split(line))
    for sentence in sentences:
        if _PAY_WORD.search(sentence) and _MONEY.search(sentence):
            return " ".join(sentence.split())[:300].rstrip(" .;,")
    return None
