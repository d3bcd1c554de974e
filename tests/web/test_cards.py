"""Result cards built in Python (jobs.card_html) are the bytes templates/jobs/_hit.html renders."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.web import params as P
from board.web.jobs import card_html
from board.web.links import SearchLinks
from board.web.listing_page import card_pieces
from search_index import Hit

ODD = st.text(
    alphabet=st.sampled_from(list("aZ09 -_.,/&<>\"'é–·\n\t%?#+*😀")), min_size=0, max_size=30
)
DAYS = st.one_of(st.none(), st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31)))
SALARIES = st.one_of(
    st.none(),
    st.fixed_dictionaries(
        {
            "min": st.one_of(st.none(), st.integers(0, 10**7), st.floats(0, 1e7)),
            "max": st.one_of(st.none(), st.integers(0, 10**7)),
            "currency": st.sampled_from(["USD", "CAD", "GBP", "EUR", "XYZ", "", "<b>"]),
            "period": st.sampled_from(["year", "hour", "", "fortnight"]),
        }
    ),
)


def hits(**fields: Any) -> st.SearchStrategy[Hit]:
    """Hits with odd text everywhere, `fields` replacing any of the strategies."""
    strategies: dict[str, Any] = {
        "id": st.text(alphabet="abc019_-", min_size=1, max_size=12),
        "score": st.just(1.0),
        "title": ODD,
        "institution": ODD,
        "institution_slug": st.one_of(st.just(""), st.text(alphabet="ab-é <>&/", max_size=12)),
        "location_display": ODD,
        "role": st.sampled_from(["director", "manager", "lead", "senior", "executive", "", "<x>"]),
        "posted_on": DAYS,
        "closes_on": DAYS,
        "summary": st.just(""),
        "status": st.sampled_from(["open", "closed"]),
        "relevant": st.booleans(),
        "highlight": st.just(""),
        "salary": SALARIES,
        "location_label": ODD,
        "unit": ODD,
    }
    return st.builds(Hit, **{**strategies, **fields})


HITS = hits()


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(hit=HITS)
def test_a_card_is_the_template_s_bytes(app, hit):
    for root in ("", "/board"):
        with app.test_request_context("/jobs", base_url=f"http://jobs.example.test{root}"):
            urls = SearchLinks(P.search_request({}))
            template = app.jinja_env.get_template("jobs/_hit.html")
            assert str(card_html(hit, urls)) == template.render(hit=hit, urls=urls)


def test_every_value_of_a_card_is_escaped(app):
    evil = "<script>alert('x')</script>&\""
    hit = Hit(
        "abc", 1.0, evil, evil, "a<b", evil, "<x>", date(2026, 1, 2), None, "", "closed",
        False, "", {"min": 1, "max": 2, "currency": "<b>", "period": "year"}, evil, evil,
    )  # fmt: skip
    with app.test_request_context("/jobs"):
        html = str(card_html(hit, SearchLinks(P.search_request({}))))
    assert "<script>" not in html and "<x>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#34;" in html


#: Few values, so cards share institutions, places, roles, salaries and dates.
FEW = st.sampled_from(["", "Univ <A>", "Université de Montréal", "x & y"])
SHARING = hits(
    institution=FEW,
    institution_slug=st.sampled_from(["", "univ-a", "montreal", "a<b"]),
    location_display=FEW,
    role=st.sampled_from(["director", "lead", "<x>"]),
    posted_on=st.sampled_from([None, date(2026, 3, 1)]),
    closes_on=st.sampled_from([None, date(2026, 4, 30)]),
    salary=st.sampled_from(
        [None, {"min": 1, "max": 2, "currency": "CAD", "period": "year"}, {"min": 1.0}]
    ),
    location_label=FEW,
    unit=FEW,
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(hits=st.lists(SHARING, min_size=1, max_size=20))
def test_cards_built_from_shared_pieces_are_the_template_s_bytes(app, hits):
    # card_html keeps the pieces cards share (an institution's link, a place and role, a
    # salary, the dates); a card built from kept pieces is still the template's.
    for root in ("", "/board"):
        with app.test_request_context("/jobs", base_url=f"http://jobs.example.test{root}"):
            urls = SearchLinks(P.search_request({}))
            template = app.jinja_env.get_template("jobs/_hit.html")
            pieces = card_pieces(root)
            for hit in hits + hits:
                assert str(card_html(hit, urls, pieces)) == template.render(hit=hit, urls=urls)
