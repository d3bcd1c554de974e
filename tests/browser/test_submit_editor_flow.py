"""The main submission and editor flows in a real browser: submit with preview, approve, build
an issue and export it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from board import indexing
from tests.accounts.support import EDITOR_EMAIL, EDITOR_PASSWORD, add_editor, add_posting

pytestmark = pytest.mark.browser


def closing_date() -> str:
    return (datetime.now(UTC).date() + timedelta(days=30)).isoformat()


def fill_submission(page) -> None:
    page.get_by_label("Job title").fill("Director of Research Computing")
    page.get_by_label("Institution").fill("McMaster University")
    page.get_by_label("Location").fill("Hamilton, ON, Canada")
    page.get_by_label("Application URL").fill("https://careers.example.edu/jobs/1")
    page.get_by_label("Description").fill(
        "Lead the research computing team of twelve people.\n\n- HPC operations\n- Research "
        "software engineering"
    )
    page.get_by_label("Closing date").fill(closing_date())
    page.get_by_label("Contact name").fill("Ann Lee")
    page.get_by_label("Contact email").fill("ann.lee@example.edu")


def log_in(page, live_server) -> None:
    add_editor(live_server.board)
    page.goto(live_server.url("/login"))
    page.get_by_label("Email").fill(EDITOR_EMAIL)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Editor dashboard")).to_be_visible()


def test_submit_with_preview(live_server, page):
    page.goto(live_server.url("/submit"))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#title-error")).to_be_visible()  # server-side errors, field by field
    fill_submission(page)
    page.get_by_label("Contact email").fill("not an email")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#contact_email-error")).to_be_visible()
    expect(page.get_by_label("Job title")).to_have_value("Director of Research Computing")
    page.get_by_label("Contact email").fill("ann.lee@example.edu")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator(".posting-preview")).to_contain_text("Hamilton, ON, Canada")
    expect(page.locator(".posting-preview li").first).to_have_text("HPC operations")
    page.get_by_role("button", name="Edit").click()
    expect(page.get_by_label("Institution")).to_have_value("McMaster University")
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Send for review").click()
    expect(page).to_have_url(re.compile(r"/submit/status/[\w-]{40,}$"))
    expect(page.locator("#status")).to_have_text("pending")
    # invalid forms answer 400 on purpose; anything else (a CSP violation) is an error
    assert [e for e in page.console_errors if "status of 400" not in e] == []


def test_editor_approves_a_submission(live_server, page):
    page.goto(live_server.url("/submit"))
    fill_submission(page)
    page.get_by_role("button", name="Preview").click()
    page.get_by_role("button", name="Send for review").click()
    status_url = page.url
    log_in(page, live_server)
    queue = page.locator("#queue")
    expect(queue).to_contain_text("Moderation queue (1)")
    queue.get_by_role("link", name="Director of Research Computing").click()
    page.get_by_label("Approve").check()
    page.get_by_label("Reason (sent to the submitter)").fill("Welcome to the board.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".flashes")).to_contain_text("Submission approved.")
    expect(page.locator("#audit")).to_contain_text("approve submission")
    page.goto(status_url)
    expect(page.locator("#status")).to_have_text("approved")
    expect(page.locator("#reason")).to_have_text("Welcome to the board.")
    page.get_by_role("link", name="See it on the job board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Director of Research Computing")
    assert page.console_errors == []


def test_editor_builds_an_issue_and_exports_it(live_server, page):
    board = live_server.board
    now = datetime.now(UTC).replace(tzinfo=None) - timedelta(days=1)
    first = add_posting(
        board,
        "a",
        now=now,
        title="Director of Research Computing",
        summary="Lead the research computing team.",
        score=0.95,
    )
    add_posting(
        board, "b", now=now, title="Manager, HPC Operations", summary="Run the clusters.", score=0.8
    )
    log_in(page, live_server)
    page.get_by_role("link", name="Newsletter issues").click()
    page.get_by_label("Issue number").fill("12")
    page.get_by_role("button", name="Create issue").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Issue 12"))).to_be_visible()
    candidates = page.locator("#candidates")
    candidates.get_by_role("button", name="Pick Manager, HPC Operations").click()
    candidates.get_by_role("button", name="Pick Director of Research Computing").click()
    highlights = page.locator("#highlights li.highlight")
    expect(highlights).to_have_count(2)
    expect(highlights.nth(1).get_by_label("Blurb")).to_have_value(
        "Lead the research computing team."
    )
    highlights.nth(1).get_by_role("button", name="Move up").click()
    expect(highlights.first).to_contain_text("Director of Research Computing - McMaster")
    highlights.first.get_by_label("Blurb").fill("The job of the week: lead the RC team.")
    highlights.first.get_by_role("button", name="Save blurb").click()
    base = re.escape(live_server.base_url)
    expect(page.locator("#markdown-export")).to_have_value(
        re.compile(
            r"^## Jobs Leading Research Computing Teams\n\n"
            r"Highlights below; full listing available on the "
            rf"\[job board\]\({base}/jobs\)\.\n\n"
            rf"\*\*\[Director of Research Computing\]\({base}/jobs/{first}\)"
            r" - McMaster University, Hamilton ON CA\*\*\n\n"
            r"The job of the week: lead the RC team\.\n\n\*\*\[Manager, HPC Operations\]"
        )
    )
    link = page.get_by_role("link", name="plain text").get_attribute("href")
    export = page.request.get(live_server.url(link))  # the editor's cookies go along
    assert export.headers["content-type"].startswith("text/plain")
    body = export.text()
    assert body.splitlines()[:2] == [
        "Jobs Leading Research Computing Teams",
        "Highlights below; full listing available on the job board.",
    ]
    assert page.console_errors == []


def test_enter_in_a_field_previews_and_enter_in_the_prefill_address_prefills(live_server, page):
    """The form's default button is Preview; Enter in the prefill address still prefills."""
    page.goto(live_server.url("/submit"))
    fill_submission(page)
    page.get_by_label("Job title").press("Enter")
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    public_id = add_posting(live_server.board, "p", title="Head of Research Software")
    indexing.catch_up(live_server.board)
    live_server.app.config["RCJOBS_PREFILL_ALLOW_PRIVATE"] = True
    page.goto(live_server.url("/submit"))
    page.get_by_label("Contact name").fill("Ann Lee")
    page.get_by_label("Posting page to prefill from").fill(live_server.url(f"/jobs/{public_id}"))
    page.get_by_label("Posting page to prefill from").press("Enter")
    expect(page.get_by_label("Job title")).to_have_value("Head of Research Software")
    expect(page.get_by_label("Contact name")).to_have_value("Ann Lee")
    assert page.console_errors == []


def test_editor_pages_fit_a_phone(live_server, chromium):
    """Wide tables scroll inside the page at 390px; the page itself does not scroll sideways."""
    add_posting(live_server.board, "a", title="Director of Research Computing")
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.console_errors = []
    try:
        page.goto(live_server.url("/submit"))
        fill_submission(page)
        page.get_by_role("button", name="Preview").click()
        page.get_by_role("button", name="Send for review").click()
        log_in(page, live_server)
        page.locator("#queue").get_by_role("link", name="Director of Research Computing").click()
        page.get_by_label("Reject").check()
        page.get_by_label("Reason (sent to the submitter)").fill(
            "A duplicate of a crawled posting."
        )
        page.get_by_role("button", name="Save decision").click()
        for path in ("/editor/", "/editor/submissions"):
            page.goto(live_server.url(path))
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px phone"
    finally:
        context.close()
