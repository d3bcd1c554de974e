"""Private-link tokens never reach the access log of the production server."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from board.web.logs import RedactingFilter, redact

TOKEN = "Zx9_secret-token-0123456789abcdefABCDEF"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_gunicorn_access_log_redacts_status_and_alert_tokens(instance: Path, tmp_path: Path):
    env = dict(os.environ)
    subprocess.run([sys.executable, "-m", "board.cli", "init"], env=env, check=True)
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "board.cli", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                status_of(f"{base}/api/v1/openapi.json")
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)  # polling interval, bounded by the deadline
        assert status_of(f"{base}/submit/status/{TOKEN}") == 404
        assert status_of(f"{base}/alerts/{TOKEN}?x=1") == 404
        with urllib.request.urlopen(f"{base}/static/site.css", timeout=5) as response:
            stylesheet = response.read()  # sent by gunicorn with sendfile(2)
        assert status_of(f"{base}/jobs?q=visible-words") == 200
        deadline = time.monotonic() + 10
        while "visible-words" not in log_path.read_text():
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.1)  # the access log is written after the response
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    text = log_path.read_text()
    assert TOKEN not in text
    assert "/submit/status/[redacted]" in text and "/alerts/[redacted]" in text
    assert f'"GET /static/site.css HTTP/1.1" 200 {len(stylesheet)} ' in text, text


def test_the_development_server_log_is_redacted_too(caplog):
    logger = logging.getLogger("tests.redaction")
    logger.addFilter(RedactingFilter())
    with caplog.at_level(logging.INFO, logger="tests.redaction"):
        logger.info('"GET %s HTTP/1.1" 200', f"/submit/status/{TOKEN}/edit")
    assert TOKEN not in caplog.text and "/submit/status/[redacted]/edit" in caplog.text
    assert redact("/alerts/new") == "/alerts/new"


class _Response:
    status = "200 OK"
    sent = 1234
    headers = [("Content-Type", "application/json")]


class _Request:
    headers = [("Host", "127.0.0.1")]


def _environ(path: str) -> dict[str, str]:
    return {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_USER_AGENT": 'curl/8 "quoted"',
        "HTTP_REFERER": f"http://127.0.0.1/submit/status/{TOKEN}",
    }


def _lines(access_log: str | None, call) -> list[str]:
    from datetime import timedelta

    from gunicorn.config import Config

    from board.web.logs import AccessLogger

    cfg = Config()
    if access_log:
        cfg.set("accesslog", access_log)
    logger = AccessLogger(cfg)
    lines: list[str] = []
    logger.access_log.info = lambda msg, *args: lines.append(
        msg % (args[0] if len(args) == 1 else args) if args else msg
    )
    for path in ("/api/v1/jobs?q=hpc%20lead&country=CA", f"/alerts/{TOKEN}?x=1"):
        call(logger, _Response(), _Request(), _environ(path), timedelta(microseconds=1500))
    return lines


def test_the_access_log_line_is_gunicorns_own_line_redacted():
    from gunicorn.glogging import Logger

    from board.web.logs import AccessLogger

    fast = _lines("-", AccessLogger.access)
    gunicorn = _lines("-", lambda self, *a: Logger.access(self, *a))
    strip = lambda line: line.split(" [", 1)[0] + line.split("]", 1)[1]  # noqa: E731 - the time
    assert [strip(line) for line in fast] == [redact(strip(line)) for line in gunicorn]
    assert fast[0].startswith("127.0.0.1 - - [") and '"GET /api/v1/jobs?q=hpc%20lead' in fast[0]
    assert all(TOKEN not in line for line in fast)


class _FileResponse(_Response):
    """What gunicorn's Response holds after sending a file with sendfile(2)."""

    sent = 0
    response_length = 5120
    _omits_body = False


def test_a_file_sent_with_sendfile_is_logged_with_its_length():
    from datetime import timedelta

    from gunicorn.config import Config

    from board.web.logs import AccessLogger, body_bytes

    head = _FileResponse()
    head._omits_body = True  # HEAD, 204, 304: nothing sent, nothing counted
    assert body_bytes(_FileResponse()) == 5120
    assert body_bytes(head) == 0
    assert body_bytes(_Response()) == 1234
    lines: list[str] = []

    def call(logger, _resp, *args):
        logger.access_log.info = lambda msg, *a: lines.append(msg)
        AccessLogger.access(logger, _FileResponse(), *args)

    _lines("-", call)
    assert len(lines) == 2 and all('" 200 5120 "' in line for line in lines), lines
    environ = _environ("/static/site.css")
    atoms = AccessLogger(Config()).atoms(_FileResponse(), _Request(), environ, timedelta(0))
    assert (atoms["b"], atoms["B"]) == ("5120", 5120)  # custom formats and the JSON lines


def test_with_the_access_log_off_nothing_is_logged():
    from board.web.logs import AccessLogger

    assert _lines(None, AccessLogger.access) == []


def test_rcjobs_serve_writes_no_access_log_when_switched_off(instance: Path, tmp_path: Path):
    env = dict(os.environ, RCJOBS_ACCESS_LOG="0")
    subprocess.run([sys.executable, "-m", "board.cli", "init"], env=env, check=True)
    port = free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "board.cli", "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log_path.read_text()
            try:
                assert status_of(f"http://127.0.0.1:{port}/jobs?q=invisible-words") == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)  # polling interval, bounded by the deadline
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)  # every answered request would have been logged by now
    assert "invisible-words" not in log_path.read_text()
