"""Serve the Flask app: gunicorn in production, Flask's reloader with --dev."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import FileSystemBytecodeCache

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
    if not (dev and os.environ.get("WERKZEUG_RUN_MAIN")):  # the reloader's child: the port
        check_port(host, port)  # is its parent's, passed down (WERKZEUG_SERVER_FD)
    from board.app import create_app
    from board.web import node

    node.prepare(board, port, dev=dev)
    from board.web.logs import install_filters

    install_filters()

    if dev:
        import gc

        app = create_app(board=board)
        gc.enable()  # the reloader's process serves as it is: nothing is frozen or forked
        node.start_follower(board)
        app.run(host=host, port=port, debug=True)
        return
    from gunicorn.app.base import BaseApplication

    model = worker_model(workers)

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            options = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                **model,
                "accesslog": "-" if access_log_on() else None,
                "logger_class": "board.web.logs.AccessLogger",  # status tokens redacted
                "errorlog": "-",
                "loglevel": "warning",
                "preload_app": True,
                "graceful_timeout": 10,
                # gunicorn's control socket (25.1+, for gunicornc: add or kill workers, reload,
                # stop) is on by default at one path per user ($XDG_RUNTIME_DIR or ~/.gunicorn),
                # which two nodes on one machine would share; its asyncio loop starts in a
                # thread of the master as the first workers answer. rcjobs does not use it.
                "control_socket_disable": True,
                "when_ready": (lambda _server: on_ready()) if on_ready else None,
                "post_fork": lambda _server, _worker: after_fork(board),
                **node.gunicorn_hooks(),
            }
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self) -> Any:
            app = create_app(board=board)
            before_fork(board, app)
            return app

    _Gunicorn().run()


def worker_model(workers: int | None = None) -> dict[str, Any]:
    """gunicorn's worker options: processes and threads per process (docs/performance.md says
    how they were chosen). RCJOBS_WORKER_THREADS=1 means sync workers (no keep-alive)."""
    from board.config import whole_number

    cpus = os.cpu_count() or 1
    threads = whole_number(
        "RCJOBS_WORKER_THREADS", os.environ.get("RCJOBS_WORKER_THREADS"), DEFAULT_THREADS, 1
    )
    return {
        "workers": workers or max(2, cpus + 1),
        "worker_class": "gthread" if threads > 1 else "sync",
        "threads": threads,
    }


#: Threads per worker process: a search holds the GIL, so more processes beat more threads;
#: two threads keep a worker busy while the other answers a keep-alive client's next request.
DEFAULT_THREADS = 2


def access_log_on() -> bool:
    """Whether gunicorn writes an access log line per request (RCJOBS_ACCESS_LOG=0: off)."""
    return os.environ.get("RCJOBS_ACCESS_LOG", "1").strip().lower() not in FALSE


FALSE = ("0", "false", "no", "off")


def before_fork(board: Board, app: Any) -> None:
    """In gunicorn's master: load the index, compile the search pages' templates and URL
    builders and read what their answers read once per index version, so every worker forks
    with them in shared memory; then close the database (opened after fork)."""
    import gc

    reuse_large_blocks()
    board.index.warm()
    try:  # compiled, not rendered: a request here would count in the metrics and the log
        from board.web.leanflask import compile_builders

        compile_builders(app.url_map, WARM_ENDPOINTS)
        use_template_cache(app, board.settings.instance_dir / TEMPLATE_CACHE)
        for name in WARM_TEMPLATES:
            app.jinja_env.get_template(name)
        from board.web.jobs import preload_versioned

        with app.test_request_context("/jobs"):  # a GET's context: nothing is dispatched
            preload_versioned()
    except Exception:  # noqa: BLE001 - warming is an optimisation: the site still starts
        logging.getLogger(__name__).exception("compiling templates before fork failed")
    board.index.searcher.forget_results()
    # The app is built once in the master (preload_app) and the workers fork from it:
    # nothing the master opened may be shared, so close its connections before forking.
    board.engine.dispose()
    if gc.isenabled():
        # The young generations only: a full collection walks every object loaded (about
        # 100,000 at 10k postings, 90 CPU ms of the start on this machine) and found nothing
        # to free; start-up garbage left in the oldest generation stays frozen, shared.
        gc.collect(1)
    gc.freeze()  # the collector in a worker never touches (so never copies) what was loaded
    gc.enable()  # after pause_collector (rcjobs serve): the workers and the master collect


def single_threaded_blas() -> None:
    """One OpenBLAS thread (numpy's BLAS) unless OPENBLAS_NUM_THREADS says otherwise; to be called
    before numpy is imported. By default OpenBLAS starts a thread per core when numpy is
    imported, and on this machine (2 cores) that thread spun for about 60 CPU ms of the master's
    start, beside the imports; no search calls a BLAS routine (no matrix products), and gunicorn's
    worker processes are the server's parallelism. Inherited by the workers."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def pause_collector() -> None:
    """Turn the cyclic garbage collector off until before_fork freezes what was loaded (and
    turns it back on), as Python's gc.freeze documentation advises for a server that forks.

    Loading the app allocates about 180,000 objects that live as long as the process; with the
    collector on, each of its full collections during the imports walked all of them (about
    0.1 s of the master's 0.6 CPU s to the first answer at 10k postings, the collections
    freeing a few hundred objects). `rcjobs serve` calls this first; the dev server turns the
    collector back on before it serves."""
    import gc

    gc.disable()


#: glibc's malloc: blocks from this size are mapped (and unmapped when freed) on their own,
#: and free memory at the heap's top is given back beyond the trim size. 32 MiB is the most
#: glibc's own adjustment reaches (it raises the size to each mapped block freed).
MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


def reuse_large_blocks() -> bool:
    """Keep a search's large temporary arrays (scores, ids: 0.8 MB each at 100k postings) in
    malloc's heap, reused from one search to the next, instead of mapping fresh zeroed pages
    for each (with glibc's default 128 KiB threshold: about 150 page faults a search at 100k,
    0.2-0.5 of its 1.7 CPU ms). Inherited by the workers. glibc only (False elsewhere).

    The warm-up's phrase '"research computing"' did this by accident: freeing its large
    arrays raised glibc's threshold (its dynamic adjustment), which searches then relied on."""
    import ctypes

    from board.libc import libc

    mallopt = getattr(libc(), "mallopt", None)
    if mallopt is None:  # no C library reachable, or one without mallopt (not glibc)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


#: Templates the master compiles before forking: the posting page's and base.html (the
#: listing, board.web.listing_page, renders base.html once and writes the rest itself).
WARM_TEMPLATES = ("jobs/posting.html", "base.html")

#: Endpoints whose URL builders the master compiles before forking, shared by the workers
#: (board.web.leanflask.LazyBuildRule): those the listing, a posting page, the API's search
#: and base.html's links build. A worker compiles any other rule's the first time it builds one
#: (about 0.2 ms).
WARM_ENDPOINTS = (
    "alerts.new",
    "api.jobs",
    "editor.dashboard",
    "feeds.feed",
    "institutions.index",
    "institutions.show",
    "jobs.listing",
    "jobs.posting",
    "jobs.salary_rates",
    "newsletter.archive",
    "openapi.openapi",
    "static",
    "submissions.new",
)

#: Folder of the instance where compiled templates are kept between starts.
TEMPLATE_CACHE = "template-cache"


def use_template_cache(app: Any, folder: Path) -> None:
    """Keep compiled templates on disk (Jinja's bytecode cache) so the next start loads them
    instead of compiling them again (about 90 of the start's CPU ms at 10k postings). Jinja
    checks each entry against its template's source; the file names also carry a fingerprint
    of the environment's settings that change the compiled code (Jinja's version included),
    so a start with other settings compiles afresh. A folder that cannot be made: no cache;
    an entry that cannot be written (a full disk) or read is compiled, as without one."""
    import hashlib

    import jinja2

    env = app.jinja_env
    settings = (
        jinja2.__version__,
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        getattr(env.autoescape, "__qualname__", env.autoescape),
        sorted(env.extensions),
        sorted(env.filters),
        sorted(env.tests),
    )
    fingerprint = hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    env.bytecode_cache = _OptionalBytecodeCache(str(folder), f"%s-{fingerprint}.cache")


class _OptionalBytecodeCache(FileSystemBytecodeCache):
    """Jinja's file cache, whose failures cost only the time it would have saved."""

    def load_bytecode(self, bucket: Any) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            bucket.reset()

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


#: The collector's thresholds in a worker. A search allocates a few thousand objects, so
#: Python's default (a young collection every 700 allocations, a full one every 100 young
#: ones) collected several times per request; most of a worker's objects are frozen before
#: fork or live in its caches. Measured in-process (10k postings, never-repeating API
#: searches): collections took 0.05 ms of a 1.25 ms search with the defaults, 0.03 with these.
WORKER_GC_THRESHOLDS = (20_000, 50, 1_000)


def after_fork(board: Board) -> None:
    """In a worker, before it takes traffic: its own database pool and index files, the
    change-log follower (board.web.node), and one search through them (the first answer is not
    the one that opens them)."""
    import gc

    from board.web import node
    from search_index import SearchRequest

    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    node.after_fork(board)  # board.after_fork(), then the follower
    board.index.search(SearchRequest(q="research software", highlight=False))
    board.index.searcher.forget_results()
