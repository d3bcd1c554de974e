"""A feed is its whole listing only when the document reaches its closing root tag.

Cut right after an </item>, the whole items are kept but the run is partial (nothing
closes); cut in the middle of an item, that item is dropped, never stored half.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from board.models import CrawlRun, Posting
from tests.shared import read_fixture_bytes
from tests.spiders.helpers import build_spider, call, dropped, split, start
from tests.spiders.loopback import FAST, Site, rcjobs, registry, serve

ORIGIN = "http://127.0.0.1:8993"


def item(n: int) -> str:
    """One RSS item: a research computing lead posting with a long description."""
    words = " ".join(f"duty{n}-{w}" for w in range(40))
    return (
        f"<item><title>Research Computing Team Lead {n}</title>"
        f"<link>https://jobs.example.edu/{n}</link><guid>job-{n}</guid>"
        f"<description>&lt;p&gt;Lead the HPC and research software team {n}. {words}&lt;/p&gt;"
        f"&lt;p&gt;Location: Hamilton, ON, Canada&lt;/p&gt;</description></item>\n"
    )


HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Jobs</title>\n'
FEED = HEAD + "".join(item(n) for n in range(1, 21)) + "</channel></rss>\n"


def cut_after_item(count: int) -> str:
    """The feed cut right after its `count`-th </item>."""
    end = 0
    for _ in range(count):
        end = FEED.index("</item>", end) + len("</item>")
    return FEED[:end]


def cut_mid_item(number: int) -> str:
    """The feed cut in the middle of item `number`'s description."""
    start_at = FEED.index(f"<title>Research Computing Team Lead {number}</title>")
    return FEED[: FEED.index("duty", start_at) + 60]


def test_whole_feed_is_complete() -> None:
    """20 items, the closing </rss> seen: complete."""
    spider = build_spider("feed", url=f"{ORIGIN}/jobs.rss")
    items, _ = split(call(start(spider)[0], FEED, kind="xml"))
    assert len(items) == 20
    assert spider.complete


def test_feed_cut_right_after_an_item_is_not_complete() -> None:
    """Six whole items are read; without </channel></rss> the listing is not complete."""
    spider = build_spider("feed", url=f"{ORIGIN}/jobs.rss")
    items, _ = split(call(start(spider)[0], cut_after_item(6), kind="xml"))
    assert [i["source_id"] for i in items] == [f"job-{n}" for n in range(1, 7)]
    assert not spider.complete
    assert dropped(spider) == {"truncated_feed": 1}


def test_feed_cut_mid_item_drops_the_half_item() -> None:
    """Item 7 is cut in its description: items 1-6 only, item 7 counted as truncated."""
    spider = build_spider("feed", url=f"{ORIGIN}/jobs.rss")
    items, _ = split(call(start(spider)[0], cut_mid_item(7), kind="xml"))
    assert [i["source_id"] for i in items] == [f"job-{n}" for n in range(1, 7)]
    assert not spider.complete
    assert dropped(spider) == {"truncated_item": 1, "truncated_feed": 1}


def test_recorded_feed_cut_after_an_item_is_not_complete() -> None:
    """The recorded Research Computing Teams feed, cut after an </item>, is partial."""
    spider = build_spider("feed", url=f"{ORIGIN}/jobs.rss", title_separator=" - ")
    body = read_fixture_bytes("rss/rct-jobboard.rss")
    cut = body[: body.index(b"</item>", 20000) + len(b"</item>")]
    items, _ = split(call(start(spider)[0], cut, kind="xml"))
    assert len(items) == cut.count(b"</item>")
    assert not spider.complete


def test_taleo_business_edition_feed_fields() -> None:
    """TBE items: taleo:location with its city and country, taleo:reqId as the id and the
    HTML description (written from the TBE feed shape, responses/README.md)."""
    spider = build_spider(
        "taleo",
        url=f"{ORIGIN}/phg02/ats/careers/v2/searchResults?org=EXAMPLEU&cws=38",
    )
    (first,) = start(spider)
    assert first.url == f"{ORIGIN}/phg02/ats/servlet/Rss?org=EXAMPLEU&cws=38"
    feed = (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:taleo="http://www.taleo.com/ws/tbe/rss"><channel><title>Careers</title>'
        "<item><title>Director, Research Computing</title>"
        f"<link>{ORIGIN}/phg02/ats/careers/requisition.jsp?org=EXAMPLEU&amp;cws=38&amp;rid=1042"
        "</link><guid>x-1042</guid><description>Director, Research Computing Chicago</description>"
        "<pubDate>Wed, 09 Jul 2026 08:00:00 GMT</pubDate><taleo:reqId>1042</taleo:reqId>"
        "<taleo:location>Chicago (Loop), IL</taleo:location>"
        "<taleo:locationCity>Chicago</taleo:locationCity>"
        "<taleo:locationState>US-IL</taleo:locationState>"
        "<taleo:locationCountry>US</taleo:locationCountry>"
        "<taleo:html-description>&lt;p&gt;Lead research computing.&lt;/p&gt;"
        "</taleo:html-description></item>"
        "<item><title>HPC Lead</title><link>https://x/2</link><guid>x-7</guid>"
        "<taleo:reqId>7</taleo:reqId><taleo:location>Karnataka</taleo:location>"
        "<taleo:locationCity>Bengaluru</taleo:locationCity>"
        "<taleo:locationCountry>IN</taleo:locationCountry></item></channel></rss>"
    )
    director, lead = call(first, feed, kind="xml")
    assert director["location"] == "Chicago (Loop), IL, US"
    assert director["source_id"] == "1042"
    assert director["description"] == "<p>Lead research computing.</p>"
    assert director["posted"] == "Wed, 09 Jul 2026 08:00:00 GMT"
    assert lead["location"] == "Bengaluru, Karnataka, IN"
    assert spider.complete


@pytest.mark.slow
def test_crawls_of_cut_feeds_close_nothing_and_keep_stored_descriptions(
    board, tmp_path, monkeypatch
) -> None:
    """A whole feed, then one cut after item 6, then one cut inside item 7: all 20 postings
    stay open and item 7 keeps its whole description."""
    monkeypatch.setenv("RCJOBS_CLOSE_AFTER_MISSING", "1")
    site = Site()
    site.put("/jobs.rss", FEED, kind="application/rss+xml")
    with serve(site):
        entry = {"id": "feed", "institution": "Example University", "platform": "feed"}
        sources = registry(tmp_path / "sources.toml", {**entry, "url": f"{site.url}/jobs.rss"})
        first = rcjobs("crawl", "--sources", str(sources), *FAST)
        assert first.returncode == 0, first.stdout + first.stderr
        with board.session() as session:
            seventh = session.scalar(select(Posting).where(Posting.title.endswith("Lead 7")))
            whole = seventh.description_text
        assert "duty7-39" in whole
        for body in (cut_after_item(6), cut_mid_item(7)):
            site.put("/jobs.rss", body, kind="application/rss+xml")
            rcjobs("crawl", "--sources", str(sources), *FAST)
    with board.session() as session:
        postings = list(session.scalars(select(Posting)))
        seventh = session.scalar(select(Posting).where(Posting.title.endswith("Lead 7")))
        outcomes = list(session.scalars(select(CrawlRun.outcome).order_by(CrawlRun.id)))
        assert seventh.description_text == whole
    assert len(postings) == 20
    assert {p.status for p in postings} == {"open"}
    assert outcomes[0] == "success"
    assert all(o in ("partial", "failed") for o in outcomes[1:]), outcomes
