"""Greenhouse job boards through the public Job Board API.

URL forms: https://boards-api.greenhouse.io/v1/boards/TOKEN/jobs, or any host with the
`board` key. (A board page, boards.greenhouse.io/TOKEN, is not the API: requests go to the
url's own host, so the entry names the API url.)
"""

from __future__ import annotations

import html
import re
from typing import Any

from board.extract.jsonapi import json_body
from board.extract.page import Fetched, NextRequest, Page
from board.extract.source import Source

NAME = "greenhouse"
REQUIRED_KEYS: tuple[str, ...] = ()
OPTIONAL_KEYS = ("board",)
URL_FORMS = ("https://boards-api.greenhouse.io/v1/boards/TOKEN/jobs",)
_BOARD = re.compile(r"/v1/boards/([^/?#]+)")
_HEADERS = {"Accept": "application/json"}


def board_token(source: Source) -> str:
    """The board token: the `board` key, else /v1/boards/{token} in the url."""
    return source.key_or_url_part(
        "board",
        _BOARD,
        "a `board` key or a https://boards-api.greenhouse.io/v1/boards/TOKEN/jobs url",
    )


def check(source: Source) -> None:
    """Refuse an entry without a board token."""
    board_token(source)


def api_base(source: Source) -> str:
    """{origin}/v1/boards/{board}."""
    return f"{source.origin}/v1/boards/{board_token(source)}"


def start(source: Source) -> list[NextRequest]:
    """The whole board in one request."""
    url = f"{api_base(source)}/jobs?content=true"
    return [NextRequest(url, "listing", headers=_HEADERS, listing=True)]


def parse_listing(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """Records for jobs with content; detail requests for the others. The one answer is the
    whole board: complete when it is whole JSON whose `meta.total` (if any) it holds."""
    page = Page()
    data = json_body(fetched, page)
    if data is None:
        return page
    jobs = data.get("jobs")
    if not isinstance(jobs, list):
        return page.fail("no_job_list", fetched.url)
    for job in jobs:
        if not isinstance(job, dict) or not job.get("id"):
            page.drop("no_id", str(job)[:200])
        elif job.get("content"):
            page.listed += 1
            page.record(source, **job_fields(job))
        else:
            page.detail(
                NextRequest(f"{api_base(source)}/jobs/{job['id']}", "detail", headers=_HEADERS)
            )
    total = (data.get("meta") or {}).get("total") if isinstance(data.get("meta"), dict) else None
    if isinstance(total, int) and total > len(jobs):
        return page.fail("short_listing", f"{fetched.url}: {len(jobs)} of {total} jobs")
    page.end = True
    return page


def parse_detail(fetched: Fetched, source: Source, meta: dict[str, Any]) -> Page:
    """One job from /jobs/{id}."""
    page = Page()
    data = json_body(fetched, page)
    if data is not None:
        page.record(source, **job_fields(data))
    return page


def job_fields(job: dict[str, Any]) -> dict[str, Any]:
    """The raw fields of one Greenhouse job."""
    location = (job.get("location") or {}).get("name")
    offices = [o.get("name") for o in job.get("offices") or [] if isinstance(o, dict)]
    return {
        "title": job.get("title"),
        "location": location or "; ".join(o for o in offices if o) or None,
        "description": html.unescape(job.get("content") or ""),
        "url": job.get("absolute_url"),
        "posted": job.get("first_published") or job.get("updated_at"),
        "closes": job.get("application_deadline"),
        "employment_type": _metadata(job, "employment type"),
        "salary": _metadata(job, "salary") or _metadata(job, "pay"),
        "source_id": job.get("id"),
    }


def _metadata(job: dict[str, Any], word: str) -> str | None:
    """A custom metadata value whose name contains `word` (boards add their own fields)."""
    for field in job.get("metadata") or []:
        if isinstance(field, dict) and word in str(field.get("name", "")).lower():
            value = field.get("value")
            if isinstance(value, dict):
                parts = [value.get("unit"), value.get("min_value"), value.get("max_value")]
                return " ".join(str(p) for p in parts if p) or None
            return str(value) if value else None
    return None


STEPS = {"listing": parse_listing, "detail": parse_detail}
