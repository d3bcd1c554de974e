"""/healthz (database, index lag, broker: 200 or 503), /metrics behind RCJOBS_METRICS, JSON logs."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import socket
from datetime import timedelta

import pytest
import time_machine

from board import jsonlog
from board.app import create_app
from board.clock import utcnow
from board.config import ConfigError
from board.ingest import Ingest, RawRecord, SourceInfo
from tests.conftest import IN_CI


def store(board, n: int) -> str:
    raw = {
        "title": f"Director of Research Computing {n}",
        "institution": "McMaster University",
        "location": "Hamilton ON CA",
        "description": "<p>Lead the research computing team.</p>",
        "url": f"https://careers.example.edu/jobs/{n}",
    }
    (outcome,) = Ingest(board, index_every=None).batch([RawRecord(raw, n)], SourceInfo("s"))
    return outcome.public_id


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture
def client(board, monkeypatch):
    monkeypatch.delenv("RCJOBS_BROKER_URL", raising=False)
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    app = create_app({"TESTING": True, "CHECK_INDEX": True, "RCJOBS_METRICS": "1"}, board=board)
    return app.test_client()


def test_healthz_is_200_with_the_database_the_index_and_no_broker(client, board):
    store(board, 1)
    from board import indexing

    indexing.catch_up(board)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok"}
    assert body["index"]["lag_changes"] == 0 and body["index"]["status"] == "ok"
    assert body["broker"] == {"status": "not configured"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_index_lags_too_long(client, board, monkeypatch):
    monkeypatch.setenv("RCJOBS_HEALTH_MAX_LAG", "30")
    store(board, 1)  # not indexed: nothing follows in this process
    assert client.get("/healthz").status_code == 200  # lagging, but only just
    with time_machine.travel(utcnow() + timedelta(minutes=5), tick=False):
        response = client.get("/healthz")
    assert response.status_code == 503
    index = response.get_json()["index"]
    assert index["status"] == "lagging" and index["lag_changes"] >= 1
    assert index["lag_seconds"] >= 299


def test_healthz_is_503_when_the_broker_does_not_answer(client, monkeypatch):
    monkeypatch.setenv("RCJOBS_BROKER_URL", f"amqp://guest:guest@127.0.0.1:{closed_port()}//")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["broker"]["status"] == "unreachable" and body["broker"]["error"]
    assert "guest" not in response.get_data(as_text=True)  # no credentials in the answer


def test_healthz_is_503_when_the_database_is_gone(client, board):
    board.engine.dispose()
    board.settings.database_url = "sqlite:////nonexistent/folder/rcjobs.db"
    board.__dict__.pop("engine", None)
    board.__dict__.pop("read_sessions", None)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"]["status"] == "unreachable"


@pytest.mark.parametrize("variable", ["RCJOBS_TEST_BROKER_URL", "RCJOBS_TEST_REDIS_URL"])
def test_healthz_reaches_a_real_broker(client, monkeypatch, variable):
    url = os.environ.get(variable)
    if not url:
        if IN_CI:
            pytest.fail(f"CI=true but {variable} is not set")
        pytest.skip(f"{variable} not set: the broker check against a real broker is skipped")
    monkeypatch.setenv("RCJOBS_BROKER_URL", url)
    response = client.get("/healthz")
    assert response.get_json()["broker"] == {"status": "ok"}, response.get_json()


def test_metrics_count_requests_by_url_rule_and_read_the_database(client, board):
    ids = [store(board, n) for n in (1, 2, 3)]
    from board import indexing

    indexing.catch_up(board)
    for public_id in ids:
        assert client.get(f"/jobs/{public_id}").status_code == 200
    assert client.get("/api/v1/jobs?q=director").status_code == 200
    assert client.get("/no/such/page").status_code == 404
    text = client.get("/metrics").get_data(as_text=True)
    assert _sample(text, "rcjobs_http_requests_total", route="/jobs/<public_id>") >= 3
    assert not any(public_id in text for public_id in ids)  # never a raw path
    assert _sample(text, "rcjobs_http_requests_total", route="<unmatched>", status="404") >= 1
    assert _sample(text, "rcjobs_search_duration_seconds_count") >= 1
    assert _sample(text, "rcjobs_postings", status="open") == 3
    assert _sample(text, "rcjobs_index_lag_changes") == 0
    assert _sample(text, "rcjobs_database_up") == 1


def test_metrics_ask_for_the_bearer_token_when_one_is_set(board, monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    monkeypatch.setenv("RCJOBS_METRICS_TOKEN", "s3cret-token")
    app = create_app({"TESTING": True, "RCJOBS_METRICS": "1"}, board=board)
    client = app.test_client()
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret-token"}):
        refused = client.get("/metrics", headers=headers)
        assert refused.status_code == 401, headers
        assert refused.headers["WWW-Authenticate"].startswith("Bearer")
        assert "rcjobs_" not in refused.get_data(as_text=True)
    allowed = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token"})
    assert allowed.status_code == 200
    assert _sample(allowed.get_data(as_text=True), "rcjobs_database_up") == 1
    assert client.get("/healthz").status_code == 200  # the rest of the node is not behind it


def test_metrics_are_404_when_off(board, monkeypatch):
    monkeypatch.delenv("RCJOBS_METRICS", raising=False)
    app = create_app({"TESTING": True}, board=board)
    assert app.test_client().get("/metrics").status_code == 404


def _sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample (summed over series matching the labels given)."""
    total, seen = 0.0, False
    for match in re.finditer(rf"^{name}(\{{[^}}]*\}})? (\S+)$", text, re.M):
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(1) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(match.group(2))
            seen = True
    assert seen, f"no {name} {labels} in:\n{text[:3000]}"
    return total


def test_json_logs_are_one_object_a_line_with_extras_and_the_traceback():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(jsonlog.JsonFormatter())
    logger = logging.getLogger("rcjobs.test.jsonlog")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("crawl of %s failed", "mcmaster", extra={"source": "mcmaster"})
        try:
            raise ValueError("bad page")
        except ValueError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    first, second = (json.loads(line) for line in stream.getvalue().splitlines())
    assert first["message"] == "crawl of mcmaster failed" and first["source"] == "mcmaster"
    assert first["level"] == "warning" and first["logger"] == "rcjobs.test.jsonlog"
    assert "ValueError: bad page" in second["exception"]


def test_a_bad_log_format_is_a_clear_error():
    with pytest.raises(ConfigError, match="RCJOBS_LOG_FORMAT must be text or json"):
        jsonlog.log_format("xml")


def test_a_bad_log_format_stops_any_command_with_one_line(instance, monkeypatch):
    from click.testing import CliRunner

    from board.cli import main

    monkeypatch.setenv("RCJOBS_LOG_FORMAT", "xml")
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 2
    assert "RCJOBS_LOG_FORMAT must be text or json" in result.output
    assert "Traceback" not in result.output
