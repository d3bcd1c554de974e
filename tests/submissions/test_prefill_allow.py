"""Prefill reads loopback pages only from the addresses RCJOBS_PREFILL_ALLOW names (the demo's
own sites); every other private address stays refused, and nothing is allowed by default."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.request import urlopen

import pytest

from board.config import ConfigError, address_list, load_settings
from board.services import Board
from board.submissions.pinned import AddressRefused, checked_addresses
from demo.server import DemoServer, serve
from tests.accounts.support import make_app, token_from


@pytest.fixture(scope="module")
def demo_sites() -> Iterator[DemoServer]:
    server = serve(0)
    yield server
    server.shutdown()


def sites_origin(server: DemoServer) -> tuple[str, int]:
    host, port = server.base_url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def a_demo_job_page(server: DemoServer) -> str:
    """The first job page linked from the Cascadia listing (JSON-LD inside)."""
    with urlopen(f"{server.base_url}/cascadia/careers/", timeout=10) as response:
        listing = response.read().decode()
    path = re.search(r'<li class="job"><a href="([^"]+)"', listing)
    assert path, "no job link on the demo listing"
    return path.group(1) if path.group(1).startswith("http") else server.base_url + path.group(1)


def board_with(monkeypatch: pytest.MonkeyPatch, allow: str | None) -> Board:
    if allow is None:
        monkeypatch.delenv("RCJOBS_PREFILL_ALLOW", raising=False)
    else:
        monkeypatch.setenv("RCJOBS_PREFILL_ALLOW", allow)
    board = Board(load_settings())
    board.init_db()
    return board


def prefill_page(board: Board, url: str) -> tuple[int, str]:
    client = make_app(board, RCJOBS_PREFILL_ALLOW_PRIVATE=False).test_client()
    data = {"csrf_token": token_from(client), "prefill_url": url}
    response = client.post("/submit/prefill", data=data)
    return response.status_code, response.get_data(as_text=True)


def test_the_demo_sites_are_read_when_allowed(instance, frozen, monkeypatch, demo_sites):
    host, port = sites_origin(demo_sites)
    board = board_with(monkeypatch, f"{host}:{port}")
    status, html = prefill_page(board, a_demo_job_page(demo_sites))
    assert status == 200, html
    assert "Filled in" in html
    assert 'value="Cascadia National Laboratory"' in html
    board.engine.dispose()


def test_by_default_the_demo_sites_are_refused(instance, frozen, monkeypatch, demo_sites):
    board = board_with(monkeypatch, None)
    status, html = prefill_page(board, a_demo_job_page(demo_sites))
    assert status == 422
    assert "private network" in html
    board.engine.dispose()


def test_only_the_allowed_port_is_reachable(instance, frozen, monkeypatch, demo_sites):
    host, port = sites_origin(demo_sites)
    with serve(0) as other:  # the same loopback address, another port
        board = board_with(monkeypatch, f"{host}:{port}")
        status, html = prefill_page(board, a_demo_job_page(other))
        assert status == 422 and "private network" in html
        board.engine.dispose()


def test_names_resolving_to_loopback_are_checked_by_address_and_port():
    allowed = frozenset({("127.0.0.1", 8123)})
    assert checked_addresses("127.0.0.1", 8123, allowed)
    with pytest.raises(AddressRefused):
        checked_addresses("127.0.0.1", 8124, allowed)
    with pytest.raises(AddressRefused):
        checked_addresses("10.0.0.1", 8123, allowed)
    with pytest.raises(AddressRefused):
        checked_addresses("127.0.0.1", 8123, False)


@pytest.mark.parametrize("value", ["localhost:8001", "127.0.0.1", "127.0.0.1:0", "1.2.3.4:x"])
def test_the_setting_takes_ip_and_port_only(value):
    with pytest.raises(ConfigError, match="RCJOBS_PREFILL_ALLOW takes IP:port"):
        address_list("RCJOBS_PREFILL_ALLOW", value)


def test_the_setting_reads_several_entries():
    assert address_list("X", " 127.0.0.1:8001, [::1]:8002 ,") == {
        ("127.0.0.1", 8001),
        ("::1", 8002),
    }
    assert address_list("X", None) == frozenset()
