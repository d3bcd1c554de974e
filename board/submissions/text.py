"""Description text: limited Markdown rendered with markdown-it-py, then cleaned with nh3."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import nh3

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "code", "pre", "blockquote", "h3", "h4",
}  # fmt: skip
_MARKDOWN: list[MarkdownIt] = []  # built on first use: markdown-it is not needed to start
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(r"<[/!?]?\s*[a-zA-Z]|<!--")


def strip_control(text: str) -> str:
    """Text without control characters (newlines and tabs stay)."""
    return _CONTROL.sub("", text)


def looks_like_markup(text: str) -> bool:
    """Whether the text contains something that looks like an HTML tag or comment."""
    return bool(_TAG.search(text))


def _markdown() -> MarkdownIt:
    """The renderer (CommonMark without raw HTML or images), built once."""
    if not _MARKDOWN:
        from markdown_it import MarkdownIt

        _MARKDOWN.append(MarkdownIt("commonmark", {"html": False}).disable("image"))
    return _MARKDOWN[0]


def render_description(text: str) -> str:
    """Safe HTML for a plain-text or Markdown description (raw HTML is shown as text)."""
    html = _markdown().render(strip_control(text))
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


def clean_html(html: str) -> str:
    """Any HTML reduced to nh3's safe default set (defence in depth for stored HTML)."""
    return nh3.clean(html or "", url_schemes={"http", "https", "mailto"})
