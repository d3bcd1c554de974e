"""Feeds stay valid XML and plain text whatever a posting or a query carries."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in tests

import pytest

from board.web.xmltext import plain_text, xml_safe
from tests.web.seed import XSS, record, seed, xss_record

ATOM = "{http://www.w3.org/2005/Atom}"
BAD = "\ufffe\uffff\x01\x08\x0b\x1f"


def poisoned() -> dict:
    """A posting with XML-invalid characters in every text field."""
    rec = record(
        "poison",
        f"Director{BAD} of Research Computing",
        location_display=f"Hamilton{BAD} ON CA",
        summary=f"Lead{BAD} the research computing team.",
        description_text=f"Lead{BAD} the research computing team.",
        description_html=f"<p>Lead{BAD} the team.</p>",
        role="director",
    )
    rec["institution"] = f"McMaster{BAD} University"
    return rec


@pytest.fixture
def poisoned_ids(board, frozen):
    return seed(board, {"poison": poisoned(), "xss": xss_record()})


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_a_posting_with_xml_invalid_characters_leaves_the_feed_valid(client, poisoned_ids, kind):
    response = client.get(f"/jobs/feed.{kind}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert not any(char in text for char in BAD)
    root = ET.fromstring(response.data)  # noqa: S314 - our own output
    titles = [el.text for el in root.iter() if el.tag in ("title", f"{ATOM}title")]
    assert "Director of Research Computing" in titles


@pytest.mark.parametrize(
    "url",
    [
        "/jobs/feed.atom?q=%EF%BF%BE",
        "/jobs/feed.rss?q=%EF%BF%BF",
        "/jobs/feed.atom?q=director%EF%BF%BE&country=%EF%BF%BE",
        "/jobs/feed.rss?q=%ED%A0%80",  # a lone surrogate, as UTF-8 bytes
        "/jobs/feed.atom?institution=%01%02",
    ],
)
def test_xml_invalid_characters_in_the_query_never_break_a_feed(client, poisoned_ids, url):
    response = client.get(url)
    assert response.status_code in (200, 400), url
    ET.fromstring(response.data)  # noqa: S314 - our own output


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_feed_summaries_are_plain_text_without_markup_escaped_or_not(client, poisoned_ids, kind):
    body = client.get(f"/jobs/feed.{kind}").get_data(as_text=True)
    for markup in ("<img", "&lt;img", "&amp;lt;img", "onerror", "<script", "&lt;script"):
        assert markup not in body, markup
    root = ET.fromstring(body.encode())  # noqa: S314 - our own output
    summaries = [el.text or "" for el in root.iter() if el.tag in ("description", f"{ATOM}summary")]
    assert any("research computing team" in s for s in summaries)
    if kind == "atom":
        assert all(el.get("type") == "text" for el in root.iter(f"{ATOM}summary"))


def test_plain_text_and_xml_safe():
    assert xml_safe("a\ufffeb\x00c\ud800d\tz") == "abcd\tz"
    assert plain_text(f"{XSS} team &amp; co") == "team & co"
    assert plain_text("salary < 100k") == "salary < 100k"
