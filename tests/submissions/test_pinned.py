"""Prefill connects to the very address it checked: a name rebinding to loopback reads nothing."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from board.submissions.pinned import PinnedHTTPSConnection
from board.submissions.prefill import PrefillError, fetch

REAL_GETADDRINFO = socket.getaddrinfo
REAL_CONNECT = socket.socket.connect
PUBLIC = "93.184.216.34"


class Recorder(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - the http.server API
        Recorder.seen.append(self.headers.get("Host", ""))
        body = b"secret from the internal network"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def internal() -> Iterator[int]:
    """A loopback server standing for an internal service; the Host headers it was sent."""
    Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join()


def fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Names answer from `answers` (one address per lookup, the last one repeated)."""
    lookups: list[str] = []

    def getaddrinfo(host, port, *args, **kwargs):  # noqa: ANN001, ANN202 - socket's signature
        if host not in answers:
            return REAL_GETADDRINFO(host, port, *args, **kwargs)
        lookups.append(host)
        queue = answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def test_a_name_that_rebinds_to_loopback_after_the_check_reads_nothing(monkeypatch, internal):
    # First answer public (passes the check), every later answer loopback: the rebinding attack.
    lookups = fake_dns(monkeypatch, {"rebind.example": [PUBLIC, "127.0.0.1"]})
    tried: list[tuple[str, int]] = []

    def connect(self, address):  # noqa: ANN001, ANN202 - socket's signature
        tried.append(address)
        if address[0] == PUBLIC:
            raise ConnectionRefusedError("the public address does not answer in this test")
        return REAL_CONNECT(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    with pytest.raises(PrefillError):
        fetch(f"http://rebind.example:{internal}/job")
    assert Recorder.seen == []  # nothing reached the internal service
    assert tried == [(PUBLIC, internal)]
    assert lookups == ["rebind.example"]  # resolved once


def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(monkeypatch):
    fake_dns(monkeypatch, {"intranet.example": ["10.1.2.3"]})
    with pytest.raises(PrefillError, match="private network"):
        fetch("http://intranet.example/job")


def test_the_pinned_connection_sends_the_name_as_host(monkeypatch, internal):
    fake_dns(monkeypatch, {"jobs.example.test": ["127.0.0.1"]})
    final, body = fetch(f"http://jobs.example.test:{internal}/job", allow_private=True)
    assert body == b"secret from the internal network"
    assert Recorder.seen == [f"jobs.example.test:{internal}"]
    assert final == f"http://jobs.example.test:{internal}/job"


def test_https_pins_the_address_and_keeps_the_name_for_sni(monkeypatch):
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    fake_dns(monkeypatch, {"secure.example.test": ["127.0.0.1"]})
    wrapped: list[str | None] = []

    class Context:
        check_hostname = True
        verify_mode = ssl.CERT_REQUIRED
        post_handshake_auth = None

        def wrap_socket(self, sock, server_hostname=None):  # noqa: ANN001, ANN202
            wrapped.append(server_hostname)
            return sock

    connection = PinnedHTTPSConnection(
        "secure.example.test", port, context=Context(), allow_private=True, timeout=5
    )
    try:
        connection.connect()
        accepted, _ = listener.accept()
        accepted.close()
        assert connection.sock.getpeername() == ("127.0.0.1", port)
        assert wrapped == ["secure.example.test"]
    finally:
        connection.close()
        listener.close()
