"""RSS 2.0, RSS 1.0 and Atom job feeds read with feedparser, and whether a feed was whole.

A feed is its whole listing only when the document reaches the closing tag of its root
element (`</rss>`, `</feed>`, `</rdf:RDF>`) with every item closed. A feed cut anywhere else
(even right after an `</item>`) keeps the items it closed, fails the page and so closes
nothing; an item cut in the middle is dropped, never read half.
"""

from __future__ import annotations

import html
import re
from typing import Any

import feedparser
import lxml.etree

from board.extract.page import Fetched, Page
from board.extract.pay import pay_range_line
from board.extract.source import Source

_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF)\b")
_OPEN_ITEM = re.compile(rb"<(?:[\w-]+:)?(?:item|entry)[\s>/]")
_CLOSE_ITEM = re.compile(rb"</(?:[\w-]+:)?(?:item|entry)\s*>")
_LOCATION = re.compile(r"Location:\s*(?:</strong>|</b>)?\s*([^<\n]+)", re.IGNORECASE)
# "Brisbane, Queensland, Australia. This position is hybrid": the place is the first sentence.
_SENTENCE_END = re.compile(r"(?<=[a-z]{3})\.\s+(?=[A-Z])")


def feed_root(body: bytes) -> str | None:
    """The root element's local name (rss, feed, RDF), or None for a body that is no feed."""
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", body[:4096], flags=re.S)
    match = _ROOT.match(head.lstrip())
    return match.group(1).decode() if match else None


def feed_whole(body: bytes, root: str) -> tuple[bool, int]:
    """(whether the feed reached its closing root tag with every item closed, items closed)."""
    closed = len(_CLOSE_ITEM.findall(body))
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        lxml.etree.fromstring(body.strip(), parser)
        return True, closed
    except lxml.etree.XMLSyntaxError:
        pass  # sloppy (an HTML entity, a stray '&') or cut short: look at the ending
    ends = re.search(rb"</(?:[\w-]+:)?" + root.encode() + rb"\s*>\s*$", body) is not None
    return ends and closed == len(_OPEN_ITEM.findall(body)), closed


def read_feed(fetched: Fetched, source: Source, location_fields: bool = True) -> Page:
    """Records of every whole item of a feed; the end signal when the feed was whole."""
    page = Page()
    root = feed_root(fetched.body)
    if root is None:
        return page.fail("not_a_feed", fetched.url)
    whole, closed = feed_whole(fetched.body, root)
    entries = list(feedparser.parse(fetched.body, sanitize_html=False).entries)
    if not whole:
        cut = entries[closed:]
        entries = entries[:closed]
        for entry in cut:
            page.drop("truncated_item", str(entry.get("id") or entry.get("title") or "?"))
    for entry in entries:
        page.listed += 1
        page.record(source, **entry_fields(entry, source))
    if not whole:
        return page.fail("truncated_feed", f"{fetched.url}: {closed} whole item(s)")
    page.end = True
    return page


def entry_fields(entry: Any, source: Source) -> dict[str, Any]:
    """The raw fields of one feed entry (feedparser's view of an <item> or <entry>)."""
    title = " ".join(str(entry.get("title") or "").split())
    institution = None
    separator = source.get("title_separator")
    if separator and separator in title:
        title, institution = (part.strip() for part in title.rsplit(separator, 1))
    description = _description(entry)
    link = str(entry.get("link") or "").strip() or None
    ident = str(entry.get("taleo_reqid") or entry.get("id") or link or "").strip()
    return {
        "title": title,
        "institution": institution,
        "location": taleo_location(entry) or location_of(entry, description, source),
        "description": description,
        "salary": pay_range_line(description),
        "url": link,
        "posted": entry.get("published") or entry.get("updated"),
        "source_id": ident,
    }


def _description(entry: Any) -> str:
    """The richest description an entry carries (Taleo's HTML one, content, summary)."""
    taleo = entry.get("taleo_html-description")
    if taleo:
        return html.unescape(str(taleo)).strip()
    for content in entry.get("content") or []:
        if content.get("value"):
            return str(content["value"]).strip()
    return str(entry.get("summary") or entry.get("description") or "").strip()


def taleo_location(entry: Any) -> str | None:
    """Taleo Business Edition's place: `taleo:location` with its city and country fields."""
    label = " ".join(str(entry.get("taleo_location") or "").split())
    city = " ".join(str(entry.get("taleo_locationcity") or "").split())
    state = str(entry.get("taleo_locationstate") or "").strip()
    country = str(entry.get("taleo_locationcountry") or "").strip()
    if not (label or city):
        return None
    parts = [label] if label else []
    if city and city.lower() not in label.lower():
        parts.insert(0, city)
    region = state.rsplit("-", 1)[-1] if state else ""
    text = ", ".join(parts)
    if region and not re.search(rf"\b{re.escape(region)}\b", text):
        parts.append(region)
    if country and not re.search(rf"\b{re.escape(country)}\b", ", ".join(parts)):
        parts.append(country)
    return ", ".join(parts)


def location_of(entry: Any, description: str, source: Source) -> str | None:
    """RSS <category domain="location"> places (else the description's location line),
    followed by what that line says beyond its first sentence ("This position is hybrid")."""
    places = [
        " ".join(str(tag.get("term") or "").split())
        for tag in entry.get("tags") or []
        if str(tag.get("scheme") or "").lower() == "location" and str(tag.get("term") or "").strip()
    ]
    line = re.compile(source.get("location_pattern") or _LOCATION.pattern, re.I)
    found = line.search(description)
    text = found.group(1).strip() if found else None
    if not places:
        return text
    rest = _SENTENCE_END.split(text, maxsplit=1)[1:] if text else []
    return ". ".join([" or ".join(places), *rest])
