"""The /jobs listing: results, facets, filters, pagination, sorting and shareable URLs."""

from __future__ import annotations

import dataclasses
import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.web.seed import seed


def _links(page: str, css_class: str) -> dict[str, str]:
    """Link text -> href of the anchors with a class."""
    found = re.findall(rf'<a class="{css_class}" href="([^"]*)"[^>]*>(.*?)</a>', page, re.S)
    return {re.sub(r"<[^>]+>", "", text).strip(): html.unescape(href) for href, text in found}


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_home_redirects_to_the_listing(client):
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/jobs")


def test_default_listing_shows_open_relevant_postings_only(client, ids):
    page = _text(client.get("/jobs"))
    for title in (
        "Director of Research Computing",
        "Manager, HPC Operations",
        "Head of Research Software Engineering",
        "Research Data Team Lead",
    ):
        assert title in page
    for title in ("Associate Director, Research Cloud", "Payroll Clerk", "Hidden Director"):
        assert title not in page
    assert "<strong>4</strong> jobs" in page
    assert f'href="/jobs/{ids["director"]}/director-of-research-computing"' in page
    assert 'href="/institutions/mcmaster-university"' in page
    # places spelled out: "CA" alone could be Canada or California
    assert "Hamilton, ON, Canada" in page and "Golden, CO, United States" in page
    assert '<time datetime="2026-03-01">1 March 2026</time>' in page
    assert '<time datetime="2026-04-15">15 April 2026</time>' in page
    assert "Director</span>" in page  # the role label


def test_page_is_accessible_html(client, ids):
    page = _text(client.get("/jobs"))
    assert '<meta name="viewport"' in page and '<html lang="en">' in page
    assert 'class="skip-link" href="#main"' in page and '<main id="main"' in page
    for tag in ("<header", "<nav", "<footer", '<form method="get" action="/jobs" role="search"'):
        assert tag in page
    for control in re.findall(r"<(?:input|select)\b[^>]*>", page):
        if 'type="hidden"' in control:
            continue
        control_id = re.search(r'id="([^"]+)"', control).group(1)
        assert f'<label for="{control_id}">' in page, control
    levels = [int(n) for n in re.findall(r"<h([1-6])\b", page)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert len(page.encode()) < 40_000


def test_facets_have_counts_and_links_that_add_and_remove_filters(client, ids):
    page = _text(client.get("/jobs"))
    toggles = _links(page, "toggle")
    assert "Canada (1)" in toggles and "United States (2)" in toggles
    assert "Director (1)" in toggles and "Team lead (2)" in toggles
    us = toggles["United States (2)"]
    assert dict(parse_qsl(urlsplit(us).query)) == {"country": "US"}

    filtered = _text(client.get(us))
    assert "<strong>2</strong> jobs" in filtered
    assert (
        "Manager, HPC Operations" in filtered and "Director of Research Computing" not in filtered
    )
    selected = _links(filtered, "toggle")
    remove = next(
        href for text, href in selected.items() if text.startswith("Selected: United States")
    )
    assert urlsplit(remove).query == ""
    assert "Country: United States" in filtered  # the active-filter chip
    assert 'aria-current="true"' in filtered


def test_two_filters_combine_and_the_search_form_keeps_them(client, ids):
    page = _text(client.get("/jobs?country=US&role=lead&q=research"))
    assert "Research Data Team Lead" in page and "Manager, HPC Operations" not in page
    assert '<input type="hidden" name="country" value="US">' in page
    assert '<input type="hidden" name="role" value="lead">' in page


def test_status_and_relevant_filters_are_exposed(client, ids):
    page = _text(client.get("/jobs"))
    toggles = _links(page, "toggle")
    closed = next(h for t, h in toggles.items() if t.startswith("Include closed postings"))
    notrel = next(h for t, h in toggles.items() if t.startswith("Include postings judged not"))
    assert closed == "/jobs?status=all" and notrel == "/jobs?relevant=all"
    with_closed = _text(client.get(closed))
    assert "Associate Director, Research Cloud" in with_closed
    assert 'badge-closed">Closed</span>' in with_closed
    with_all = _text(client.get(notrel))
    assert "Payroll Clerk" in with_all and "Not judged relevant" in with_all
    only_closed = _text(client.get("/jobs?status=closed"))
    assert "Associate Director" in only_closed and "Manager, HPC" not in only_closed
    assert "Hidden Director" not in _text(client.get("/jobs?status=all&relevant=all"))


def test_query_terms_are_highlighted_in_summaries(client, ids):
    page = _text(client.get("/jobs?q=clusters"))
    assert "Manager, HPC Operations" in page
    assert re.search(r"<mark>clusters</mark>", page, re.I)


@pytest.fixture
def many(board, frozen):
    return seed(board, extra=25)


def test_pagination_links_are_shareable_and_complete(client, many):
    first = _text(client.get("/jobs?role=senior"))
    assert "<strong>25</strong> jobs" in first and "page 1 of 2" in first
    assert first.count('class="hit"') == 20
    assert 'rel="next" href="/jobs?role=senior&amp;page=2"' in first
    second = _text(client.get("/jobs?role=senior&page=2"))
    assert second.count('class="hit"') == 5
    assert 'rel="prev" href="/jobs?role=senior"' in second
    assert 'aria-current="page"' in second and '<ol class="hits" start="21">' in second
    beyond = _text(client.get("/jobs?role=senior&page=9"))
    assert "no results on page 9" in beyond


def test_per_page_and_sort_are_part_of_the_url(client, many):
    page = _text(client.get("/jobs?role=senior&per_page=10&sort=newest"))
    assert page.count('class="hit"') == 10
    assert '<option value="newest" selected>' in page
    assert 'href="/jobs?role=senior&amp;sort=newest&amp;page=2&amp;per_page=10"' in page
    titles = re.findall(r"Senior Research Software Engineer (\d\d)", page)
    days = [int(n) % 28 + 1 for n in titles]
    assert days == sorted(days, reverse=True)


def test_sort_form_works_without_javascript(client, ids):
    page = _text(client.get("/jobs?country=US&sort=closing"))
    form = re.search(
        r'<form method="get" action="/jobs" class="sort-form">(.*?)</form>', page, re.S
    )
    assert form and '<label for="sort">Sort by</label>' in form.group(1)
    assert '<input type="hidden" name="country" value="US">' in form.group(1)
    assert '<button type="submit" class="sort-apply">Sort</button>' in form.group(1)


def test_did_you_mean_links_to_the_suggested_search(client, board, ids, monkeypatch):
    real = board.index.search

    def suggesting(request, token=None):
        return dataclasses.replace(real(request, token), suggestion="director")

    monkeypatch.setattr(board.index, "search", suggesting)
    page = _text(client.get("/jobs?q=directr&country=CA"))
    assert 'Did you mean <a href="/jobs?q=director&amp;country=CA">director</a>?' in page


def test_empty_results_offer_ways_out(client, ids):
    page = _text(client.get("/jobs?q=zzzzzz&country=CA"))
    assert "No jobs match this search." in page
    assert "Remove the filters" in page and "Include closed postings" in page


def test_a_failing_index_degrades_to_a_notice_not_an_error(client, board, ids, monkeypatch):
    def broken(_request, _token=None):
        raise RuntimeError("index gone")

    monkeypatch.setattr(board.index, "search", broken)
    response = client.get("/jobs?q=x")
    assert response.status_code == 200
    assert "Search is unavailable right now" in _text(response)
    assert client.get(f"/jobs/{ids['director']}").status_code == 200
    assert client.get("/api/v1/jobs").status_code == 503


def test_listing_announces_feeds_for_the_same_search(client, ids):
    page = _text(client.get("/jobs?q=hpc&country=US&page=2"))
    assert (
        '<link rel="alternate" type="application/atom+xml" title="rcjobs: “hpc” · Country: '
        'United States (Atom)" href="/jobs/feed.atom?q=hpc&amp;country=US">'
    ) in page
    assert (
        'type="application/rss+xml"' in page
        and 'href="/jobs/feed.rss?q=hpc&amp;country=US"' in page
    )


def test_nav_links_appear_only_for_areas_that_exist(app, client, ids):
    page = _text(client.get("/jobs"))
    assert ("Submit a job" in page) == ("submissions.new" in app.view_functions)
    assert (">Editor<" in page) == ("editor.dashboard" in app.view_functions)
    assert 'href="/institutions"' in page


def test_posted_within_links_set_and_clear_posted_since(client, ids):
    toggles = _links(_text(client.get("/jobs")), "toggle")
    assert toggles["Last 7 days"] == "/jobs?posted_since=2026-03-03"
    recent = _text(client.get(toggles["Last 7 days"]))
    assert "Research Data Team Lead" in recent and "Director of Research Computing" not in recent
    assert _links(recent, "toggle")["Selected: Last 7 days"] == "/jobs"
