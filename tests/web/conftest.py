"""Web fixtures: the app on a seeded Board, its test client, time frozen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient

from board.app import create_app
from board.services import Board
from tests.web.seed import seed

NOW = "2026-03-10T12:00:00+00:00"


@pytest.fixture
def frozen() -> Iterator[None]:
    """Freeze the clock where dates matter (posting ages, feed dates)."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def app(board: Board, frozen: None) -> Flask:
    """The Flask app on the test Board."""
    return create_app({"TESTING": True}, board=board)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client."""
    return app.test_client()


@pytest.fixture
def ids(board: Board, frozen: None) -> dict[str, str]:
    """The standard postings, stored and indexed: name -> public id."""
    return seed(board)
