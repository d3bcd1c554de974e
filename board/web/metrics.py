"""Prometheus metrics at /metrics when RCJOBS_METRICS=1 (404 otherwise); with
RCJOBS_METRICS_TOKEN set, only for a scrape that sends it as a bearer token (401 otherwise).

Per process, counted as requests are served (summed over gunicorn's workers through
PROMETHEUS_MULTIPROC_DIR, which `rcjobs serve` points into the instance folder):
- rcjobs_http_requests_total{route, method, status} and
  rcjobs_http_request_duration_seconds{route, method}: route is the URL rule ("/jobs/<public_id>"),
  never the raw path, so a crawler walking every posting adds no series;
- rcjobs_search_duration_seconds: time spent in the search index per search.

Read from the database at each scrape (the same answer from every node and worker):
- rcjobs_postings{status}: open, closed, and hidden postings;
- rcjobs_crawl_runs_total{outcome}: crawl runs recorded, by outcome (crawls run elsewhere);
- rcjobs_index_lag_changes, rcjobs_index_lag_seconds, rcjobs_index_watermark: this node's index
  against the change log; rcjobs_database_up.
"""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Flask, Response, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from board import nodehealth
from board.web.node import metrics_enabled

if TYPE_CHECKING:
    from board.services import Board
    from search_index import SearchIndex

#: This process's own metrics (exposed directly without gunicorn, summed from files with it).
LOCAL = CollectorRegistry(auto_describe=True)
REQUESTS = Counter(
    "rcjobs_http_requests",
    "HTTP requests answered, by URL rule, method and status.",
    ["route", "method", "status"],
    registry=LOCAL,
)
LATENCY = Histogram(
    "rcjobs_http_request_duration_seconds",
    "Time to answer an HTTP request, by URL rule and method.",
    ["route", "method"],
    registry=LOCAL,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SEARCH = Histogram(
    "rcjobs_search_duration_seconds",
    "Time spent in the search index per search.",
    registry=LOCAL,
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
)
UNMATCHED = "<unmatched>"
#: The app config key (and environment variable) of the bearer token /metrics asks for.
TOKEN_KEY = "RCJOBS_METRICS_TOKEN"  # noqa: S105 - the name of a setting, not a secret

bp = Blueprint("metrics", __name__)


class DatabaseCollector(Collector):
    """Gauges read from the database and this node's index at scrape time."""

    def __init__(self, board: Board) -> None:
        self.board = board

    def collect(self) -> Iterator[Metric]:
        """Postings by status, crawl runs by outcome, index lag, and whether the database is up."""
        up = GaugeMetricFamily("rcjobs_database_up", "1 when the database answered this scrape.")
        try:
            with self.board.read_session() as session:
                statuses = nodehealth.postings_by_status(session)
                outcomes = nodehealth.crawl_runs_by_outcome(session)
                lag = nodehealth.index_lag(self.board, session)
        except Exception:  # noqa: BLE001 - a down database is a 0, not a failed scrape
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        postings = GaugeMetricFamily(
            "rcjobs_postings", "Postings stored, by status (hidden ones apart).", labels=["status"]
        )
        for status in sorted({"open", "closed", "hidden", *statuses}):
            postings.add_metric([status], statuses.get(status, 0))
        yield postings
        runs = CounterMetricFamily(
            "rcjobs_crawl_runs", "Crawl runs recorded, by outcome.", labels=["outcome"]
        )
        for outcome, count in sorted(outcomes.items()):
            runs.add_metric([outcome], count)
        yield runs
        yield GaugeMetricFamily(
            "rcjobs_index_lag_changes", "Changes this node's index has not applied.", lag.changes
        )
        yield GaugeMetricFamily(
            "rcjobs_index_lag_seconds",
            "Age of the oldest change this node's index has not applied (0 when none).",
            lag.seconds,
        )
        yield GaugeMetricFamily(
            "rcjobs_index_watermark", "The last change id this node's index applied.", lag.watermark
        )


@bp.get("/metrics")
def metrics() -> Response:
    """The text exposition format: this node's processes, then the database's figures."""
    if not _authorized():
        response = Response("/metrics needs its bearer token\n", 401, mimetype="text/plain")
        response.headers["WWW-Authenticate"] = 'Bearer realm="metrics"'
        response.headers["Cache-Control"] = "no-store"
        return response
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(LOCAL)
    from board.web.context import get_board

    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector(get_board()))
    response = Response(body + generate_latest(database), mimetype=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


def _authorized() -> bool:
    """Whether this scrape may read the metrics: always without a token, else only with it."""
    token: str = current_app.config.get(TOKEN_KEY) or ""
    if not token:
        return True
    scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode("utf-8"), token.encode("utf-8")
    )


def _started() -> None:
    g.metrics_started = time.perf_counter()


def _observe(response: Response) -> Response:
    started = g.pop("metrics_started", None)
    if started is None:
        return response
    rule = request.url_rule
    route = rule.rule if rule is not None else UNMATCHED
    method = request.method if request.method in _METHODS else "OTHER"
    REQUESTS.labels(route, method, str(response.status_code)).inc()
    LATENCY.labels(route, method).observe(time.perf_counter() - started)
    return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def time_searches(index: SearchIndex) -> None:
    """Observe every search of this index in rcjobs_search_duration_seconds (once)."""
    search: Callable[..., Any] = index.search
    if getattr(search, "_rcjobs_timed", False):
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        with SEARCH.time():
            return search(*args, **kwargs)

    timed._rcjobs_timed = True  # type: ignore[attr-defined]
    index.search = timed  # type: ignore[method-assign]


def init_app(app: Flask, board: Board) -> None:
    """Serve /metrics and count requests, when RCJOBS_METRICS is on."""
    if not metrics_enabled(app.config.get("RCJOBS_METRICS")):
        return
    app.config[TOKEN_KEY] = app.config.get(TOKEN_KEY) or os.environ.get(TOKEN_KEY, "").strip()
    app.register_blueprint(bp)
    app.before_request(_started)
    app.after_request(_observe)
    time_searches(board.index)
