"""Text cleaning: sanitized HTML, plain text, one-line fields and the listing summary."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache
from typing import Any

import nh3

MAX_DESCRIPTION_CHARS = 200_000
MAX_LINE_CHARS = 300
SUMMARY_WORDS = 60

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan"}}
URL_SCHEMES = {"http", "https", "mailto"}

# Bounded repeats ([^<>]{0,1000}) keep "<a" * 100000 linear instead of quadratic.
_HTML_HINT = re.compile(
    r"<\s*/?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,1000})?\s*/?>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]{2,8});"
)
_DROP_BLOCKS = re.compile(r"<(script|style|noscript|template|head)\b.*?</\1\s*>", re.I | re.S)
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_BLOCK_TAGS = re.compile(
    r"<\s*/?\s*(?:p|div|br|li|ul|ol|tr|table|h[1-6]|blockquote|pre|dd|dt|dl|hr|section|article)\b"
    r"[^<>]{0,1000}>",
    re.I,
)
_LI_OPEN = re.compile(r"<\s*li\b[^<>]{0,1000}>", re.I)
_CELL_TAGS = re.compile(r"<\s*/?\s*(?:td|th|img)\b[^<>]{0,1000}>", re.I)
_TAG = re.compile(r"<[^<>]{0,2000}>")
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\ufeff]"
)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")
_HAS_WORD = re.compile(r"\w", re.U)
# UTF-8 read as Latin-1 or Windows-1252 leaves these pairs; ftfy runs only where one is.
_MOJIBAKE_HINT = re.compile(
    "[ÃÂâÅÄÐÑÎ][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u203a\u20ac\u2122]"
)
_HTML_STRUCTURE = re.compile(r"</(?:p|div|li|ul|ol|h[1-6]|table|span|b|strong)\s*>|<br\s*/?>", re.I)
_MARKDOWN_HINT = re.compile(
    r"^ {0,3}(?:[-*+] \S|\d{1,2}\. \S|#{1,6} \S)|\*\*\S[^*\n]{0,200}\*\*|\[[^\]\n]{1,200}\]\(https?://",
    re.M,
)


def looks_like_html(value: str) -> bool:
    """Whether a string carries HTML tags or entities."""
    return bool(_HTML_HINT.search(value))


def strip_controls(value: str) -> str:
    """NFC-normalize and drop control and invisible formatting characters."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value))


def repair_mojibake(value: str) -> str:
    """Text decoded with the wrong charset put right ("GÃ¶ttingen" -> "Göttingen"), by ftfy."""
    if value.isascii() or not _MOJIBAKE_HINT.search(value):
        return value
    import ftfy

    return ftfy.fix_text(value, normalization="NFC")


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment, paragraphs kept as blank-line breaks."""
    value = _COMMENTS.sub(" ", _DROP_BLOCKS.sub(" ", value))
    value = _LI_OPEN.sub("\n- ", value)
    value = _BLOCK_TAGS.sub("\n\n", value)
    value = _CELL_TAGS.sub(" ", value)
    value = html.unescape(_TAG.sub("", value))
    return tidy_text(value)


def tidy_text(value: str) -> str:
    """Collapse runs of spaces and blank lines in plain text (controls already stripped)."""
    value = _SPACES.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [line.strip() for line in value.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def clean_line(value: object, problems: list[str], field: str) -> str | None:
    """One-line text field (title, institution): HTML removed, whitespace collapsed, or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        else:
            problems.append(f"{field}: not text ({type(value).__name__}), dropped")
            return None
    raw = value
    if looks_like_html(value):
        value = html_to_text(value[: MAX_LINE_CHARS * 20])
        problems.append(f"{field}: HTML removed")
    value = " ".join(repair_mojibake(strip_controls(value)).split())
    if len(value) > MAX_LINE_CHARS:
        value = value[:MAX_LINE_CHARS].rsplit(" ", 1)[0]
        problems.append(f"{field}: longer than {MAX_LINE_CHARS} characters, cut")
    value = value.strip(" -–—|,;:")
    if not value:
        if raw.strip():
            problems.append(f"{field}: no text left after cleaning")
        return None
    if not _HAS_WORD.search(value):
        problems.append(f"{field}: only punctuation, dropped")
        return None
    return value


def sanitize_html(value: str) -> str:
    """Allow-listed HTML: no scripts, styles or event handlers; links get rel=nofollow noopener."""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        clean_content_tags={"script", "style"},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def markdown_to_html(value: str) -> str:
    """CommonMark (as the submission form may send it) to HTML; raw HTML inside is not passed."""
    return _markdown().render(value)


@cache
def _markdown() -> Any:
    """One CommonMark renderer with raw HTML disabled, built on first use."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def text_to_html(value: str) -> str:
    """Plain text as escaped paragraphs."""
    paragraphs = [p.strip() for p in value.split("\n\n") if p.strip()]
    return "".join(
        "<p>" + html.escape(p, quote=False).replace("\n", "<br>") + "</p>" for p in paragraphs
    )


def description_fields(value: object, problems: list[str]) -> tuple[str | None, str | None]:
    """Sanitized HTML and plain text of a description given as HTML or text."""
    if value is None:
        return None, None
    if not isinstance(value, str):
        problems.append(f"description: not text ({type(value).__name__}), dropped")
        return None, None
    if len(value) > MAX_DESCRIPTION_CHARS:
        problems.append(f"description: {len(value)} characters, cut to {MAX_DESCRIPTION_CHARS}")
        value = value[:MAX_DESCRIPTION_CHARS]
    value = strip_controls(value)
    if _MARKDOWN_HINT.search(value) and not _HTML_STRUCTURE.search(value):
        safe = sanitize_html(markdown_to_html(value))
        text = html_to_text(safe)
    elif looks_like_html(value):
        safe = sanitize_html(value)
        text = html_to_text(safe)
    else:
        text = tidy_text(value)
        safe = text_to_html(text)
    if not text:
        return None, None
    return safe, text


def summarize(text: str | None, words: int = SUMMARY_WORDS) -> str | None:
    """About `words` words of plain text, ending on a sentence where one ends near the limit."""
    if not text:
        return None
    tokens = text.replace("\n", " ").split()
    if len(tokens) <= words:
        return " ".join(tokens)
    cut = " ".join(tokens[:words])
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if cut.endswith((".", "!", "?")):
        return cut
    if end >= len(cut) * 0.6:
        return cut[: end + 1]
    return cut.rstrip(",;:-–—") + "…"
