"""The editor's week in a real browser: the review queue by keyboard, a drafted issue, a blurb
edited, publishing, and the public archive showing the issue only once it is published."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.accounts.support import add_posting
from tests.browser.test_submit_editor_flow import log_in

pytestmark = pytest.mark.browser

ROLE_TEXT = (
    "You will lead a team of eight research software engineers and HPC specialists. You will "
    "run the research computing service with the faculties."
)


def seed(board) -> dict[str, str]:
    """Five new postings at five institutions, best first."""
    now = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=1)
    specs = [
        ("Director of Research Computing", "McMaster University", 0.97),
        ("Research Computing Coordinator", "Example College", 0.9),
        ("Manager, HPC Operations", "Oxford University", 0.85),
        ("Head of Research Software Engineering", "ETH Zurich", 0.8),
        ("Lead, Research Data Services", "University of Toronto", 0.75),
    ]
    ids = {}
    for n, (title, institution, score) in enumerate(specs):
        ids[title] = add_posting(
            board,
            f"k{n}",
            now=now,
            title=title,
            institution=institution,
            institution_slug=f"inst-{n}",
            score=score,
            description_text=(
                f"About us\n{institution} is a leading university.\n\nThe role\n{ROLE_TEXT}"
            ),
        )
    return ids


def test_the_editor_works_the_queue_by_keyboard_and_publishes_an_issue(live_server, page, chromium):
    ids = seed(live_server.board)
    public = chromium.new_context(viewport={"width": 1280, "height": 900})
    reader = public.new_page()
    try:
        log_in(page, live_server)
        page.get_by_role("link", name="Review queue", exact=True).click()
        expect(page.get_by_role("heading", name="Review queue")).to_be_visible()
        page.get_by_role("button", name="Create draft issue").click()  # today's date, next number
        expect(page.get_by_role("heading", name=re.compile(r"^Issue 1\b"))).to_be_visible()

        page.get_by_role("link", name="Review queue", exact=True).click()
        table = page.locator("#review-table")
        rows = table.locator("tbody tr")
        expect(rows).to_have_count(5)
        expect(rows.nth(0)).to_contain_text("Director of Research Computing")
        page.wait_for_load_state("load")  # editor.js is deferred: the keys work from here
        page.keyboard.press("j")  # the first row
        expect(rows.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
        page.keyboard.press("p")  # pick it: the next row is current
        expect(rows.nth(0).locator(".status")).to_have_text("Picked")
        expect(rows.nth(1)).to_have_class(re.compile(r"\bcurrent\b"))
        page.keyboard.press("j")
        page.keyboard.press("k")  # back to the coordinator
        expect(rows.nth(1)).to_have_class(re.compile(r"\bcurrent\b"))
        page.keyboard.press("x")  # not a leadership role
        expect(rows.nth(1).locator(".status")).to_have_text("Not relevant")
        expect(page.locator("#waiting-count")).to_have_text("3")
        expect(page.locator("#draft-count")).to_have_text("1")

        page.reload()  # the decisions were saved: only the undecided wait
        expect(rows).to_have_count(3)
        expect(table).not_to_contain_text("Research Computing Coordinator")

        page.get_by_role("link", name="issue 1", exact=True).click()
        page.get_by_role("button", name="Draft highlights from the top postings").click()
        expect(page.locator(".flashes")).to_contain_text("Drafted 3 highlight(s)")
        highlights = page.locator("#highlights li.highlight")
        expect(highlights).to_have_count(4)
        expect(page.locator("#highlights")).not_to_contain_text("Research Computing Coordinator")
        expect(highlights.first.get_by_role("button", name=re.compile("^Move up"))).to_have_count(0)
        expect(highlights.last.get_by_role("button", name=re.compile("^Move down"))).to_have_count(
            0
        )
        second = highlights.nth(1)
        expect(second.get_by_label("Blurb")).to_have_value(ROLE_TEXT)  # the role, no "About us"
        second.get_by_label("Blurb").fill("Run HPC operations at Oxford: a team of eight.")
        second.get_by_role("button", name="Save blurb").click()
        expect(page.locator(".flashes")).to_contain_text("Blurb saved.")

        reader.goto(live_server.url("/newsletter"))
        expect(reader.locator("main")).not_to_contain_text("Issue 1 ")
        assert reader.goto(live_server.url("/newsletter/1")).status == 404

        page.get_by_role("button", name="Publish issue 1").click()
        expect(page.locator(".flashes")).to_contain_text("Issue 1 published.")

        reader.goto(live_server.url("/newsletter"))
        reader.get_by_role("link", name="Issue 1").click()
        expect(reader.locator(".jobs-section")).to_contain_text(
            "Run HPC operations at Oxford: a team of eight."
        )
        expect(reader.locator(".jobs-section h3").first).to_contain_text(
            "Director of Research Computing"
        )
        assert ids["Director of Research Computing"] in reader.locator(
            ".jobs-section h3 a"
        ).first.get_attribute("href")
        assert page.console_errors == []
    finally:
        public.close()


def test_the_queue_and_the_builder_fit_a_phone(live_server, chromium):
    """At 390px the tables scroll inside their (keyboard-reachable) region, never the page."""
    seed(live_server.board)
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.console_errors = []
    try:
        log_in(page, live_server)
        page.goto(live_server.url("/editor/queue/"))
        page.get_by_role("button", name="Create draft issue").click()
        page.get_by_role("button", name="Draft highlights from the top postings").click()
        for path in ("/editor/", "/editor/queue/?show=all", "/editor/issues/1", "/editor/issues/"):
            page.goto(live_server.url(path))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px phone"
        region = page.goto(live_server.url("/editor/issues/1")) and page.locator(
            "#candidates .table-scroll"
        )
        assert region.get_attribute("tabindex") == "0"
    finally:
        context.close()
