"""HTML reading shared by the platform modules (BeautifulSoup over lxml).

There is one HTML-to-text function in the project, `board.normalize.text.html_to_text`;
`html_lines` and `html_text` here are views of its output.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin

from bs4 import BeautifulSoup
from bs4.element import Tag

from board.normalize.text import html_to_text

__all__ = [
    "document_complete",
    "first_text",
    "html_lines",
    "html_text",
    "html_to_text",
    "inner_html",
    "job_looking_links",
    "parse_html",
    "text_of",
]

# A link that looks like a job posting on any platform: a numbered job path or a job id
# parameter. Listing parsers that read no posting from a page with such links fail the page.
_JOB_LINK = re.compile(
    r"/(?:jobs?|vacanc\w*|positions?|postings?|requisitions?|opportunit\w*|offers?|details?)"
    r"/(?:[^?#]*?/)?[\w-]*\d{3,}|[?&](?:jobid|job_id|job|rid|reqid|requisitionid|jobopeningid"
    r"|jobno|ljobid)=\w",
    re.IGNORECASE,
)


def parse_html(body: bytes | str) -> BeautifulSoup:
    """A parsed HTML document (lxml's parser: fast, forgiving)."""
    return BeautifulSoup(body or b"", "lxml")


def text_of(element: Tag | None) -> str:
    """An element's text, whitespace collapsed ("" for None)."""
    if element is None:
        return ""
    return " ".join(element.get_text(" ").split())


def first_text(root: Tag, css: str) -> str | None:
    """The first non-blank text the selectors find, trying "a, b, c" in that order."""
    for selector in css.split(","):
        for element in root.select(selector.strip()):
            text = text_of(element)
            if text:
                return text
    return None


def inner_html(element: Tag | None) -> str:
    """An element's inner HTML."""
    return element.decode_contents().strip() if element is not None else ""


def html_lines(html: str | None) -> list[str]:
    """Text lines of an HTML fragment, one per block, whitespace collapsed."""
    if not html or not html.strip():
        return []
    lines = (" ".join(line.split()) for line in html_to_text(html).splitlines())
    return [line.removeprefix("- ") for line in lines if line]


def html_text(html: str | None) -> str:
    """Plain text of an HTML fragment on one line."""
    return " ".join(html_lines(html))


def document_complete(body: bytes | str) -> bool:
    """Whether an HTML document reached its own end: a page that opens <html> (or <body>)
    must close it. A fragment without either cannot tell, and passes."""
    data = body.encode("utf-8", "replace") if isinstance(body, str) else body
    head = data[:4096].lower()
    tail = data[-65536:].lower()
    if b"<html" in head:
        return b"</html" in tail
    if b"<body" in data[:65536].lower():
        return b"</body" in tail
    return True


def job_looking_links(root: Tag, base_url: str) -> list[str]:
    """Absolute URLs of the page's links that look like job postings."""
    links: list[str] = []
    for anchor in root.select("a[href]"):
        href = str(anchor.get("href") or "").strip()
        if href and not href.startswith(("#", "javascript:", "mailto:")) and _JOB_LINK.search(href):
            url = urljoin(base_url, href)
            if url not in links:
                links.append(url)
    return links


def attr(element: Any, name: str) -> str:
    """An attribute's value as one string ("" when absent)."""
    if element is None:
        return ""
    value = element.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return str(value or "").strip()
