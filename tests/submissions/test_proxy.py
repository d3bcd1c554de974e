"""Behind RCJOBS_PROXY_COUNT reverse proxies, rate limits count each client, not the proxy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from board.config import VARIABLES, load_settings, proxy_count
from board.services import Board
from tests.accounts.support import make_app, submit, valid_fields

PROXY = "10.0.0.5"  # every request reaches the app from the proxy's address


def through_proxy(app, forwarded_for: str):
    client = app.test_client()
    client.environ_base.update(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return client


def send(client, n: int) -> int:
    return submit(client, valid_fields(title=f"Director of Research Computing {n}")).status_code


def test_each_forwarded_address_gets_its_own_submission_budget(board, frozen):
    app = make_app(board, RCJOBS_PROXY_COUNT=1, RCJOBS_SUBMIT_LIMIT="2 per hour")
    first = through_proxy(app, "198.51.100.1")
    second = through_proxy(app, "203.0.113.9")
    assert [send(first, 1), send(first, 2), send(first, 3)] == [302, 302, 429]
    assert [send(second, 4), send(second, 5), send(second, 6)] == [302, 302, 429]
    # One proxy trusted: only its own (last) X-Forwarded-For entry counts, not a forged one.
    forged = through_proxy(app, "192.0.2.77, 198.51.100.1")
    assert send(forged, 7) == 429


def test_without_proxies_forwarded_headers_are_ignored(board, frozen):
    app = make_app(board, RCJOBS_SUBMIT_LIMIT="2 per hour")
    first = through_proxy(app, "198.51.100.1")
    second = through_proxy(app, "203.0.113.9")
    assert [send(first, 1), send(first, 2)] == [302, 302]
    assert send(second, 3) == 429  # both are the proxy's address


def test_the_proxy_count_comes_from_the_environment(instance, frozen, monkeypatch):
    monkeypatch.setenv("RCJOBS_PROXY_COUNT", "1")
    board = Board(load_settings())
    board.init_db()
    try:
        app = make_app(board, RCJOBS_SUBMIT_LIMIT="1 per hour")
        assert send(through_proxy(app, "198.51.100.1"), 1) == 302
        assert send(through_proxy(app, "203.0.113.9"), 2) == 302
        assert send(through_proxy(app, "198.51.100.1"), 3) == 429
    finally:
        board.engine.dispose()


@pytest.mark.parametrize(("value", "count"), [(None, 0), ("", 0), ("0", 0), (" 2 ", 2)])
def test_proxy_count_values(value, count):
    assert proxy_count(value) == count


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_bad_proxy_count_is_a_clear_error(value):
    with pytest.raises(ValueError, match="RCJOBS_PROXY_COUNT must be a whole number"):
        proxy_count(value)


def test_the_readme_lists_every_variable():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    listed = set(re.findall(r"^\| `(RCJOBS_[A-Z_]+)` \|", readme, re.M))
    assert set(VARIABLES) <= listed
