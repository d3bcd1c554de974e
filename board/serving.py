"""Serve the Flask app: gunicorn in production, Flask's reloader with --dev."""

from __future__ import annotations

import errno
import os
import socket
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from board.services import Board


class PortInUse(RuntimeError):
    """The requested address is taken; the message says which."""


def check_port(host: str, port: int) -> None:
    """Raise PortInUse when nothing can listen on host:port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise PortInUse(
                    f"port {port} on {host} is already in use: pick another with --port"
                ) from None
            raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def serve_app(
    board: Board,
    host: str,
    port: int,
    workers: int | None = None,
    dev: bool = False,
    on_ready: Any = None,
) -> None:
    """Run the site until interrupted."""
    check_port(host, port)
    from board.web import create_app, node

    node.prepare(board, port, dev=dev)
    from board.web.logs import install_filters

    install_filters()

    if dev:
        app = create_app(board=board)
        node.start_follower(board)
        app.run(host=host, port=port, debug=True)
        return
    from gunicorn.app.base import BaseApplication

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            cpus = os.cpu_count() or 1
            options = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers or max(2, cpus * 2),
                "worker_class": "gthread",
                "threads": 4,
                "accesslog": "-",
                "logger_class": "board.web.logs.AccessLogger",  # status tokens redacted
                "errorlog": "-",
                "loglevel": "warning",
                "preload_app": True,
                "graceful_timeout": 10,
                "when_ready": (lambda _server: on_ready()) if on_ready else None,
                "post_fork": lambda _server, _worker: node.after_fork(board),
                **node.gunicorn_hooks(),
            }
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            app = create_app(board=board)
            # The app is built once in the master (preload_app) and the workers fork from it:
            # nothing the master opened may be shared, so close its connections before forking.
            board.engine.dispose()
            return app

    _Gunicorn().run()
