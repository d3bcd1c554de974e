"""The public site in a real browser: search, a facet, a posting, a feed, keyboard and phone."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # noqa: S405 - parsing our own output

import pytest
from playwright.sync_api import expect

from tests.web.seed import seed

pytestmark = pytest.mark.browser


@pytest.fixture
def site(live_server):
    """The live server with the standard postings."""
    live_server.ids = seed(live_server.board)
    return live_server


def test_search_from_the_box(site, page):
    page.goto(site.url("/jobs"))
    expect(page.locator(".total")).to_contain_text("4 jobs")
    page.get_by_label("Search jobs").fill("clusters")
    page.get_by_label("Search jobs").press("Enter")
    expect(page).to_have_url(re.compile(r"/jobs\?q=clusters$"))
    expect(page.locator(".hit")).to_have_count(1)
    expect(page.locator(".hit h3")).to_have_text("Manager, HPC Operations")
    expect(page.locator(".hit mark").first).to_be_visible()
    assert page.console_errors == []


def test_apply_and_remove_a_facet(site, page):
    page.goto(site.url("/jobs"))
    page.locator(".facet").filter(has_text="Country").get_by_role(
        "link", name=re.compile(r"^United States")
    ).click()
    expect(page).to_have_url(re.compile(r"/jobs\?country=US$"))
    expect(page.locator(".hit")).to_have_count(2)
    expect(page.locator(".active-filters")).to_contain_text("Country: United States")
    page.get_by_role("link", name="Include closed postings").click()
    expect(page).to_have_url(re.compile(r"country=US&status=all"))
    page.locator(".active-filters").get_by_role("link", name=re.compile("United States")).click()
    expect(page).to_have_url(re.compile(r"/jobs\?status=all$"))
    expect(page.locator(".hit")).to_have_count(5)


def test_sort_changes_with_javascript_and_keeps_filters(site, page):
    page.goto(site.url("/jobs?country=US"))
    expect(page.locator(".sort-apply")).to_be_hidden()  # the enhancement replaces the button
    page.get_by_label("Sort by").select_option("closing")
    expect(page).to_have_url(re.compile(r"country=US&sort=closing"))


def test_open_a_posting_and_its_institution(site, page):
    page.goto(site.url("/jobs"))
    page.get_by_role("link", name="Director of Research Computing").click()
    expect(page).to_have_url(re.compile(rf"/jobs/{site.ids['director']}/director-of-research"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Director of Research Computing")
    expect(page.locator(".facts")).to_contain_text("CA$120,000–150,000 a year")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    page.locator(".posting header").get_by_role("link", name="McMaster University").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("McMaster University")
    page.get_by_role("link", name="Associate Director, Research Cloud").click()
    expect(page.get_by_role("heading", name="This posting has closed")).to_be_visible()
    assert page.locator('script[type="application/ld+json"]').count() == 0
    assert page.console_errors == []


def test_follow_the_feed_link_of_a_search(site, page):
    page.goto(site.url("/jobs?country=CA"))
    href = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    assert href == "/jobs/feed.atom?country=CA"
    visible = page.get_by_role("link", name="Atom feed").first.get_attribute("href")
    assert visible == href
    response = page.request.get(site.url(href))
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.body())  # noqa: S314 - our own output
    ids = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}id")]
    assert site.url(f"/jobs/{site.ids['director']}") in ids


def test_keyboard_skip_link_and_visible_focus(site, page):
    page.goto(site.url("/jobs"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box and box["y"] >= 0  # it moves on screen when focused
    outline = skip.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))


def test_readable_on_a_phone(site, chromium):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        phone = context.new_page()
        phone.goto(site.url("/jobs"))
        expect(phone.locator(".filter-panel")).not_to_have_attribute("open", "")
        expect(phone.locator(".hit").first).to_be_in_viewport()
        phone.get_by_text("Filter", exact=True).click()
        expect(phone.locator(".filter-panel")).to_have_attribute("open", "")
        for path in ("/jobs", f"/jobs/{site.ids['director']}", "/institutions/mcmaster-university"):
            phone.goto(site.url(path))
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (path, width)
            size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
            assert size >= 16
    finally:
        context.close()
