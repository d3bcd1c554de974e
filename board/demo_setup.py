"""The demo's instance: its environment (for the CLI too), its kept editor login, its sites' port.

The demo keeps its database across restarts (editors, issues and submissions stay; each start
crawls the demo sites again). What the CLI needs to act on the running demo is written to
`<instance>/demo.env` as shell exports, printed by `rcjobs demo --env`.
"""

from __future__ import annotations

import json
import os
import secrets
import shlex
from dataclasses import dataclass
from pathlib import Path

from board.services import Board

DEMO_EDITOR = "editor@example.org"
ENV_FILE = "demo.env"
LOGIN_FILE = "editor-login.json"
SITES_PORT_FILE = "sites-port"
#: Files `rcjobs demo --reset` removes (the database, its index and the kept login).
RESET_FILES = ("rcjobs.db", "rcjobs.db-wal", "rcjobs.db-shm", LOGIN_FILE, SITES_PORT_FILE)


def demo_instance() -> Path:
    """The demo's instance folder (RCJOBS_DEMO_DIR, default instance/demo), absolute."""
    return Path(os.environ.get("RCJOBS_DEMO_DIR") or "instance/demo").resolve()


def demo_env(instance: Path, base_url: str, prefill_allow: str = "") -> dict[str, str]:
    """The variables every rcjobs process of the demo runs with (the CLI's too)."""
    env = {
        "RCJOBS_INSTANCE_DIR": str(instance),
        "RCJOBS_DATABASE_URL": f"sqlite:///{instance / 'rcjobs.db'}",
        "RCJOBS_INDEX_DIR": str(instance / "index"),
        "RCJOBS_MAIL_DIR": str(instance / "mail"),
        "RCJOBS_BASE_URL": base_url,
    }
    if prefill_allow:
        env["RCJOBS_PREFILL_ALLOW"] = prefill_allow
    return env


def exports(env: dict[str, str]) -> str:
    """Shell export lines for `eval "$(rcjobs demo --env)"`."""
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in env.items())


def write_env_file(instance: Path, env: dict[str, str]) -> Path:
    """Keep the running demo's exports where `rcjobs demo --env` finds them."""
    path = instance / ENV_FILE
    path.write_text(exports(env), encoding="utf-8")
    return path


def env_for_cli(instance: Path, port: int | None = None, host: str = "127.0.0.1") -> str:
    """The exports of the demo that last started here (or of one on host:port)."""
    path = instance / ENV_FILE
    if port is None and path.exists():
        return path.read_text(encoding="utf-8")
    return exports(demo_env(instance, f"http://{host}:{port or 8000}"))


def reset(instance: Path) -> None:
    """Forget everything the demo kept (database, index, login): the next start is fresh."""
    import shutil

    for name in RESET_FILES:
        (instance / name).unlink(missing_ok=True)
    shutil.rmtree(instance / "index", ignore_errors=True)


def sites_port(instance: Path) -> int:
    """The port the demo sites had last time (their postings' links stay valid), else 0."""
    try:
        return int((instance / SITES_PORT_FILE).read_text().strip())
    except (OSError, ValueError):
        return 0


def keep_sites_port(instance: Path, port: int) -> None:
    """Remember the demo sites' port for the next start."""
    (instance / SITES_PORT_FILE).write_text(str(port))


@dataclass(frozen=True)
class DemoLogin:
    """The demo editor's account: the password is known only when the demo made the account."""

    email: str
    password: str | None
    created: bool


def ensure_editor(board: Board, instance: Path) -> DemoLogin:
    """The demo editor account, made on first start with a random password kept (0600) in the
    instance, so every start can print the same login."""
    from board.accounts.services import create_editor, find_editor

    path = instance / LOGIN_FILE
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        email, password = str(kept["email"]), str(kept["password"])
    except (OSError, ValueError, KeyError, TypeError):
        email, password = DEMO_EDITOR, secrets.token_urlsafe(12)
    with board.session() as session:
        if find_editor(session, email) is not None:
            return DemoLogin(email, password if path.exists() else None, created=False)
        create_editor(session, email, password)
    path.write_text(json.dumps({"email": email, "password": password}), encoding="utf-8")
    path.chmod(0o600)
    return DemoLogin(email, password, created=True)


def login_lines(login: DemoLogin, base_url: str, instance: Path) -> list[str]:
    """What the demo prints about the editor side when it starts."""
    lines = [f"editor side: log in at {base_url}/login"]
    if login.password is not None:
        lines.append(f"  email: {login.email}   password: {login.password}")
    else:
        lines.append(f"  as {login.email} with the password you gave it")
    lines += [
        f"  mail to editors and submitters is written to {instance / 'mail'}",
        f'  point the CLI at this demo: eval "$(rcjobs demo --env)"  (see {instance / ENV_FILE})',
    ]
    return lines
