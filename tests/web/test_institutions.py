"""Institution pages and the institutions API."""

from __future__ import annotations


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_institution_page_lists_open_then_past_postings(client, ids):
    response = client.get("/institutions/mcmaster-university")
    assert response.status_code == 200
    page = _text(response)
    assert "<h1>McMaster University</h1>" in page
    open_part, past_part = page.split('id="past-title"')
    assert "Director of Research Computing" in open_part
    assert "Associate Director, Research Cloud" in past_part
    assert "Payroll Clerk" not in page and "Hidden Director" not in page
    assert f'href="/jobs/{ids["director"]}/director-of-research-computing"' in page
    assert 'href="/jobs?institution=mcmaster-university"' in page


def test_institution_page_can_include_postings_not_relevant(client, ids):
    page = _text(client.get("/institutions/mcmaster-university?relevant=all"))
    assert "Payroll Clerk" in page and "Not judged relevant" in page
    assert "Hidden Director" not in page


def test_unknown_institution_is_not_found(client, ids):
    assert client.get("/institutions/nowhere").status_code == 404
    response = client.get("/api/v1/institutions/nowhere")
    assert response.status_code == 404 and response.json["error"]["status"] == 404


def test_institution_index_lists_institutions_with_counts(client, ids):
    page = _text(client.get("/institutions"))
    assert '<a href="/institutions/mcmaster-university">McMaster University</a>' in page
    assert "1 open, 1 past" in page


def test_institutions_api(client, ids):
    body = client.get("/api/v1/institutions").json
    by_slug = {row["slug"]: row for row in body["results"]}
    assert set(by_slug) == {
        "mcmaster-university",
        "colorado-school-of-mines",
        "university-of-oxford",
        "nrel",
    }
    mcmaster = by_slug["mcmaster-university"]
    assert (mcmaster["open_count"], mcmaster["total"]) == (1, 2)
    assert mcmaster["url"] == "http://jobs.example.test/institutions/mcmaster-university"
    detail = client.get("/api/v1/institutions/mcmaster-university").json
    assert [p["id"] for p in detail["open_postings"]] == [ids["director"]]
    assert [p["id"] for p in detail["past_postings"]] == [ids["closed"]]
    assert detail["open_postings"][0]["url"] == f"http://jobs.example.test/jobs/{ids['director']}"
