"""`rcjobs demo`: serve the bundled demo career sites on loopback, crawl them, serve the board.

The demo's database is kept across starts (editor accounts, issues and submissions stay); each
start crawls the demo sites again, so postings open and close as on a real board. `--reset`
starts from nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from board.demo_setup import (
    demo_env,
    demo_instance,
    ensure_editor,
    keep_sites_port,
    login_lines,
    reset,
    sites_port,
    write_env_file,
)
from board.serving import check_port

if TYPE_CHECKING:
    from demo.server import DemoServer

#: Crawl settings for loopback sites: no politeness delay is needed against ourselves.
DEMO_CRAWL_SETTINGS = (
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "RETRY_TIMES=1",
)


def run_demo(
    host: str = "127.0.0.1",
    port: int = 8000,
    echo: Callable[[str], None] = print,
    *,
    fresh: bool = False,
) -> None:
    """Bring the demo instance up to date from the demo sites, then serve it until interrupted."""
    check_port(host, port)
    started = time.monotonic()
    instance = demo_instance()
    instance.mkdir(parents=True, exist_ok=True)
    if fresh:
        reset(instance)
    sites = _serve_sites(instance)
    echo(f"demo career sites on {sites.base_url}")
    base_url = f"http://{host}:{port}"
    # Prefill may read the demo's own sites (and only them) although they are on loopback.
    env = demo_env(instance, base_url, prefill_allow=sites.base_url.removeprefix("http://"))
    os.environ.update(env)
    write_env_file(instance, env)
    env = dict(os.environ)
    sources_file = instance / "sources.toml"
    sources_file.write_text(sites.sources_toml(), encoding="utf-8")

    rcjobs = [sys.executable, "-m", "board.cli"]
    subprocess.run([*rcjobs, "init"], env=env, check=True)
    settings = [arg for pair in DEMO_CRAWL_SETTINGS for arg in ("-s", pair)]
    crawl = subprocess.run(
        [*rcjobs, "crawl", "--sources", str(sources_file), *settings], env=env, check=False
    )
    if crawl.returncode not in (0, 1):
        echo("demo crawl failed; see the messages above")
        sites.shutdown()
        sys.exit(crawl.returncode)
    subprocess.run([*rcjobs, "index"], env=env, check=True)  # the crawl indexed as it went

    from board.services import Board
    from board.serving import serve_app

    board = Board()
    login = ensure_editor(board, instance)
    url = f"{base_url}/jobs"
    elapsed = time.monotonic() - started

    def ready() -> None:
        echo(f"rcjobs demo ready in {elapsed:.1f} s: {url}  (Ctrl-C to stop)")
        for line in login_lines(login, base_url, instance):
            echo(line)

    try:
        serve_app(board, host, port, on_ready=ready)
    finally:
        sites.shutdown()


def _serve_sites(folder: Path) -> DemoServer:
    """The demo sites, on last start's port when it is free (the stored links stay valid)."""
    from demo.server import serve as serve_demo_sites

    kept = sites_port(folder)
    try:
        sites = serve_demo_sites(port=kept, host="127.0.0.1")
    except OSError:
        sites = serve_demo_sites(port=0, host="127.0.0.1")
    keep_sites_port(folder, int(sites.base_url.rsplit(":", 1)[1]))
    return sites
