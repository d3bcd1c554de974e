"""`rcjobs demo`: serve the bundled demo career sites on loopback, crawl them, serve the board."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from board.serving import check_port

#: Crawl settings for loopback sites: no politeness delay is needed against ourselves.
DEMO_CRAWL_SETTINGS = (
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
    "RETRY_TIMES=1",
)


def run_demo(
    host: str = "127.0.0.1", port: int = 8000, echo: Callable[[str], None] = print
) -> None:
    """Build a fresh demo instance from the demo sites, then serve it until interrupted."""
    check_port(host, port)
    from demo.server import serve as serve_demo_sites

    started = time.monotonic()
    instance = Path(os.environ.get("RCJOBS_DEMO_DIR", "instance/demo")).resolve()
    instance.mkdir(parents=True, exist_ok=True)
    for name in ("rcjobs.db", "rcjobs.db-wal", "rcjobs.db-shm"):
        (instance / name).unlink(missing_ok=True)
    shutil.rmtree(instance / "index", ignore_errors=True)  # it was made from the old database
    env = dict(os.environ)
    env.update(
        {
            "RCJOBS_INSTANCE_DIR": str(instance),
            "RCJOBS_DATABASE_URL": f"sqlite:///{instance / 'rcjobs.db'}",
            "RCJOBS_INDEX_DIR": str(instance / "index"),
            "RCJOBS_BASE_URL": f"http://{host}:{port}",
        }
    )
    os.environ.update(env)

    sites = serve_demo_sites(port=0, host="127.0.0.1")
    echo(f"demo career sites on {sites.base_url}")
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

    url = f"http://{host}:{port}/jobs"
    board = Board()
    elapsed = time.monotonic() - started
    try:
        serve_app(
            board,
            host,
            port,
            on_ready=lambda: echo(f"rcjobs demo ready in {elapsed:.1f} s: {url}  (Ctrl-C to stop)"),
        )
    finally:
        sites.shutdown()
