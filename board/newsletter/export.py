"""The jobs section of an issue as Markdown, HTML or plain text, in the newsletter's shape."""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import escape

from board.newsletter.models import Highlight, Issue

SECTION_TITLE = "Jobs Leading Research Computing Teams"
INTRO = "Highlights below; full listing available on the job board."
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&!])")
_MD_BULLET = re.compile(r"^([-+=])")
_MD_NUMBER = re.compile(r"^(\d+)([.)])")


def listing_url(base_url: str) -> str:
    """The full listing."""
    return f"{base_url}/jobs"


def posting_url(base_url: str, public_id: str) -> str:
    """A posting's permanent page."""
    return f"{base_url}/jobs/{public_id}"


def _where(highlight: Highlight) -> str:
    where = f", {highlight.location_display}" if highlight.location_display else ""
    return f" - {highlight.institution}{where}"


def md_inline(text: str) -> str:
    """Text inside a Markdown line shown literally (no markup, no raw HTML)."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def md_escape(text: str) -> str:
    """A Markdown paragraph shown literally, even where it starts like a list or heading."""
    escaped = md_inline(text.strip())
    return _MD_NUMBER.sub(r"\1\\\2", _MD_BULLET.sub(r"\\\1", escaped))


def markdown(issue: Issue, base_url: str) -> str:
    """Markdown: a heading, the intro, then a linked heading line and a paragraph each."""
    intro = INTRO.replace("job board", f"[job board]({listing_url(base_url)})")
    lines = [f"## {SECTION_TITLE}", "", intro, ""]
    for h in issue.highlights:
        link = f"[{md_inline(h.title.strip())}]({posting_url(base_url, h.public_id)})"
        lines += [f"**{link}{md_inline(_where(h))}**", "", md_escape(h.blurb), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def html(issue: Issue, base_url: str) -> str:
    """HTML: the same lines, every text escaped."""
    intro = str(escape(INTRO)).replace(
        "job board", f'<a href="{escape(listing_url(base_url))}">job board</a>'
    )
    lines = [f"<h2>{escape(SECTION_TITLE)}</h2>", f"<p>{intro}</p>"]
    for h in issue.highlights:
        href = escape(posting_url(base_url, h.public_id))
        lines.append(
            f'<p><strong><a href="{href}">{escape(h.title)}</a>{escape(_where(h))}</strong></p>'
        )
        lines.append(f"<p>{escape(h.blurb)}</p>")
    return "\n".join(lines) + "\n"


def text(issue: Issue, base_url: str) -> str:
    """Plain text: the fixture's lines, each heading followed by its link in angle brackets."""
    lines = [SECTION_TITLE, INTRO, f"<{listing_url(base_url)}>"]
    for h in issue.highlights:
        lines += [h.title + _where(h), f"<{posting_url(base_url, h.public_id)}>", h.blurb]
    return "\n".join(" ".join(line.split()) for line in lines) + "\n"


FORMATS: dict[str, tuple[Callable[[Issue, str], str], str]] = {
    "markdown": (markdown, "md"),
    "html": (html, "html"),
    "text": (text, "txt"),
}


def export(issue: Issue, base_url: str, fmt: str) -> str:
    """The section in one of FORMATS; ValueError for an unknown format."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    return FORMATS[fmt][0](issue, base_url)
