"""Schemathesis against /api/v1/openapi.json: no 5xx, no answer outside the schema (both DBs).

Driven through schemathesis' Python API (an operation's Hypothesis strategy) rather than its
pytest plugin, which does not run under this pytest; bounded and derandomized, so every run
tries the same cases.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from board.app import create_app
from tests.web.seed import seed, standard_records, xss_record

EXAMPLES = 30


def test_the_api_keeps_its_openapi_contract(any_board, frozen):
    seed(any_board, {**standard_records(), "xss": xss_record()})
    app = create_app({"TESTING": True}, board=any_board)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tried = []
    for result in schema.get_all_operations():
        operation = result.ok()
        tried.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case):  # noqa: ANN001, ANN202 - a schemathesis Case
            case.call_and_validate()

        check()
    assert sorted(tried) == [
        "GET /api/v1/institutions",
        "GET /api/v1/institutions/{slug}",
        "GET /api/v1/jobs",
        "GET /api/v1/jobs/{id}",
    ]
