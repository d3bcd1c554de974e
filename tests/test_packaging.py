"""The distribution: every package listed, templates and static files in the wheel, and a wheel
installed without the source tree serves the site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest
from setuptools import find_packages

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_on_disk_is_listed_for_the_wheel():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = set(find_packages(str(ROOT), include=["board*", "spiders*", "search_index*", "demo*"]))
    assert found | {"board.templates"} == listed, "update [tool.setuptools] packages"
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {"board.templates": "templates"}


RENDER = r"""
import json, sys
import board, board.web
from board import indexing
from board.services import Board
from board.app import create_app

board_ = Board()
board_.init_db()
from board.ingest import Ingest, RawRecord, SourceInfo
raw = {"title": "Director of Research Computing", "institution": "McMaster University",
       "location": "Hamilton ON CA", "description": "<p>Lead the team.</p>",
       "url": "https://careers.example.edu/jobs/1"}
(outcome,) = Ingest(board_).batch([RawRecord(raw, 1)], SourceInfo("import:wheel"))
indexing.catch_up(board_)
client = create_app({"TESTING": True}, board=board_).test_client()
pages = {path: client.get(path) for path in ("/jobs", f"/jobs/{outcome.public_id}", "/submit")}
css = client.get("/static/site.css")
print(json.dumps({
    "board": board.__file__,
    "templates": str(board.web.context.TEMPLATES),
    "status": {path: page.status_code for path, page in pages.items()},
    "found": "Director of Research Computing" in pages["/jobs"].get_data(as_text=True),
    "posting": "McMaster University" in pages[f"/jobs/{outcome.public_id}"].get_data(as_text=True),
    "form": "<form" in pages["/submit"].get_data(as_text=True),
    "css": css.status_code,
}))
"""


@pytest.mark.slow
def test_a_wheel_installed_without_the_source_tree_serves_the_site(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(dist), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    (wheel,) = dist.glob("rcjobs-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "board/templates/jobs/listing.html",
        "board/templates/submit/static/forms.css",
        "board/templates/static/site.css",
        "board/migrations/versions/0003_change_log.py",
        "board/migrations/versions/0004_alerts_editor_sessions.py",
        "board/templates/alerts/mail_new.txt",
        "board/templates/alerts/new.html",
        "board/data/institutions.json",
        "spiders/sources.toml",
    ):
        assert expected in names, expected

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    # Dependencies come from this project's environment, but not its editable rcjobs: a .pth
    # line adds the folder to sys.path without running the .pth files (the finder) inside it.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "project_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    instance = tmp_path / "instance"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RCJOBS_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        RCJOBS_INSTANCE_DIR=str(instance),
        RCJOBS_GAZETTEER_CACHE="0",
        HOME=str(tmp_path),
    )
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = subprocess.run(
        [str(python), "-c", RENDER],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=outside,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["board"].startswith(purelib), report["board"]
    assert report["templates"].startswith(purelib), report["templates"]
    assert set(report["status"].values()) == {200}, report["status"]
    assert report["found"] and report["posting"] and report["form"]
    assert report["css"] == 200
    cli = subprocess.run(
        [str(venv / "bin" / "rcjobs"), "index", "--check"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=outside,
        env=env,
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
