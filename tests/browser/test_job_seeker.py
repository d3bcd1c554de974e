"""A job seeker in a real browser: search, filter by salary, open a posting, subscribe to alerts."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.accounts.support import mails
from tests.web.seed import seed

pytestmark = pytest.mark.browser
#: Set to a folder to keep screenshots of the pages at desktop and phone widths.
SHOTS = os.environ.get("RCJOBS_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def site(live_server):
    live_server.ids = seed(live_server.board)
    return live_server


def test_search_filter_by_salary_open_a_posting_and_subscribe(site, page):
    page.goto(site.url("/jobs"))
    page.get_by_label("Search jobs").fill("research")
    page.get_by_label("Search jobs").press("Enter")
    expect(page).to_have_url(re.compile(r"/jobs\?q=research$"))
    page.get_by_label("At least, a year").fill("100000")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"q=research&salary_min=100000"))
    expect(page.locator(".hit")).to_have_count(1)
    expect(page.locator(".hit .salary")).to_have_text("CA$120,000–150,000 a year")
    expect(page.locator(".hit .location")).to_have_text("Hamilton, ON, Canada")
    expect(page.locator(".active-filters")).to_contain_text("Salary: at least US$100,000 a year")
    shot(page, "listing-desktop")

    page.get_by_role("link", name="Director of Research Computing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Director of Research Computing")
    og = page.locator('meta[property="og:title"]').get_attribute("content")
    assert og == "Director of Research Computing at McMaster University"
    shot(page, "posting-desktop")
    page.go_back()

    page.get_by_role("link", name="Email me new jobs like these").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Email me new jobs like these")
    expect(page.locator("main")).to_contain_text("“research”")
    page.get_by_label("Your email address").fill("seeker@example.org")
    page.get_by_label("Daily").check()
    shot(page, "alert-form-desktop")
    page.get_by_role("button", name="Create the alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your mail")
    [confirmation] = mails(site.board)
    link = re.search(r"http://\S+/alerts/\S+/confirm", confirmation.get_content()).group(0)
    page.goto(link)
    page.get_by_role("button", name="Yes, confirm").click()
    expect(page.locator("#alert-status")).to_have_text("On: mails daily")
    shot(page, "alert-manage-desktop")
    assert page.console_errors == []


def test_the_new_pages_fit_a_phone(site, chromium):
    context = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        phone = context.new_page()
        paths = {
            "listing-phone": "/jobs?q=director&salary_min=90000",
            "posting-phone": f"/jobs/{site.ids['director']}",
            "institution-phone": "/institutions/mcmaster-university",
            "alert-form-phone": "/alerts/new?q=director",
            "salaries-phone": "/salaries",
        }
        for name, path in paths.items():
            phone.goto(site.url(path))
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 375, (path, width)
            shot(phone, name)
    finally:
        context.close()


def test_institution_page_at_desktop_width(site, page):
    page.goto(site.url("/institutions/mcmaster-university"))
    expect(page.locator(".institution-facts")).to_contain_text("Hamilton, ON, Canada")
    expect(page.locator(".history svg")).to_be_visible()
    shot(page, "institution-desktop")
    page.goto(site.url("/jobs?q=reserch"))
    expect(page.locator(".corrected")).to_contain_text("Showing results for research")
    shot(page, "corrected-desktop")
