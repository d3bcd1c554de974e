"""Characters no database holds (NUL...) in a path or a form: 404 or 400 on both databases."""

from __future__ import annotations

import pytest

from tests.accounts.support import make_app, token_from, valid_fields


@pytest.fixture
def any_client(any_board):
    """A client of the site on SQLite and on PostgreSQL."""
    return make_app(any_board).test_client()


@pytest.mark.parametrize(
    "path",
    [
        "/institutions/%00",
        "/institutions/mcmaster%00university",
        "/api/v1/institutions/%00",
        "/jobs/%00",
        "/jobs/abc%00def/slug",
        "/submit/status/%00",
        "/institutions/%EF%BF%BF",  # U+FFFF
    ],
)
def test_a_path_no_database_can_hold_is_not_found(any_client, path):
    response = any_client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json["error"]["status"] == 404


def test_a_login_with_a_nul_is_refused_not_an_error(any_client):
    token = token_from(any_client, "/login")
    data = {"csrf_token": token, "email": "editor\x00@example.org", "password": "x\x00y"}
    response = any_client.post("/login", data=data)
    assert response.status_code == 400
    assert "cannot be stored" in response.get_data(as_text=True)


def test_a_submission_with_a_nul_is_refused_the_same_everywhere(any_client):
    token = token_from(any_client)
    fields = valid_fields(title="Director of Research\x00 Computing")
    response = any_client.post("/submit", data={"csrf_token": token, **fields})
    assert response.status_code == 400


def test_a_search_with_a_nul_still_answers(any_client):
    assert any_client.get("/jobs?q=director%00hpc").status_code == 200
    assert any_client.get("/api/v1/jobs?q=%00").status_code == 200
