"""WCAG 2.1 AA on the editor pages and the submit form: axe-core finds nothing at desktop and
phone widths, and every scrollable region can be reached and scrolled by keyboard."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from board.newsletter.services import create_issue, pick
from board.queries import get_posting
from board.submissions import services as submissions
from tests.accounts.support import EDITOR_EMAIL, EDITOR_PASSWORD, add_editor, valid_fields
from tests.browser.axe import axe_candidates, axe_source, describe, run_axe
from tests.web.seed import seed

pytestmark = pytest.mark.browser
WIDTHS = {"desktop": 1280, "phone": 390}
PUBLIC_PAGES = ["/submit", "/login"]
EDITOR_PAGES = [
    "/editor/",
    "/editor/queue/",
    "/editor/submissions",
    "/editor/submissions/{submission}",
    "/editor/issues/",
    "/editor/issues/1",
]


@pytest.fixture(scope="module")
def axe() -> str:
    source = axe_source()
    if source is None:
        where = ", ".join(str(p) for p in axe_candidates())
        message = f"axe-core not found (looked at {where}): `make axe` or set RCJOBS_AXE"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)
    return source


@pytest.fixture
def site(live_server) -> Any:
    """A board with postings, an editor, a waiting and a rejected submission, and an issue with
    a highlight."""
    ids = seed(live_server.board)
    add_editor(live_server.board)
    fields: dict[str, Any] = dict(valid_fields())
    fields["closes_on"] = date.fromordinal(date.today().toordinal() + 30)
    with live_server.board.session() as session:
        submission, _ = submissions.create(session, fields, "nonce-a11y")
        live_server.submission = submission.id
        decided, _ = submissions.create(session, dict(fields, title="Head of HPC"), "nonce-b")
        submissions.reject(session, decided, EDITOR_EMAIL, "Not a leadership role " * 8)
        issue = create_issue(session, 1, date.today(), EDITOR_EMAIL)
        pick(session, issue, get_posting(session, next(iter(ids.values()))), EDITOR_EMAIL, None)
    return live_server


@pytest.fixture(params=list(WIDTHS))
def width_page(request, chromium, axe) -> Iterator[Any]:
    """A page at desktop or phone width; CSP bypassed only so that axe can be evaluated."""
    width = WIDTHS[request.param]
    context = chromium.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.width_name = request.param
    yield page
    context.close()


def log_in(page: Any, site: Any) -> None:
    page.goto(site.url("/login"))
    page.get_by_label("Email").fill(EDITOR_EMAIL)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/editor/**")


def check(page: Any, what: str) -> None:
    violations = run_axe(page)
    assert not violations, f"{what} at {page.width_name} width:\n{describe(violations)}"
    unreachable = page.evaluate(UNREACHABLE_SCROLLERS)
    assert not unreachable, f"{what}: scrollable regions a keyboard cannot reach: {unreachable}"


#: Elements that scroll but that a keyboard cannot focus to scroll them, or that have no name.
#: (axe also accepts a scroller holding a link; its other cells still need the box focusable.)
#: A labelled textarea or select that scrolls its own text is reachable as it is.
UNREACHABLE_SCROLLERS = """() => [...document.querySelectorAll('body *')].filter(el => {
  const style = getComputedStyle(el);
  const wide = /(auto|scroll)/.test(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
  const tall = /(auto|scroll)/.test(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
  if (!wide && !tall) return false;
  // A form control that scrolls its own text (a long blurb) is focusable and named by its label.
  const control = ['TEXTAREA', 'SELECT'].includes(el.tagName);
  if (control && el.tabIndex >= 0 && el.labels.length) return false;
  const named = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
  return !(el.tabIndex >= 0 && el.getAttribute('role') === 'region' && named);
}).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_forms_meet_wcag_aa(site, width_page, path):
    width_page.goto(site.url(path))
    check(width_page, path)


def test_the_submit_form_with_errors_and_its_preview_meet_wcag_aa(site, width_page):
    page = width_page
    page.goto(site.url("/submit"))
    page.get_by_role("button", name="Preview", exact=True).click()
    page.locator("#title-error").wait_for()
    check(page, "/submit with errors")
    for label, value in valid_fields().items():
        if label not in ("closes_on", "salary"):
            page.locator(f"#{label}").fill(value)
    page.locator("[name=closes_on]").fill(
        date.fromordinal(date.today().toordinal() + 30).isoformat()
    )
    page.locator("[name=work_arrangement]").select_option("hybrid")
    page.locator("[name=salary_min]").fill("95000")
    page.locator("[name=salary_currency]").select_option("CAD")
    page.get_by_role("button", name="Preview", exact=True).click()
    page.get_by_role("button", name="Send for review").wait_for()
    check(page, "the submission preview")


@pytest.mark.parametrize("path", EDITOR_PAGES)
def test_editor_pages_meet_wcag_aa(site, width_page, path):
    log_in(width_page, site)
    width_page.goto(site.url(path.format(submission=site.submission)))
    check(width_page, path)
