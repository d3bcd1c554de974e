"""Text that may go into XML (feeds, sitemaps): no characters XML 1.0 forbids, no markup."""

from __future__ import annotations

import html
import re

import nh3

# XML 1.0 allows tab, newline, carriage return and U+0020..U+D7FF, U+E000..U+FFFD and the
# astral planes: so no other C0 control, no lone surrogate, no U+FFFE or U+FFFF.
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: object) -> str:
    """The text without the characters XML cannot carry (they make lxml refuse the document)."""
    return XML_INVALID.sub("", str(text or ""))


def plain_text(text: object) -> str:
    """Text with every tag (and script or style content) removed, entities decoded, XML-safe.

    A feed reader renders an RSS description as HTML: what a posting's text calls <img ...>
    must not arrive there as markup, escaped or not.
    """
    cleaned = nh3.clean(xml_safe(text), tags=set(), attributes={})
    return " ".join(html.unescape(cleaned).split())
