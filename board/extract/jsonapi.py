"""Reading a JSON API answer: the expected JSON, or a named page failure."""

from __future__ import annotations

import json
from typing import Any

from board.extract.lenient_json import loads_lenient
from board.extract.page import Fetched, Page


def json_body(fetched: Fetched, page: Page, expect: type = dict) -> Any:
    """The response's JSON, or None after failing the page with the reason it is not."""
    text = fetched.text
    if text.lstrip().startswith("<"):
        page.fail("html_not_json", fetched.url)
        return None
    data = loads_lenient(text)
    if data is None:
        page.fail("malformed_json", fetched.url)
        return None
    if not isinstance(data, expect):
        page.fail("unexpected_json", f"{fetched.url}: {type(data).__name__}")
        return None
    if isinstance(data, dict) and is_error_body(data):
        page.fail("error_body", f"{fetched.url}: {json.dumps(data)[:200]}")
        return None
    return data


def is_error_body(data: dict[str, Any]) -> bool:
    """A 200 answer whose body says it is an error (`{"error": ...}`, `{"errors": [...]}`)."""
    keys = {k.lower() for k in data}
    if "error" in keys or "errors" in keys:
        return not any(k in keys for k in ("jobs", "jobpostings", "items", "postings"))
    status = data.get("status") or data.get("httpStatus")
    return isinstance(status, int) and status >= 400
