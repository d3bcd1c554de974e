"""`rcjobs demo --env`: the exports that point the CLI at the demo's instance and port."""

from __future__ import annotations

import subprocess

from click.testing import CliRunner

from board.cli import main
from board.demo_setup import demo_env, write_env_file


def test_env_prints_the_running_demo_s_exports(tmp_path, monkeypatch):
    folder = tmp_path / "demo"
    folder.mkdir()
    monkeypatch.setenv("RCJOBS_DEMO_DIR", str(folder))
    write_env_file(folder, demo_env(folder, "http://127.0.0.1:8765", "127.0.0.1:40001"))
    result = CliRunner().invoke(main, ["demo", "--env"])
    assert result.exit_code == 0
    assert f"export RCJOBS_INSTANCE_DIR={folder}\n" in result.output
    assert "export RCJOBS_BASE_URL=http://127.0.0.1:8765\n" in result.output
    assert "export RCJOBS_PREFILL_ALLOW=127.0.0.1:40001\n" in result.output
    # what `eval "$(rcjobs demo --env)"` leaves in the shell
    shell = f"{result.output}\necho $RCJOBS_DATABASE_URL $RCJOBS_MAIL_DIR"
    echoed = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, check=True)
    assert echoed.stdout.split() == [f"sqlite:///{folder / 'rcjobs.db'}", str(folder / "mail")]


def test_env_for_a_given_port_without_a_running_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("RCJOBS_DEMO_DIR", str(tmp_path / "a folder with spaces"))
    result = CliRunner().invoke(main, ["demo", "--env", "--port", "8080"])
    assert result.exit_code == 0
    assert "export RCJOBS_BASE_URL=http://127.0.0.1:8080\n" in result.output
    assert f"export RCJOBS_INSTANCE_DIR='{tmp_path / 'a folder with spaces'}'\n" in result.output
    assert "RCJOBS_PREFILL_ALLOW" not in result.output  # only the running demo allows its sites
