"""`rcjobs serve`'s start: the cyclic collector is off while the app loads, and before_fork
freezes what was loaded and turns it back on (so the workers and the master collect)."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask

from board import cli
from board.services import Board
from board.serving import before_fork, pause_collector


@pytest.fixture
def collector() -> Iterator[None]:
    """Leave the collector on and nothing frozen, whatever a test did."""
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


def test_before_fork_freezes_and_turns_the_paused_collector_back_on(
    app: Flask, board: Board, collector: None
) -> None:
    pause_collector()
    assert not gc.isenabled()
    before_fork(board, app)
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_before_fork_leaves_a_running_collector_on(
    app: Flask, board: Board, collector: None
) -> None:
    before_fork(board, app)
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_serve_pauses_the_collector_before_loading_the_board(
    monkeypatch: pytest.MonkeyPatch, collector: None
) -> None:
    seen: dict[str, bool] = {}

    def ready_board() -> object:
        seen["loading"] = gc.isenabled()
        return object()

    def serve_app(_board: object, *_args: Any, **_kwargs: Any) -> None:
        seen["serving"] = gc.isenabled()

    monkeypatch.setattr(cli, "_ready_board", ready_board)
    monkeypatch.setattr("board.serving.serve_app", serve_app)
    result = CliRunner().invoke(cli.main, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert seen == {"loading": False, "serving": False}  # before_fork turns it back on


def test_the_dev_servers_reloaded_child_serves_on_the_port_its_parent_holds(
    monkeypatch: pytest.MonkeyPatch, board: Board, collector: None
) -> None:
    import socket

    from board import app as app_module
    from board.serving import PortInUse, serve_app
    from board.web import node

    ran: list[int] = []

    class App:
        def run(self, host: str, port: int, debug: bool) -> None:
            ran.append(port)

    monkeypatch.setattr(app_module, "create_app", lambda board: App())
    monkeypatch.setattr(node, "prepare", lambda *_args, **_kwargs: None)
    monkeypatch.setattr(node, "start_follower", lambda *_args, **_kwargs: None)
    with socket.socket() as held:  # the reloader's parent holds the port
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        with pytest.raises(PortInUse):
            serve_app(board, "127.0.0.1", port, dev=True)  # a first start: the port is taken
        monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
        serve_app(board, "127.0.0.1", port, dev=True)
    assert ran == [port]


ALLOCATE = """
import resource, sys
import numpy as np
from board.serving import reuse_large_blocks
if sys.argv[1] == "tuned":
    assert reuse_large_blocks()
np.ones(200_000).sum()  # the first block: mapped or taken from the heap, either way faults
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for i in range(100):  # 1.6 MB and growing, freed at once (a search's scores are 0.8 MB at
    np.ones(200_000 + 2_000 * i).sum()  # 100k postings): above glibc's adjusted threshold
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_large_arrays_are_reused_from_the_heap_instead_of_mapped_each_time() -> None:
    def faults(mode: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", ALLOCATE, mode], capture_output=True, text=True, check=True
        )
        return int(done.stdout)

    mapped, tuned = faults("default"), faults("tuned")
    assert mapped > 100 * 300  # each block mapped afresh: ~390 zeroed pages a time
    assert tuned < mapped / 20


def test_after_before_fork_a_first_search_reads_nothing_from_the_database(
    app: Flask, board: Board, ids: dict[str, str], collector: None
) -> None:
    from sqlalchemy import event

    fresh = app.test_client().get("/api/v1/jobs?q=research").get_data()  # loads per request
    board.__dict__.pop("_per_index_version", None)  # as a master that served nothing
    before_fork(board, app)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(board.engine, "before_cursor_execute", seen)
    try:
        forked = app.test_client().get("/api/v1/jobs?q=research")
    finally:
        event.remove(board.engine, "before_cursor_execute", seen)
    assert forked.status_code == 200
    assert forked.get_data() == fresh  # the same answer from the values read before fork
    assert statements == []
