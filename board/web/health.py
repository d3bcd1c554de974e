"""/healthz: whether this node can serve (database, its index's lag, the broker): 200 or 503.

A load balancer takes a node out of rotation on 503: its database is unreachable, its index
lags the change log by more than RCJOBS_HEALTH_MAX_LAG seconds (a node started empty answers
503 until it has built its index), or RCJOBS_BROKER_URL is set and the broker does not answer.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, jsonify

from board import nodehealth
from board.web.context import get_board

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """The node's checks as JSON; 503 when any fails."""
    board = get_board()
    checks: dict[str, Any] = {}
    try:
        with board.read_session() as session:
            nodehealth.ping_database(session)
            checks["database"] = {"status": "ok"}
            lag = nodehealth.index_lag(board, session)
    except Exception as exc:  # noqa: BLE001 - a down database is the answer, not a 500
        checks["database"] = {"status": "unreachable", "error": nodehealth._reason(exc)}
        checks["index"] = {"status": "unknown"}
    else:
        limit = nodehealth.max_lag()
        checks["index"] = {
            "status": "ok" if lag.seconds <= limit else "lagging",
            "watermark": lag.watermark,
            "latest_change": lag.latest,
            "lag_changes": lag.changes,
            "lag_seconds": round(lag.seconds, 3),
            "max_lag_seconds": limit,
        }
    checks["broker"] = nodehealth.broker_status(nodehealth.broker_url())
    healthy = (
        checks["database"]["status"] == "ok"
        and checks["index"]["status"] == "ok"
        and checks["broker"]["status"] in ("ok", "not configured")
    )
    body = {"status": "ok" if healthy else "fail", **checks}
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response, 200 if healthy else 503


def register(app: Flask) -> None:
    """Add /healthz."""
    app.register_blueprint(bp)
