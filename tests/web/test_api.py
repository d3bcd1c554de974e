"""The JSON API: shapes, filters, defaults, errors and conformance to openapi.json."""

from __future__ import annotations

import pytest

from board.web.openapi import spec
from tests.web.schema_check import conforms
from tests.web.seed import seed

BASE = "http://jobs.example.test"


def test_search_answers_the_documented_shape(client, ids):
    body = client.get("/api/v1/jobs").json
    assert {"total", "page", "per_page", "results", "facets", "suggestion"} <= set(body)
    assert (body["total"], body["page"], body["per_page"]) == (4, 1, 20)
    result = {r["id"]: r for r in body["results"]}[ids["director"]]
    assert result["title"] == "Director of Research Computing"
    assert result["institution"] == "McMaster University"
    assert result["location_display"] == "Hamilton ON CA"
    assert result["url"] == f"{BASE}/jobs/{ids['director']}"
    assert result["posted_on"] == "2026-03-01" and result["closes_on"] == "2026-12-31"
    assert result["status"] == "open" and result["relevant"] is True
    facets = body["facets"]
    for name in (
        "country",
        "region",
        "role",
        "technical",
        "sector",
        "institution",
        "institution_type",
        "remote",
        "status",
        "relevant",
    ):
        assert name in facets, name
    assert {"value": "US", "count": 2} in facets["country"]
    assert conforms(body, spec(), "/api/v1/jobs") == []


def test_status_and_relevant_defaults_and_filters(client, ids):
    def found(query: str) -> set[str]:
        return {r["id"] for r in client.get(f"/api/v1/jobs?{query}").json["results"]}

    default = found("")
    assert ids["closed"] not in default and ids["not_relevant"] not in default
    assert found("status=closed") == {ids["closed"]}
    assert ids["closed"] in found("status=all") and ids["director"] in found("status=all")
    assert found("relevant=false") == {ids["not_relevant"]}
    assert ids["not_relevant"] in found("relevant=all")
    assert ids["hidden"] not in found("status=all&relevant=all")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=GB", {"rse_head"}),
        ("country=US&country=CA", {"hpc_manager", "remote_lead", "director"}),
        ("region=US-CO", {"hpc_manager"}),
        ("role=lead", {"rse_head", "remote_lead"}),
        ("technical=rse", {"rse_head"}),
        ("institution=nrel", {"remote_lead"}),
        ("institution_type=national_lab", {"remote_lead"}),
        ("sector=academia&role=director", {"director"}),
        ("remote=remote", {"remote_lead"}),
        ("posted_since=2026-03-01", {"director", "remote_lead"}),
        ("q=clusters", {"hpc_manager"}),
        # Codes as people type them: any case.
        ("country=gb", {"rse_head"}),
        ("region=us-co", {"hpc_manager"}),
        ("role=Lead&remote=REMOTE", {"remote_lead"}),
    ],
)
def test_every_facet_filters(client, ids, query, expected):
    body = client.get(f"/api/v1/jobs?{query}").json
    assert {r["id"] for r in body["results"]} == {ids[k] for k in expected}
    assert body["total"] == len(expected)


def test_pages_and_sorts(client, board, frozen):
    seed(board, extra=25)
    first = client.get("/api/v1/jobs?role=senior&per_page=10&sort=newest").json
    second = client.get("/api/v1/jobs?role=senior&per_page=10&sort=newest&page=2").json
    assert first["total"] == 25 and len(first["results"]) == 10 and second["page"] == 2
    assert not {r["id"] for r in first["results"]} & {r["id"] for r in second["results"]}
    dates = [r["posted_on"] for r in first["results"] + second["results"]]
    assert dates == sorted(dates, reverse=True)
    closing = client.get("/api/v1/jobs?sort=closing").json["results"]
    closes = [r["closes_on"] for r in closing if r["closes_on"]]
    assert closes == sorted(closes)
    assert client.get("/api/v1/jobs?per_page=100000").json["per_page"] == 100


@pytest.mark.parametrize(
    "query",
    [
        "status=bogus",
        "relevant=yes",
        "sort=random",
        "page=abc",
        "page=0",
        "per_page=-1",
        "posted_since=last-week",
    ],
)
def test_bad_parameters_get_a_clear_400(client, ids, query):
    response = client.get(f"/api/v1/jobs?{query}")
    assert response.status_code == 400
    assert response.is_json
    name = query.split("=")[0]
    assert name in response.json["error"]["errors"]
    assert name in response.json["error"]["message"]
    assert conforms(response.json, spec(), "/api/v1/jobs", 400) == []


def test_one_job(client, ids):
    body = client.get(f"/api/v1/jobs/{ids['director']}").json
    assert body["id"] == ids["director"] and body["url"] == f"{BASE}/jobs/{ids['director']}"
    assert body["salary"] == {"min": 120000, "max": 150000, "currency": "CAD", "period": "year"}
    assert body["locations"] == [{"city": "Hamilton", "region": "ON", "country": "CA"}]
    assert body["sources"] == ["https://careers.example.edu/jobs/director"]
    assert body["description_html"].startswith("<p>Director")
    assert conforms(body, spec(), "/api/v1/jobs/{id}") == []
    closed = client.get(f"/api/v1/jobs/{ids['closed']}").json
    assert closed["status"] == "closed" and closed["closed_at"].startswith("2026-02-11")
    assert conforms(closed, spec(), "/api/v1/jobs/{id}") == []


def test_unknown_jobs_are_404_and_hidden_ones_410_json(client, ids):
    for public_id in ("nosuchjob1", "<script>"):
        response = client.get(f"/api/v1/jobs/{public_id}")
        assert response.status_code == 404 and response.is_json
        assert conforms(response.json, spec(), "/api/v1/jobs/{id}", 404) == []
    hidden = client.get(f"/api/v1/jobs/{ids['hidden']}")
    assert hidden.status_code == 410 and hidden.is_json
    assert conforms(hidden.json, spec(), "/api/v1/jobs/{id}", 410) == []
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.is_json
    assert client.post("/api/v1/jobs").status_code == 405


def test_institution_responses_conform(client, ids):
    listing = client.get("/api/v1/institutions").json
    assert conforms(listing, spec(), "/api/v1/institutions") == []
    detail = client.get("/api/v1/institutions/mcmaster-university?relevant=all").json
    assert conforms(detail, spec(), "/api/v1/institutions/{slug}") == []


def test_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {
        "/api/v1/jobs",
        "/api/v1/jobs/{id}",
        "/api/v1/institutions",
        "/api/v1/institutions/{slug}",
    }
    names = {p["name"] for p in doc["paths"]["/api/v1/jobs"]["get"]["parameters"]}
    assert names == {
        "q",
        "country",
        "region",
        "role",
        "technical",
        "sector",
        "institution",
        "institution_type",
        "remote",
        "status",
        "relevant",
        "posted_since",
        "sort",
        "page",
        "per_page",
        "salary",
        "salary_min",
        "salary_currency",
        "correct",
    }
    assert doc["servers"] == [{"url": "http://localhost/"}]
    refs = []

    def walk(node):
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(doc)
    for ref in refs:
        assert ref.split("/")[-1] in doc["components"]["schemas"], ref


def test_schema_checker_catches_a_broken_response():
    assert conforms({"total": "many"}, spec(), "/api/v1/jobs")


def test_search_results_carry_a_rank_not_a_second_meaning_of_score(client, ids):
    body = client.get("/api/v1/jobs?q=research").get_json()
    assert body["results"], body
    for result in body["results"]:
        assert "score" not in result  # `score` is the posting's 0..1 relevance, on the job itself
        assert isinstance(result["rank"], float)
    one = client.get(f"/api/v1/jobs/{body['results'][0]['id']}").get_json()
    assert 0.0 <= one["score"] <= 1.0
