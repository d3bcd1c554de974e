"""CSRF protection with Flask-WTF imported on first use (board.accounts.lazycsrf)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.accounts.support import EDITOR_EMAIL, EDITOR_PASSWORD, add_editor, token_from

ROOT = Path(__file__).resolve().parents[2]

#: Builds the site, serves pages without forms, then refuses a POST without a token.
_CHILD = """
import json, sys
from board.app import create_app
from board.config import load_settings
from board.services import Board

app = create_app({"TESTING": True, "RCJOBS_COOKIE_SECURE": False}, board=Board(load_settings()))
loaded = lambda: sorted(m for m in ("flask_wtf", "wtforms") if m in sys.modules)
client = app.test_client()
found = {"built": loaded(), "get": [client.get(p).status_code for p in ("/robots.txt", "/nowhere")]}
found["after_gets"] = loaded()
refused = client.post("/logout", data={})
found["post"] = [refused.status_code, "could not be accepted" in refused.get_data(as_text=True)]
found["after_post"] = loaded()
print(json.dumps(found))
"""


def test_flask_wtf_loads_with_the_first_check_and_refuses_then(tmp_path, monkeypatch):
    env = {
        "PATH": "/usr/bin:/bin",
        "RCJOBS_INSTANCE_DIR": str(tmp_path / "instance"),
        "RCJOBS_SECRET_KEY": "x" * 32,
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-c", _CHILD], capture_output=True, text=True, env=env, timeout=120,
        cwd=tmp_path,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.strip().splitlines()[-1])
    assert found["built"] == [] and found["after_gets"] == []
    assert found["get"] == [200, 404]
    assert found["post"] == [400, True]  # the site's own page for a refused token
    assert found["after_post"] == ["flask_wtf", "wtforms"]


def test_a_refused_token_shows_flask_wtf_s_reason(app, board):
    add_editor(board)
    client = app.test_client()
    missing = client.post("/login", data={"email": EDITOR_EMAIL, "password": EDITOR_PASSWORD})
    assert missing.status_code == 400
    assert "The CSRF token is missing." in missing.get_data(as_text=True)
    token_from(client, "/login")  # a session token now exists; this one is not it
    wrong = client.post(
        "/login", data={"email": EDITOR_EMAIL, "password": EDITOR_PASSWORD, "csrf_token": "x"}
    )
    assert wrong.status_code == 400
    assert "The CSRF token is invalid." in wrong.get_data(as_text=True)
    assert client.get("/editor/").status_code == 302  # not logged in


def test_a_good_token_passes_and_exemptions_hold(app, board):
    add_editor(board)
    client = app.test_client()
    data = {"email": EDITOR_EMAIL, "password": EDITOR_PASSWORD}
    response = client.post("/login", data={**data, "csrf_token": token_from(client, "/login")})
    assert response.status_code == 302
    assert client.get("/editor/").status_code == 200
    # The read-only API is exempt as a blueprint: a POST is refused by its method, not by CSRF.
    assert client.post("/api/v1/jobs").status_code == 405


def test_checks_are_off_when_the_config_says_so(board):
    from tests.accounts.support import make_app

    app = make_app(board, WTF_CSRF_ENABLED=False)
    add_editor(board)
    client = app.test_client()
    response = client.post("/login", data={"email": EDITOR_EMAIL, "password": EDITOR_PASSWORD})
    assert response.status_code == 302
