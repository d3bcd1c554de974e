"""Text that may go into XML (feeds, sitemaps): no characters XML 1.0 forbids, no markup."""

from __future__ import annotations

import html

import nh3

from board.safetext import clean_text


def xml_safe(text: object) -> str:
    """The text without the characters XML cannot carry (they make lxml refuse the document).

    Ingest already strips them (board.safetext, the same set: XML 1.0 allows no C0 control but
    tab, newline and carriage return, no lone surrogate, no U+FFFE or U+FFFF); feeds strip
    again for what arrives another way, such as a query string echoed in a feed's title.
    """
    return clean_text(str(text or ""))


def plain_text(text: object) -> str:
    """Text with every tag (and script or style content) removed, entities decoded, XML-safe.

    A feed reader renders an RSS description as HTML: what a posting's text calls <img ...>
    must not arrive there as markup, escaped or not.
    """
    cleaned = nh3.clean(xml_safe(text), tags=set(), attributes={})
    return " ".join(html.unescape(cleaned).split())
