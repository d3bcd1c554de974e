"""Salary on cards and as a filter, corrected queries, list summaries and spelled-out places."""

from __future__ import annotations

import re

from board.web.openapi import spec
from tests.web.schema_check import conforms
from tests.web.seed import record, seed, standard_records


def hits(page: str) -> list[str]:
    return re.findall(r'<h3 id="hit-[^"]+"><a [^>]*>([^<]+)</a>', page)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_cards_show_the_salary_when_known(client, ids):
    page = text(client.get("/jobs"))
    card = page.split(f'id="hit-{ids["director"]}"')[1].split("</article>")[0]
    assert '<p class="salary">CA$120,000–150,000 a year</p>' in card
    remote = page.split(f'id="hit-{ids["remote_lead"]}"')[1].split("</article>")[0]
    assert 'class="salary"' not in remote


def test_salary_min_filters_on_a_yearly_figure_across_currencies(client, ids):
    # In US dollars a year: director CA$150k = 108,000; HPC manager 140,000; RSE head £70k = 88,900.
    page = text(client.get("/jobs?salary_min=100000"))
    assert sorted(hits(page)) == ["Director of Research Computing", "Manager, HPC Operations"]
    assert "Salary: at least US$100,000 a year" in page
    assert hits(text(client.get("/jobs?salary_min=100k&salary_currency=GBP"))) == [
        "Manager, HPC Operations"
    ]
    both = hits(text(client.get("/jobs?salary_min=150%2C000&salary_currency=CAD")))
    assert sorted(both) == ["Director of Research Computing", "Manager, HPC Operations"]
    assert hits(text(client.get("/jobs?salary_min=1000000"))) == []


def test_the_salary_form_keeps_the_search_and_its_filters(client, ids):
    page = text(client.get("/jobs?q=director&country=CA&salary_min=90000&salary_currency=EUR"))
    form = page.split('class="facet salary-filter"')[1].split("</form>")[0]
    assert '<input type="hidden" name="q" value="director">' in form
    assert '<input type="hidden" name="country" value="CA">' in form
    assert 'value="90000"' in form and '<option value="EUR" selected>' in form


def test_the_salary_stated_facet(client, ids):
    page = text(client.get("/jobs"))
    assert 'Salary stated <span class="count">(3)</span>' in page
    assert 'No salary stated <span class="count">(1)</span>' in page
    assert hits(text(client.get("/jobs?salary=not_stated"))) == ["Research Data Team Lead"]


def test_the_api_filters_by_salary_and_shows_it(client, ids):
    body = client.get("/api/v1/jobs?salary_min=100000&salary_currency=USD").json
    assert {r["id"] for r in body["results"]} == {ids["director"], ids["hpc_manager"]}
    director = next(r for r in body["results"] if r["id"] == ids["director"])
    assert director["salary"] == {"min": 120000, "max": 150000, "currency": "CAD", "period": "year"}
    assert director["location_label"] == "Hamilton, ON, Canada"
    assert director["location_display"] == "Hamilton ON CA"  # the contract value stays
    assert dict((f["value"], f["count"]) for f in body["facets"]["salary"]) == {"stated": 2}
    assert conforms(body, spec(), "/api/v1/jobs") == []
    for bad in ("salary_min=lots", "salary_min=-5", "salary_currency=XYZ"):
        response = client.get(f"/api/v1/jobs?{bad}")
        assert response.status_code == 400, bad
        assert conforms(response.json, spec(), "/api/v1/jobs", 400) == []


def test_a_query_with_no_results_shows_its_correction_s_results(client, ids):
    page = text(client.get("/jobs?q=reserch"))
    assert "Showing results for" in page and "<strong>research</strong>" in page
    assert hits(page)  # the corrected results themselves
    original = re.search(r'<a class="original-query" href="([^"]+)">reserch</a>', page)
    assert original and "correct=false" in original.group(1)
    asked = text(client.get(original.group(1).replace("&amp;", "&")))
    assert hits(asked) == [] and "Did you mean" in asked


def test_the_api_says_when_the_query_was_corrected(client, ids):
    body = client.get("/api/v1/jobs?q=reserch").json
    assert body["corrected"] == "research" and body["query_corrected"] is True
    assert body["total"] > 0
    assert conforms(body, spec(), "/api/v1/jobs") == []
    plain = client.get("/api/v1/jobs?q=reserch&correct=false").json
    assert plain["total"] == 0 and plain["query_corrected"] is False
    assert plain["suggestion"] == "research"


def test_a_summary_that_opens_with_a_list_keeps_its_bullets(board, client, frozen):
    records = standard_records()
    records["listy"] = record(
        "listy",
        "Research Computing Manager",
        summary="What you will do - Lead the team - Run the budget",
        description_text="What you will do\n\n- Lead the team\n- Run the budget\n\nAbout us",
    )
    ids = seed(board, records)
    page = text(client.get("/jobs?q=manager"))
    card = page.split(f'id="hit-{ids["listy"]}"')[1].split("</article>")[0]
    assert "<p>What you will do</p><ul><li>Lead the team</li><li>Run the budget</li></ul>" in card


def test_places_are_spelled_out_for_people(client, ids):
    page = text(client.get("/jobs"))
    assert "Hamilton, ON, Canada" in page and "Remote (United States)" in page
    assert "Oxford, United Kingdom" in page
    posting = text(client.get(f"/jobs/{ids['remote_lead']}"))
    assert "Remote (United States)" in posting


def test_the_salary_rates_page(client):
    page = text(client.get("/salaries"))
    assert "<td>CAD</td><td>0.72</td>" in page and "2080 hours" in page
