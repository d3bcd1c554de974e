"""Atom and RSS feeds for any search, with stable entry ids."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output in tests

from board import indexing

ATOM = "{http://www.w3.org/2005/Atom}"


def _atom(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data)  # noqa: S314 - our own output


def _ids(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]


def test_atom_feed_of_the_default_listing_newest_first(client, ids):
    feed = _atom(client, "/jobs/feed.atom")
    base = "http://jobs.example.test/jobs/"
    assert _ids(feed) == [
        base + ids[k] for k in ("remote_lead", "director", "rse_head", "hpc_manager")
    ]
    assert feed.findtext(f"{ATOM}id") == "http://jobs.example.test/jobs/feed.atom"
    assert feed.findtext(f"{ATOM}title") == "rcjobs: all open postings"
    assert feed.findtext(f"{ATOM}updated").startswith("2026-03-05T00:00:00")
    entry = next(feed.iter(f"{ATOM}entry"))
    assert entry.findtext(f"{ATOM}title") == "Research Data Team Lead"
    assert entry.find(f"{ATOM}link").get("href") == base + ids["remote_lead"]
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "National Renewable Energy Laboratory"
    assert "Remote USA" in entry.findtext(f"{ATOM}summary")


def test_feed_uses_the_same_filters_as_the_listing(client, ids):
    feed = _atom(client, "/jobs/feed.atom?country=US&q=research")
    assert _ids(feed) == [f"http://jobs.example.test/jobs/{ids['remote_lead']}"]
    assert "Country: United States" in feed.findtext(f"{ATOM}title")
    closed = _atom(client, "/jobs/feed.atom?status=closed")
    assert _ids(closed) == [f"http://jobs.example.test/jobs/{ids['closed']}"]


def test_entry_ids_are_stable_across_fetches_and_feeds(client, ids, board):
    first = _ids(_atom(client, "/jobs/feed.atom"))
    indexing.rebuild(board)  # re-indexing changes nothing about ids
    assert _ids(_atom(client, "/jobs/feed.atom")) == first
    rss = ET.fromstring(client.get("/jobs/feed.rss").data)  # noqa: S314 - our own output
    guids = [item.findtext("guid") for item in rss.iter("item")]
    assert guids == first
    assert all(g.get("isPermaLink") == "true" for g in rss.iter("guid"))


def test_rss_feed(client, ids):
    response = client.get("/jobs/feed.rss?role=director")
    assert response.mimetype == "application/rss+xml"
    rss = ET.fromstring(response.data)  # noqa: S314 - our own output
    channel = rss.find("channel")
    assert channel.findtext("title") == "rcjobs: Role: Director"
    assert channel.findtext("link") == "http://jobs.example.test/jobs?role=director"
    [item] = channel.findall("item")
    assert item.findtext("title") == "Director of Research Computing"
    assert item.findtext("link") == f"http://jobs.example.test/jobs/{ids['director']}"
    assert re.match(r"\w{3}, 01 Mar 2026 00:00:00 \+0000", item.findtext("pubDate"))


def test_feed_link_on_the_listing_leads_to_a_matching_feed(client, ids):
    page = client.get("/jobs?country=CA").get_data(as_text=True)
    href = (
        re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', page)
        .group(1)
        .replace("&amp;", "&")
    )
    assert _ids(_atom(client, href)) == [f"http://jobs.example.test/jobs/{ids['director']}"]


def test_empty_and_malformed_feeds_are_still_valid(client, ids):
    for url in (
        "/jobs/feed.atom?q=zzzzqqq",
        '/jobs/feed.atom?q="unbalanced',
        "/jobs/feed.rss?q=%00%01AND",
        "/jobs/feed.atom?page=abc&sort=x",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        ET.fromstring(response.data)  # noqa: S314 - our own output
